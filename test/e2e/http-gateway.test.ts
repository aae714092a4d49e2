// The HTTP gateway transports end to end: real SDK clients (v2 negotiating the era itself, and
// the 2025-era-only v1 client) talk to the listener, a pass-through session relays to a real
// server over stdio, Streamable HTTP (both eras) or the old HTTP+SSE transport; and the stdio
// downstream reaches HTTP servers through HttpUpstream. Then the listener's answers to bad input,
// one case each, and an upstream that misbehaves.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHttpListener, type HttpListener, type HttpListenerOptions } from '../../src/gateway/http-listener.js';
import { HttpUpstream, type HttpUpstreamOptions } from '../../src/gateway/http-upstream.js';
import { StdioUpstream } from '../../src/gateway/stdio-upstream.js';
import type { Frame, SessionFactory, Upstream } from '../../src/gateway/transport.js';
import { FIXTURES, REPO } from '../helpers/cli.js';
import { startHttpFixture, type HttpFixture } from '../helpers/http-fixture.js';

const SERVERS = join(FIXTURES, 'servers');
const RELAY = join(REPO, 'build', 'test', 'helpers', 'stdio-relay.js');
const MODERN = '2026-07-28';
const META = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' } };

/**
 * The session core's stand-in: relays every frame both ways, holding the client's frames until
 * the upstream has started. Counts open sessions so tests can see DELETE and close end them.
 */
function passThrough(makeUpstream: () => Upstream): SessionFactory & { open: number; methods: string[] } {
  const factory = ((downstream, _info) => {
    const upstream = makeUpstream();
    let queue: Frame[] | undefined = [];
    factory.open++;
    const started = upstream
      .start({ frame: (f) => downstream.send(f), closed: () => {}, paused: (ids) => downstream.paused?.(ids) })
      .then(() => {
        for (const f of queue!) upstream.send(f);
        queue = undefined;
      });
    return {
      fromClient: (f: Frame) => {
        factory.methods.push(String((f.message as { method?: unknown }).method));
        if (queue) queue.push(f);
        else upstream.send(f);
      },
      async close() {
        factory.open--;
        await started;
        await upstream.close();
      },
    };
  }) as SessionFactory & { open: number; methods: string[] };
  factory.open = 0;
  factory.methods = [];
  return factory;
}

const stdioEcho = () => new StdioUpstream({ command: process.execPath, args: [join(SERVERS, 'echo-stdio.mjs')], stderr: 'ignore' });
const httpTo = (url: string, o: Partial<HttpUpstreamOptions> = {}) => () => new HttpUpstream({ url, ...o });

async function gateway(makeUpstream: () => Upstream, o: HttpListenerOptions = {}): Promise<HttpListener & { factory: ReturnType<typeof passThrough> }> {
  const factory = passThrough(makeUpstream);
  const listener = await startHttpListener(o, factory);
  return { ...listener, factory };
}

type AnyClient = { listTools(): Promise<{ tools: { name: string }[] }>; callTool(p: { name: string; arguments: Record<string, unknown> }): Promise<unknown>; close(): Promise<void> };

async function v2Client(url: string, capabilities = {}): Promise<Client> {
  const client = new Client({ name: 'http-gateway-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' }, capabilities });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function v1Client(url: string): Promise<V1Client> {
  const client = new V1Client({ name: 'http-gateway-test-v1', version: '1.0.0' });
  await client.connect(new V1StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;

/** A raw POST to the listener, for the cases an SDK client never produces. */
async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: { id?: unknown; result?: unknown; error?: { code: number; message: string } } | undefined }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body });
  const raw = await res.text();
  const type = res.headers.get('content-type') ?? '';
  let json;
  if (type.startsWith('text/event-stream')) {
    const last = raw.split('\n').filter((l) => l.startsWith('data: ')).pop();
    json = last ? JSON.parse(last.slice(6)) : undefined;
  } else json = raw ? JSON.parse(raw) : undefined;
  return { status: res.status, headers: res.headers, json };
}

