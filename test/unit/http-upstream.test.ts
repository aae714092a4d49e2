// HttpUpstream against real HTTP servers (fixtures in test/fixtures/servers), and the pieces it
// and the listener share: the SSE parser, the SEP-2243 header rules, header and address options,
// the access checks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { accessPolicy, checkAccess } from '../../src/gateway/http-access.js';
import { parseListenAddress } from '../../src/gateway/http-listener.js';
import { decodeHeaderValue, encodeHeaderValue, headerMismatch, type Json } from '../../src/gateway/http-messages.js';
import { HttpUpstream, parseUpstreamHeader, type HttpUpstreamOptions } from '../../src/gateway/http-upstream.js';
import { SseParser, SseTooLarge, sseEvent, type SseEvent } from '../../src/gateway/sse-parser.js';
import type { Frame } from '../../src/gateway/transport.js';
import { startHttpFixture, type HttpFixture } from '../helpers/http-fixture.js';

const MODERN = '2026-07-28';
const META = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' } };
const INITIALIZE = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };

type Msg = { id?: unknown; method?: string; params?: Json; result?: Json; error?: { code: number; message: string } };

/** An HttpUpstream started against `url`, recording what it hands the session. */
async function connect(url: string, o: Partial<HttpUpstreamOptions> = {}) {
  const frames: Frame[] = [];
  const closed: string[] = [];
  const warnings: string[] = [];
  const upstream = new HttpUpstream({ url, warn: (l) => void warnings.push(l), ...o });
  await upstream.start({ frame: (f) => void frames.push(f), closed: (r) => void closed.push(r) });
  const messages = () => frames.map((f) => f.message as Msg);
  async function waitFor<T>(pick: () => T | undefined, what: string, ms = 5_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = pick();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(messages())}; closed: ${closed.join('; ')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  const response = (id: unknown) => waitFor(() => messages().find((m) => m.id === id && (m.result || m.error)), `the response to ${String(id)}`);
  return { upstream, frames, closed, warnings, messages, waitFor, response };
}

describe('SseParser', () => {
  const parse = (chunks: string[], max = 1024) => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => void events.push(e), max);
    for (const c of chunks) parser.push(new TextEncoder().encode(c));
    return { events, parser };
  };

  it('reads events whatever the chunking and line ends', () => {
    const stream = '\ufeff: comment\r\nid: 1\r\nevent: endpoint\r\ndata: /messages?x=1\r\n\r\ndata: {"a":\ndata: 1}\n\nretry: 250\rdata: last\r\r';
    const whole = parse([stream]).events;
    assert.deepEqual(whole, [
      { event: 'endpoint', data: '/messages?x=1', id: '1' },
      { event: 'message', data: '{"a":\n1}', id: '1' },
      { event: 'message', data: 'last', id: '1' },
    ]);
    // Every split point, CRLF halves and a multi-byte character included.
    for (let i = 1; i < stream.length; i++) assert.deepEqual(parse([stream.slice(0, i), stream.slice(i)]).events, whole, `split at ${i}`);
    assert.equal(parse([stream]).parser.retryMs, 250);
    assert.deepEqual(parse(['data: é\n', '\n']).events, [{ event: 'message', data: 'é', id: undefined }]);
  });

  it('ignores events without data and incomplete events, and caps an event', () => {
    assert.deepEqual(parse(['event: x\n\nid: 5\n\ndata: open']).events, []);
    assert.equal(parse(['id: 5\n\n']).parser.lastEventId, '5');
    assert.throws(() => parse([`data: ${'x'.repeat(2000)}`]), SseTooLarge);
    assert.throws(() => parse(['data: xxxxxxxxx\n'.repeat(300)]), SseTooLarge);
  });

  it('sseEvent writes what the parser reads back', () => {
    const { events } = parse([sseEvent('{"a":1}\n{"b":2}', '9')]);
    assert.deepEqual(events, [{ event: 'message', data: '{"a":1}\n{"b":2}', id: '9' }]);
  });
});