const modernCall = (id: unknown, name: string, args: Record<string, unknown>) => ({
  body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: META } }),
  headers: { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': name },
});

const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

describe('HTTP downstream × every upstream transport, with v2 (auto) and v1 clients', () => {
  const fixtures: Record<string, HttpFixture> = {};
  before(async () => {
    const started = await Promise.all([
      startHttpFixture('legacy-http.mjs'),
      startHttpFixture('modern-http.mjs'),
      startHttpFixture('legacy-sse.mjs'),
      startHttpFixture('echo-http.mjs', ['legacy']),
      startHttpFixture('echo-http.mjs', ['modern']),
      startHttpFixture('echo-http.mjs', ['sse']),
    ]);
    [fixtures['legacy-http'], fixtures['modern-http'], fixtures['legacy-sse'], fixtures['echo-legacy'], fixtures['echo-modern'], fixtures['echo-sse']] = started;
  });
  after(async () => {
    await Promise.all(Object.values(fixtures).map((f) => f.stop()));
  });

  const clients: [string, (url: string) => Promise<AnyClient>][] = [
    ['v2 auto', (url) => v2Client(url) as Promise<AnyClient>],
    ['v1 (2025-era only)', (url) => v1Client(url) as Promise<AnyClient>],
  ];

  for (const [label, connect] of clients) {
    it(`${label}: lists and calls tools of a stdio server`, async () => {
      const gw = await gateway(stdioEcho);
      const client = await connect(gw.url);
      try {
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map((t) => t.name).sort(), ['delete_file', 'echo', 'login']);
        assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'over http' } })), 'over http');
      } finally {
        await client.close();
        await gw.close();
      }
      assert.equal(gw.factory.open, 0, 'closing the listener closed every session');
    });

    for (const [server, tools] of [
      ['legacy-http', ['add', 'echo']],
      ['modern-http', ['add', 'echo']],
      ['legacy-sse', ['add', 'echo']],
    ] as const) {
      it(`${label}: lists tools of ${server} and relays its answer to a call`, async () => {
        const gw = await gateway(httpTo(fixtures[server]!.url));
        const client = await connect(gw.url);
        try {
          assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), tools);
          // These fixtures list tools but never run one: the server's own refusal comes back.
          await assert.rejects(client.callTool({ name: 'echo', arguments: { text: 'x' } }), /not found|not supported|unknown/i);
        } finally {
          await client.close();
          await gw.close();
        }
      });
    }

    for (const kind of ['echo-legacy', 'echo-modern', 'echo-sse']) {
      it(`${label}: calls a real tool over ${kind}`, async () => {
        const gw = await gateway(httpTo(fixtures[kind]!.url));
        const client = await connect(gw.url);
        try {
          assert.ok((await client.listTools()).tools.some((t) => t.name === 'echo'));
          assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: `via ${kind}` } })), `via ${kind}`);
        } finally {
          await client.close();
          await gw.close();
        }
      });
    }
  }

  it('relays progress on the call stream, a server request and its answer, and GET-stream notifications (2025 era)', async () => {
    const gw = await gateway(httpTo(fixtures['echo-legacy']!.url));
    const client = await v2Client(gw.url, { elicitation: {} });
    const changed: string[] = [];
    client.setNotificationHandler('notifications/tools/list_changed', () => void changed.push('tools'));
    client.setRequestHandler('elicitation/create', async (request) => ({ action: 'accept', content: { ok: (request.params as { message: string }).message === 'Proceed?' } }));
    try {
      const progress: number[] = [];
      const r = await client.callTool({ name: 'echo', arguments: { text: 'slow' } }, { onprogress: (p) => void progress.push(p.progress) });
      assert.equal(text(r), 'slow');
      assert.deepEqual(progress, [1, 2]);
      assert.equal(text(await client.callTool({ name: 'confirm', arguments: { question: 'Proceed?' } })), 'accept:{"ok":true}');
      assert.equal(text(await client.callTool({ name: 'notify', arguments: {} })), 'sent');
      for (let i = 0; i < 50 && changed.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(changed, ['tools']);
    } finally {
      await client.close();
      await gw.close();
    }
  });

  it('relays progress of a stateless (2026-07-28) call back to the client that asked', async () => {
    const gw = await gateway(httpTo(fixtures['echo-modern']!.url));
    const client = await v2Client(gw.url);
    try {
      assert.equal(client.getProtocolEra(), 'modern');
      const progress: number[] = [];
      const r = await client.callTool({ name: 'echo', arguments: { text: 'modern' } }, { onprogress: (p) => void progress.push(p.progress) });
      assert.equal(text(r), 'modern');
      assert.deepEqual(progress, [1, 2]);
    } finally {
      await client.close();
      await gw.close();
    }
  });

  it('keeps a subscriptions/listen stream open, and passes on its end as a cancellation', async () => {
    const gw = await gateway(httpTo(fixtures['echo-modern']!.url), { keepAliveMs: 100 });
    const client = await v2Client(gw.url);
    try {
      const sub = await client.listen({ toolsListChanged: true });
      assert.equal(sub.honoredFilter.toolsListChanged, true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(!gw.factory.methods.includes('notifications/cancelled'), 'still open past several keep-alives');
      await sub.close();
      for (let i = 0; i < 50 && !gw.factory.methods.includes('notifications/cancelled'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(gw.factory.methods.includes('notifications/cancelled'));
    } finally {
      await client.close();
      await gw.close();
    }
  });

  it('keeps concurrent stateless requests with the same JSON-RPC id apart', async () => {
    const gw = await gateway(httpTo(fixtures['echo-modern']!.url));
    try {
      const slow = modernCall(1, 'echo', { text: 'first', delayMs: 200 });
      const fast = modernCall(1, 'echo', { text: 'second' });
      const [a, b] = await Promise.all([post(gw.url, slow.body, slow.headers), post(gw.url, fast.body, fast.headers)]);
      assert.equal(a.json?.id, 1);
      assert.equal(b.json?.id, 1);
      // Stateless requests stay JSON for a client that takes SSE too: 2026-07-28 streams do not resume.
      assert.equal(a.headers.get('content-type'), 'application/json');
      assert.equal(text(a.json?.result), 'first');
      assert.equal(text(b.json?.result), 'second');
    } finally {
      await gw.close();
    }
  });

  it('DELETE ends a 2025-era session and its upstream; the id is unknown afterwards', async () => {
    const gw = await gateway(httpTo(fixtures['echo-legacy']!.url));
    try {
      const init = await post(gw.url, INITIALIZE);
      const sid = init.headers.get('mcp-session-id')!;
      assert.ok(sid);
      assert.equal(gw.factory.open, 1);
      const del = await fetch(gw.url, { method: 'DELETE', headers: { 'mcp-session-id': sid } });
      assert.equal(del.status, 200);
      assert.equal(gw.factory.open, 0);
      const again = await post(gw.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), { 'mcp-session-id': sid });
      assert.equal(again.status, 404);
    } finally {
      await gw.close();
    }
  });

  it('holds server messages for the GET stream and replays them from Last-Event-ID', async () => {
    const gw = await gateway(httpTo(fixtures['echo-legacy']!.url));
    const jsonOnly = { accept: 'application/json' };
    try {
      const sid = (await post(gw.url, INITIALIZE)).headers.get('mcp-session-id')!;
      const session = { 'mcp-session-id': sid, ...jsonOnly };
      assert.equal((await post(gw.url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), session)).status, 202);
      // The gateway opens its own GET stream to the server now; the server drops what it sends before that.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const notify = (id: number) => post(gw.url, JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'notify', arguments: {} } }), session);
      // A JSON-only POST cannot carry the notification, and no GET stream is open: it is held.
      assert.equal(text((await notify(2)).json!.result), 'sent');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const events = async (lastEventId?: string, count = 1) => {
        const ac = new AbortController();
        const res = await fetch(gw.url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sid, ...(lastEventId && { 'last-event-id': lastEventId }) }, signal: ac.signal });
        assert.equal(res.status, 200);
        const reader = res.body!.getReader();
        let got = '';
        const deadline = Date.now() + 2_000;
        while ((got.match(/list_changed/g) ?? []).length < count && Date.now() < deadline) {
          const chunk = await Promise.race([reader.read(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), deadline - Date.now()))]);
          if (chunk?.value) got += new TextDecoder().decode(chunk.value);
        }
        ac.abort();
        return [...got.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]);
      };
      const first = await events();
      assert.equal(first.length, 1);
      assert.equal(text((await notify(3)).json!.result), 'sent');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const resumed = await events(first[0]);
      assert.equal(resumed.length, 1);
      assert.ok(Number(resumed[0]) > Number(first[0]), 'only what came after Last-Event-ID');
      assert.deepEqual(await events('0', 2), [first[0], resumed[0]], 'everything retained from the start');
    } finally {
      await gw.close();
    }
  });
});