describe('SEP-2243 request headers', () => {
  it('Mcp-Name values are plain when safe, else Base64 in the sentinel', () => {
    assert.equal(encodeHeaderValue('get_weather'), 'get_weather');
    assert.equal(encodeHeaderValue('Hello, 世界'), '=?base64?SGVsbG8sIOS4lueVjA==?=');
    assert.equal(encodeHeaderValue(' padded '), '=?base64?IHBhZGRlZCA=?=');
    assert.equal(encodeHeaderValue('=?base64?literal?='), '=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=');
    for (const v of ['get_weather', 'Hello, 世界', ' padded ', 'line1\nline2', '']) assert.equal(decodeHeaderValue(encodeHeaderValue(v)), v);
    assert.equal(decodeHeaderValue('=?base64?not base64?='), undefined);
  });

  it('checks the mirrored headers against the body', () => {
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', _meta: META } };
    const headers = (h: Record<string, string>) => (name: string) => h[name];
    const good = { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'echo' };
    assert.equal(headerMismatch(call, MODERN, headers(good)), undefined);
    assert.match(headerMismatch(call, MODERN, headers({ ...good, 'mcp-name': 'rm' }))!, /Mcp-Name header "rm" does not match params.name "echo"/);
    assert.match(headerMismatch(call, MODERN, headers({ ...good, 'mcp-method': 'tools/list' }))!, /Mcp-Method/);
    assert.match(headerMismatch(call, MODERN, headers({ ...good, 'mcp-protocol-version': '2025-06-18' }))!, /MCP-Protocol-Version/);
    assert.match(headerMismatch(call, MODERN, headers({ 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call' }))!, /Mcp-Name header is missing/);
    const read = { jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'file:///é', _meta: META } };
    assert.equal(headerMismatch(read, MODERN, headers({ 'mcp-protocol-version': MODERN, 'mcp-method': 'resources/read', 'mcp-name': encodeHeaderValue('file:///é') })), undefined);
    const list = { jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _meta: META } };
    assert.equal(headerMismatch(list, MODERN, headers({ 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' })), undefined);
    const note = { jsonrpc: '2.0', method: 'notifications/x', params: { _meta: META } };
    assert.equal(headerMismatch(note, MODERN, headers({})), undefined, 'notifications need no headers');
  });
});

describe('options', () => {
  it('parseUpstreamHeader', () => {
    assert.deepEqual(parseUpstreamHeader('Authorization: Bearer abc:def'), ['Authorization', 'Bearer abc:def']);
    assert.throws(() => parseUpstreamHeader('no colon'), /expected "Name: value"/);
    assert.throws(() => parseUpstreamHeader('Mcp-Session-Id: x'), /set by the gateway/);
    assert.throws(() => parseUpstreamHeader('X-A: b\r\nX-B: c'), /line break/);
    assert.throws(() => new HttpUpstream({ url: 'file:///etc/passwd' }), /not supported/);
  });

  it('parseListenAddress', () => {
    assert.deepEqual(parseListenAddress('127.0.0.1:8080'), { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(parseListenAddress('9000'), { host: '127.0.0.1', port: 9000 });
    assert.deepEqual(parseListenAddress('[::1]:0'), { host: '::1', port: 0 });
    assert.throws(() => parseListenAddress('localhost'), /HOST:PORT/);
    assert.throws(() => parseListenAddress('1.2.3.4:70000'), /HOST:PORT/);
  });

  it('access checks: Host, Origin, token', () => {
    const local = accessPolicy({ host: '127.0.0.1', port: 8080 });
    assert.equal(checkAccess({ host: '127.0.0.1:8080' }, local), undefined);
    assert.equal(checkAccess({ host: 'LOCALHOST:8080', origin: 'http://localhost:5173' }, local), undefined);
    assert.equal(checkAccess({ host: '[::1]:8080', origin: 'https://127.0.0.1' }, local), undefined);
    assert.equal(checkAccess({ host: 'attacker.example:8080' }, local)?.status, 403);
    assert.equal(checkAccess({ host: '127.0.0.1:9999' }, local)?.status, 403);
    assert.equal(checkAccess({}, local)?.status, 403);
    for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example', 'file://', 'http://user@localhost']) {
      assert.equal(checkAccess({ host: '127.0.0.1:8080', origin }, local)?.status, 403, origin);
    }
    assert.throws(() => accessPolicy({ host: '0.0.0.0', port: 1 }), /--token/);
    const remote = accessPolicy({ host: '0.0.0.0', port: 1, token: 't0ken', allowedOrigins: ['https://app.example'] });
    assert.equal(checkAccess({ host: 'gateway.internal:1', authorization: 'Bearer t0ken', origin: 'https://app.example' }, remote), undefined);
    assert.equal(checkAccess({ host: 'gateway.internal:1', authorization: 'bearer t0ken' }, remote), undefined);
    for (const authorization of [undefined, 'Bearer t0ke', 'Bearer t0ken2', 'Basic t0ken', 'Bearer']) {
      assert.equal(checkAccess({ host: 'x:1', ...(authorization && { authorization }) }, remote)?.status, 401, authorization);
    }
  });
});

describe('HttpUpstream against real servers', () => {
  const fixtures: Record<string, HttpFixture> = {};
  before(async () => {
    const names = ['legacy', 'modern', 'sse'];
    const started = await Promise.all(names.map((n) => startHttpFixture('echo-http.mjs', [n])));
    names.forEach((n, i) => (fixtures[n] = started[i]!));
  });
  after(() => Promise.all(Object.values(fixtures).map((f) => f.stop())));

  it('2025 era: keeps the session, streams progress, opens the GET stream, DELETEs on close', async () => {
    const up = await connect(fixtures['legacy']!.url);
    up.upstream.send({ message: INITIALIZE });
    assert.ok((await up.response(0)).result);
    up.upstream.send({ message: INITIALIZED });
    await new Promise((resolve) => setTimeout(resolve, 200));
    up.upstream.send({ message: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' }, _meta: { progressToken: 'p' } } } });
    assert.equal(((await up.response(1)).result as { content: { text: string }[] }).content[0]!.text, 'hi');
    assert.deepEqual(up.messages().filter((m) => m.method === 'notifications/progress').map((m) => m.params!['progress']), [1, 2]);
    up.upstream.send({ message: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'notify', arguments: {} } } });
    await up.waitFor(() => up.messages().find((m) => m.method === 'notifications/tools/list_changed'), 'list_changed on the GET stream');
    assert.equal(up.upstream.transport, 'streamable-http');
    await up.upstream.close();
    assert.deepEqual(up.closed, ['closed by the gateway']);
    assert.doesNotThrow(() => up.upstream.send({ message: { jsonrpc: '2.0', id: 3, method: 'tools/list' } }), 'send after close');
  });

  it('2026-07-28: a modern request gets its answer (the server checks the mirrored headers)', async () => {
    const up = await connect(fixtures['modern']!.url);
    up.upstream.send({ message: { jsonrpc: '2.0', id: 'd', method: 'server/discover', params: { _meta: META } } });
    assert.ok((await up.response('d')).result);
    up.upstream.send({ message: { jsonrpc: '2.0', id: 'c', method: 'tools/call', params: { name: 'echo', arguments: { text: 'modern' }, _meta: META } } });
    assert.equal(((await up.response('c')).result as { content: { text: string }[] }).content[0]!.text, 'modern');
    await up.upstream.close();
  });

  it('auto falls back to HTTP+SSE when the POST is refused, and reports the stream closing', async () => {
    const sse = await startHttpFixture('echo-http.mjs', ['sse']);
    const up = await connect(sse.url);
    up.upstream.send({ message: INITIALIZE });
    assert.ok((await up.response(0)).result);
    assert.equal(up.upstream.transport, 'sse');
    up.upstream.send({ message: INITIALIZED });
    up.upstream.send({ message: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'old' } } } });
    assert.equal(((await up.response(1)).result as { content: { text: string }[] }).content[0]!.text, 'old');
    await sse.stop();
    await up.waitFor(() => up.closed[0], 'closed');
    assert.match(up.closed[0]!, /the upstream SSE stream (ended|failed)/);
    assert.equal(up.upstream.connected, false);
  });

  it('--upstream-transport sse on a URL that is no SSE endpoint: closed with the reason', async () => {
    const up = await connect(fixtures['modern']!.url, { transport: 'sse' });
    assert.equal(up.upstream.connected, false);
    assert.match(up.closed[0]!, /could not connect to http:\/\/127\.0\.0\.1:\d+\/mcp: HTTP 405/);
  });
});

describe('HttpUpstream failures', () => {
  it('sends only its configured headers, and the SEP-2243 ones on a modern request', async () => {
    const mirror = await startHttpFixture('faulty-http.mjs', ['mirror']);
    const up = await connect(mirror.url, { headers: [parseUpstreamHeader('Authorization: Bearer upstream-only'), ['X-Tenant', 'a']] });
    try {
      up.upstream.send({ message: { jsonrpc: '2.0', id: 1, method: 'prompts/get', params: { name: 'résumé', _meta: META } } });
      up.upstream.send({ message: { jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'file:///etc/motd', _meta: META } } });
      up.upstream.send({ message: { jsonrpc: '2.0', id: 3, method: 'tools/list' } });
      const seen = async (id: number) => ((await up.response(id)).result as { headers: Record<string, string> }).headers;
      const prompt = await seen(1);
      assert.equal(prompt['authorization'], 'Bearer upstream-only');
      assert.equal(prompt['x-tenant'], 'a');
      assert.equal(prompt['accept'], 'application/json, text/event-stream');
      assert.equal(prompt['mcp-method'], 'prompts/get');
      assert.equal(prompt['mcp-name'], encodeHeaderValue('résumé'));
      assert.equal(prompt['mcp-protocol-version'], MODERN);
      assert.equal((await seen(2))['mcp-name'], 'file:///etc/motd');
      const legacy = await seen(3);
      assert.equal(legacy['mcp-method'], undefined, 'no 2026 headers on a 2025-era request');
      assert.equal(legacy['mcp-name'], undefined);
    } finally {
      await up.upstream.close();
      await mirror.stop();
    }
  });

  it('a body over 10 MB becomes an error for that request', async () => {
    const huge = await startHttpFixture('faulty-http.mjs', ['huge']);
    const up = await connect(huge.url);
    try {
      up.upstream.send({ message: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
      assert.match((await up.response(1)).error!.message, /upstream HTTP 200: the body is over 10 MB/);
    } finally {
      await up.upstream.close();
      await huge.stop();
    }
  });

  it('an unreachable server becomes an error, not a crash', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const up = await connect(`http://127.0.0.1:${port}/mcp`);
    up.upstream.send({ message: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    const r = await up.response(1);
    assert.equal(r.error!.code, -32050);
    assert.match(r.error!.message, /upstream unreachable: connection refused/);
    await up.upstream.close();
  });

  it('a request the server never answers times out; a cancelled one gets no answer at all', async () => {
    const hang = await startHttpFixture('hostile-http.mjs', ['hang']);
    const up = await connect(hang.url, { transport: 'streamable-http', requestTimeoutMs: 200 });
    try {
      up.upstream.send({ message: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
      up.upstream.send({ message: { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: META } } });
      up.upstream.send({ message: { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2 } } });
      up.upstream.send({ message: { jsonrpc: '2.0', id: 3, method: 'tools/list' } });
      up.upstream.send({ message: { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3 } } });
      const r = await up.response(1);
      assert.equal(r.error!.code, -32050);
      assert.match(r.error!.message, /did not answer within 200 ms/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(up.messages().filter((m) => m.id === 2 || m.id === 3).length, 0, 'cancelled requests get no answer, not even a timeout');
    } finally {
      await up.upstream.close();
      await hang.stop();
    }
  });

  it('a cut SSE response: what came first is relayed, then an error for the request', async () => {
    const drop = await startHttpFixture('faulty-http.mjs', ['drop-sse']);
    const up = await connect(drop.url);
    try {
      up.upstream.send({ message: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: {} } } });
      assert.match((await up.response(1)).error!.message, /upstream stream (ended|failed) before the response/);
      assert.equal(up.messages()[0]!.method, 'notifications/progress');
    } finally {
      await up.upstream.close();
      await drop.stop();
    }
  });

  it('a request stream the server ends early is resumed with Last-Event-ID (2025-11-25 polling)', async () => {
    const poll = await startHttpFixture('faulty-http.mjs', ['poll']);
    const up = await connect(poll.url);
    try {
      up.upstream.send({ message: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: {} } } });
      assert.deepEqual((await up.response(1)).result, { resumedFrom: 'p1' });
      assert.deepEqual(up.warnings, [], 'the priming event is no message');
    } finally {
      await up.upstream.close();
      await poll.stop();
    }
  });

  it('resumes a dropped GET stream with Last-Event-ID', async () => {
    const resume = await startHttpFixture('faulty-http.mjs', ['resume']);
    const up = await connect(resume.url);
    try {
      up.upstream.send({ message: INITIALIZE });
      await up.response(0);
      up.upstream.send({ message: INITIALIZED });
      const logs = () => {
        const data = up.messages().filter((m) => m.method === 'notifications/message').map((m) => m.params!['data']);
        return data.length === 2 ? data : undefined;
      };
      assert.deepEqual(await up.waitFor(logs, 'both stream messages'), ['first', 'resumed after 7']);
      assert.deepEqual(up.closed, []);
    } finally {
      await up.upstream.close();
      await resume.stop();
    }
  });

  it('a 2025-era session the server forgot ends the connection (the session answers what is pending)', async () => {
    const expire = await startHttpFixture('faulty-http.mjs', ['expire']);
    const up = await connect(expire.url);
    try {
      up.upstream.send({ message: INITIALIZE });
      await up.response(0);
      up.upstream.send({ message: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
      assert.match(await up.waitFor(() => up.closed[0], 'closed'), /the upstream session expired \(HTTP 404/);
      assert.equal(up.upstream.connected, false);
      assert.equal(up.messages().filter((m) => m.id === 1).length, 0);
    } finally {
      await expire.stop();
    }
  });
});