describe('HTTP listener: resumable POST streams (2025 era)', () => {
  let fixture: HttpFixture;
  before(async () => {
    fixture = await startHttpFixture('echo-http.mjs', ['legacy']);
  });
  after(() => fixture.stop());

  const BOTH = 'application/json, text/event-stream';
  type Event = { id?: string; retry?: string; data: string };
  const parse = (raw: string): Event[] =>
    raw
      .split('\n\n')
      .filter((block) => block.split('\n').some((l) => l.startsWith('data:')))
      .map((block) => {
        const e: Event = { data: '' };
        for (const line of block.split('\n')) {
          const [field, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (field === 'id') e.id = value;
          else if (field === 'retry') e.retry = value;
          else if (field === 'data') e.data += value;
        }
        return e;
      });
  const message = (e: Event | undefined) => (e?.data ? (JSON.parse(e.data) as { id?: unknown; method?: string; result?: unknown; params?: { progress?: number } }) : undefined);

  /** Reads an event stream until it ends, or until `enough` holds (then drops the connection), or 2 s pass. */
  async function read(res: Response, ac: AbortController, enough: (events: Event[]) => boolean = () => false): Promise<Event[]> {
    const reader = res.body!.getReader();
    let raw = '';
    const deadline = Date.now() + 2_000;
    for (;;) {
      const chunk = await Promise.race([reader.read(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now())))]);
      if (chunk?.value) raw += new TextDecoder().decode(chunk.value);
      if (!chunk || chunk.done || enough(parse(raw))) break;
    }
    ac.abort();
    return parse(raw);
  }

  const sendPost = (url: string, body: unknown, headers: Record<string, string>, ac = new AbortController()) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: BOTH, ...headers }, body: JSON.stringify(body), signal: ac.signal });
  const resume = (url: string, sid: string, lastEventId: string, ac = new AbortController()) =>
    fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sid, 'last-event-id': lastEventId }, signal: ac.signal });
  const call = (id: number, args: Record<string, unknown>, progressToken?: string) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'echo', arguments: args, ...(progressToken ? { _meta: { progressToken } } : {}) },
  });

  /** Opens a session at `version`; returns its id and the events of the initialize stream. */
  async function open(url: string, version: string): Promise<{ sid: string; events: Event[] }> {
    const ac = new AbortController();
    const res = await sendPost(url, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }, {}, ac);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const sid = res.headers.get('mcp-session-id')!;
    const events = await read(res, ac);
    assert.equal((await sendPost(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': sid })).status, 202);
    return { sid, events };
  }

  it('answers on an SSE stream: a priming event (id, retry, empty data) first, then an id on every event', async () => {
    const gw = await gateway(httpTo(fixture.url), { retryMs: 300 });
    try {
      const { sid, events: init } = await open(gw.url, '2025-11-25');
      assert.deepEqual(init[0], { id: '1/0', retry: '300', data: '' });
      assert.equal(init[1]!.id, '1/1');
      assert.ok(message(init[1])?.result, 'the initialize result follows the priming event');
      const ac = new AbortController();
      const events = await read(await sendPost(gw.url, call(2, { text: 'numbered' }, 'p'), { 'mcp-session-id': sid }, ac), ac);
      assert.deepEqual(
        events.map((e) => e.id),
        ['2/0', '2/1', '2/2', '2/3'],
      );
      assert.equal(events[0]!.data, '');
      assert.deepEqual(events.slice(1, 3).map((e) => message(e)?.params?.progress), [1, 2]);
      assert.equal(text(message(events[3])?.result), 'numbered');
    } finally {
      await gw.close();
    }
  });

  it('sends no priming event to a session of an earlier revision, but numbers its events all the same', async () => {
    const gw = await gateway(httpTo(fixture.url));
    try {
      const { events } = await open(gw.url, '2025-06-18');
      assert.equal(events.length, 1);
      assert.equal(events[0]!.id, '1/0');
      assert.ok(message(events[0])?.result);
    } finally {
      await gw.close();
    }
  });

  it('resumes a POST stream the client dropped through GET with Last-Event-ID, once', async () => {
    const gw = await gateway(httpTo(fixture.url));
    try {
      const { sid } = await open(gw.url, '2025-11-25');
      const ac = new AbortController();
      const first = await read(await sendPost(gw.url, call(2, { text: 'after the break', delayMs: 300 }, 'p'), { 'mcp-session-id': sid }, ac), ac, (events) => events.length >= 1);
      assert.deepEqual(first[0], { id: '2/0', retry: '1000', data: '' });
      // The call goes on: what it still sends waits for the client, progress included.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const again = new AbortController();
      const res = await resume(gw.url, sid, '2/0', again);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/event-stream');
      const rest = await read(res, again);
      assert.deepEqual(
        rest.map((e) => e.id),
        ['2/1', '2/2', '2/3'],
      );
      assert.equal(text(message(rest[2])?.result), 'after the break');
      // Delivered in full, the stream is let go; the session's own GET stream never saw the answer.
      assert.equal((await resume(gw.url, sid, '2/0')).status, 400);
      const get = new AbortController();
      const held = await read(await fetch(gw.url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sid }, signal: get.signal }), get, () => false);
      assert.ok(!held.some((e) => message(e)?.id === 2));
    } finally {
      await gw.close();
    }
  });

  it('replays a POST stream from the event named, live events following on the same connection', async () => {
    const gw = await gateway(httpTo(fixture.url));
    try {
      const { sid } = await open(gw.url, '2025-11-25');
      const ac = new AbortController();
      await read(await sendPost(gw.url, call(2, { text: 'slow', delayMs: 400 }, 'p'), { 'mcp-session-id': sid }, ac), ac, (events) => events.length >= 3);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Resumed before the answer exists: the events after 2/1 now, the answer when it comes.
      const again = new AbortController();
      const rest = await read(await resume(gw.url, sid, '2/1', again), again);
      assert.deepEqual(
        rest.map((e) => e.id),
        ['2/2', '2/3'],
      );
      assert.equal(text(message(rest[1])?.result), 'slow');
    } finally {
      await gw.close();
    }
  });

  it('past the bound, drops the oldest stream nobody reads; its answer goes to the GET stream instead', async () => {
    const warnings: string[] = [];
    const gw = await gateway(httpTo(fixture.url), { replayEvents: 3, warn: (line) => void warnings.push(line) });
    try {
      const { sid } = await open(gw.url, '2025-11-25');
      const session = { 'mcp-session-id': sid };
      for (const id of [2, 3]) {
        const ac = new AbortController();
        await read(await sendPost(gw.url, call(id, { text: `dropped ${id}`, delayMs: 300 }), session, ac), ac, (events) => events.length >= 1);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      const ac = new AbortController();
      const quick = await read(await sendPost(gw.url, call(4, { text: 'quick' }), session, ac), ac);
      assert.equal(text(message(quick.at(-1))?.result), 'quick');
      assert.equal((await resume(gw.url, sid, '2/0')).status, 400, 'the oldest was let go');
      assert.match(warnings.join('\n'), /held more than 3 events/);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const get = new AbortController();
      const held = await read(await fetch(gw.url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sid }, signal: get.signal }), get, (events) => events.length >= 1);
      assert.equal(text(message(held[0])?.result), 'dropped 2');
      const kept = new AbortController();
      const rest = await read(await resume(gw.url, sid, '3/0', kept), kept);
      assert.equal(text(message(rest.at(-1))?.result), 'dropped 3', 'the newer one is still held');
    } finally {
      await gw.close();
    }
  });

  it('answers in JSON a client that does not name text/event-stream', async () => {
    const gw = await gateway(httpTo(fixture.url));
    try {
      const { sid } = await open(gw.url, '2025-11-25');
      for (const [id, accept] of [
        [2, 'application/json'],
        [3, '*/*'],
      ] as const) {
        const res = await sendPost(gw.url, call(id, { text: accept }), { 'mcp-session-id': sid, accept });
        assert.equal(res.headers.get('content-type'), 'application/json', accept);
        assert.equal(text(((await res.json()) as { result: unknown }).result), accept);
      }
    } finally {
      await gw.close();
    }
  });

  it('closes the client\'s stream where the server closed its own mid-call, and serves the resumption itself', async () => {
    const polling = await startHttpFixture('conformance-server.mjs', ['http']);
    const gw = await gateway(httpTo(polling.url));
    try {
      const { sid } = await open(gw.url, '2025-11-25');
      const ac = new AbortController();
      const res = await sendPost(gw.url, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'test_reconnection', arguments: {} } }, { 'mcp-session-id': sid }, ac);
      const first = await read(res, ac);
      assert.deepEqual(first, [{ id: '2/0', retry: '1000', data: '' }], 'the stream ended after the priming event, without the answer');
      const again = new AbortController();
      const rest = await read(await resume(gw.url, sid, '2/0', again), again);
      assert.equal(text(message(rest.at(-1))?.result), 'Reconnection test completed successfully');
    } finally {
      await gw.close();
      await polling.stop();
    }
  });

  it('Last-Event-ID naming a stream the session never had: 400', async () => {
    const gw = await gateway(httpTo(fixture.url));
    try {
      const { sid } = await open(gw.url, '2025-11-25');
      const res = await resume(gw.url, sid, '99/0');
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /no longer holds/);
    } finally {
      await gw.close();
    }
  });
});

describe('stdio downstream through the Upstream implementations', () => {
  async function relayClient(args: string[]): Promise<Client> {
    const client = new Client({ name: 'stdio-relay-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [RELAY, ...args], stderr: 'pipe' }));
    return client;
  }

  for (const mode of ['legacy', 'modern', 'sse']) {
    it(`reaches an HTTP server (${mode}) through HttpUpstream`, async () => {
      const fixture = await startHttpFixture('echo-http.mjs', [mode]);
      const client = await relayClient([fixture.url]);
      try {
        assert.equal(client.getProtocolEra(), mode === 'modern' ? 'modern' : 'legacy');
        assert.ok((await client.listTools()).tools.some((t) => t.name === 'echo'));
        assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'stdio to http' } })), 'stdio to http');
      } finally {
        await client.close();
        await fixture.stop();
      }
    });
  }

  it('reaches a stdio server through StdioUpstream', async () => {
    const client = await relayClient(['--', process.execPath, join(SERVERS, 'echo-stdio.mjs')]);
    try {
      assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'stdio to stdio' } })), 'stdio to stdio');
    } finally {
      await client.close();
    }
  });
});

describe('HTTP listener: bad input, one case each', () => {
  let gw: Awaited<ReturnType<typeof gateway>>;
  let port: number;
  before(async () => {
    gw = await gateway(stdioEcho, { maxBodyBytes: 64 * 1024 });
    port = Number(new URL(gw.url).port);
  });
  after(() => gw.close());

  /** A request with headers fetch will not let a caller set (Host). */
  function raw(method: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/mcp', method, headers }, (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: data, headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('oversized body: 413 with a JSON-RPC error', async () => {
    const r = await post(gw.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'x', params: { pad: 'x'.repeat(70 * 1024) } }));
    assert.equal(r.status, 413);
    assert.match(r.json!.error!.message, /Payload Too Large/);
  });

  it('malformed JSON: 400 with -32700', async () => {
    const r = await post(gw.url, '{"jsonrpc": "2.0", ');
    assert.equal(r.status, 400);
    assert.equal(r.json!.error!.code, -32700);
  });

  it('not JSON-RPC: 400 with -32600', async () => {
    const r = await post(gw.url, '[]');
    assert.equal(r.status, 400);
    assert.equal(r.json!.error!.code, -32600);
  });

  it('wrong Content-Type: 415', async () => {
    const r = await post(gw.url, INITIALIZE, { 'content-type': 'text/plain' });
    assert.equal(r.status, 415);
  });

  it('missing session id: 400; unknown session id: 404', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    assert.equal((await post(gw.url, list)).status, 400);
    const unknown = await post(gw.url, list, { 'mcp-session-id': 'no-such-session' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json!.id, 2);
    assert.equal((await fetch(gw.url, { headers: { accept: 'text/event-stream' } })).status, 400, 'a GET stream needs a session too');
  });

  it('a Host that is not this gateway (DNS rebinding): 403', async () => {
    const r = await raw('POST', { host: `evil.example:${port}`, 'content-type': 'application/json' }, INITIALIZE);
    assert.equal(r.status, 403);
    assert.equal((await raw('POST', { host: `localhost:${port}`, 'content-type': 'application/json' }, '{')).status, 400, 'localhost:PORT passes');
  });

  it('a foreign Origin: 403; a local one passes', async () => {
    assert.equal((await post(gw.url, INITIALIZE, { origin: 'https://evil.example' })).status, 403);
    assert.equal((await post(gw.url, '{', { origin: 'http://localhost:3000' })).status, 400);
  });

  it('unknown path: 404; wrong method: 405 with Allow', async () => {
    assert.equal((await fetch(gw.url.replace('/mcp', '/other'), { method: 'POST' })).status, 404);
    const put = await fetch(gw.url, { method: 'PUT' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, POST, DELETE');
  });

  it('Mcp-Method or Mcp-Name disagreeing with the body: 400 with -32020', async () => {
    const call = modernCall(5, 'echo', { text: 'x' });
    const method = await post(gw.url, call.body, { ...call.headers, 'mcp-method': 'tools/list' });
    assert.equal(method.status, 400);
    assert.equal(method.json!.error!.code, -32020);
    assert.equal(method.json!.id, 5);
    const name = await post(gw.url, call.body, { ...call.headers, 'mcp-name': 'delete_file' });
    assert.equal(name.json!.error!.code, -32020);
    const missing = await post(gw.url, call.body, { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call' });
    assert.equal(missing.json!.error!.code, -32020);
  });
});

describe('HTTP listener: tokens and binds', () => {
  it('refuses to listen beyond loopback without a token', async () => {
    await assert.rejects(startHttpListener({ host: '0.0.0.0', port: 0 }, passThrough(stdioEcho)), /--token/);
  });

  it('on 0.0.0.0 with a token: 401 without it or with a wrong one, served with it', async () => {
    const gw = await gateway(stdioEcho, { host: '0.0.0.0', token: 'sesame-0123456789' });
    const url = gw.url.replace('0.0.0.0', '127.0.0.1');
    try {
      const none = await post(url, INITIALIZE);
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      assert.equal((await post(url, INITIALIZE, { authorization: 'Bearer wrong' })).status, 401);
      const ok = await post(url, INITIALIZE, { authorization: 'Bearer sesame-0123456789' });
      assert.equal(ok.status, 200);
      assert.ok(ok.json!.result);
    } finally {
      await gw.close();
    }
  });

  it("never forwards the client's Authorization; the upstream gets only its own headers", async () => {
    const mirror = await startHttpFixture('faulty-http.mjs', ['mirror']);
    const gw = await gateway(httpTo(mirror.url, { headers: [['Authorization', 'Bearer upstream-token']] }), { token: 'downstream-secret' });
    try {
      const call = modernCall('a', 'echo', { text: 'x' });
      const r = await post(gw.url, call.body, { ...call.headers, authorization: 'Bearer downstream-secret', cookie: 'c=1', 'x-custom': 'y' });
      const seen = (r.json!.result as { headers: Record<string, string> }).headers;
      assert.equal(seen['authorization'], 'Bearer upstream-token');
      assert.equal(seen['cookie'], undefined);
      assert.equal(seen['x-custom'], undefined);
      assert.equal(seen['mcp-method'], 'tools/call');
      assert.equal(seen['mcp-name'], 'echo');
      assert.equal(seen['mcp-protocol-version'], MODERN);
      assert.ok(!JSON.stringify(seen).includes('downstream-secret'));
    } finally {
      await gw.close();
      await mirror.stop();
    }
  });
});

describe('HTTP gateway: an upstream that misbehaves', () => {
  it('a 2025-era handshake the upstream fails releases its session at once', async () => {
    const bad = await startHttpFixture('faulty-http.mjs', ['status500']);
    const gw = await gateway(httpTo(bad.url));
    try {
      const r = await post(gw.url, INITIALIZE);
      assert.equal(r.json!.id, 1);
      assert.match(r.json!.error!.message, /upstream HTTP 500/);
      for (let i = 0; i < 50 && gw.factory.open > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(gw.factory.open, 0);
    } finally {
      await gw.close();
      await bad.stop();
    }
  });

  const cases: [string, string, string[], RegExp][] = [
    ['garbage', 'faulty-http.mjs', ['garbage'], /upstream HTTP 200: the body is not JSON/],
    ['a 500', 'faulty-http.mjs', ['status500'], /upstream HTTP 500: database on fire/],
    ['a web page', 'hostile-http.mjs', ['html'], /unexpected content type text\/html/],
    ['no answer', 'hostile-http.mjs', ['hang'], /did not answer within 300 ms/],
    ['a stream cut mid-way', 'faulty-http.mjs', ['drop-sse'], /stream (ended|failed) before the response/],
  ];
  for (const [label, file, args, expected] of cases) {
    it(`${label}: the client gets a JSON-RPC error and the gateway keeps serving`, async () => {
      const bad = await startHttpFixture(file, args);
      const gw = await gateway(httpTo(bad.url, { transport: 'streamable-http', requestTimeoutMs: 300 }));
      try {
        for (const id of [1, 2]) {
          const call = modernCall(id, 'echo', { text: 'x' });
          const r = await post(gw.url, call.body, call.headers);
          assert.equal(r.status, 200);
          assert.equal(r.json!.id, id);
          assert.match(r.json!.error!.message, expected);
        }
      } finally {
        await gw.close();
        await bad.stop();
      }
    });
  }
});
