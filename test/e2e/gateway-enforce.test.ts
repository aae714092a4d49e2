// The gateway's interceptors against a real server (test/fixtures/servers/actions-stdio.mjs, both
// protocol eras) and real clients: approvals through the protocol (elicitation on a 2025-era
// connection, InputRequiredResult on a 2026-07-28 one) with signed receipts, response scanning,
// session taint and sequences, argument checks, pins, the kill switch, upstream crashes and hangs,
// hostile client input, and the audit store surviving SIGKILL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { queryEvents } from '../../src/store/query.js';
import { recoverSpools } from '../../src/store/spool.js';
import { BIN, FIXTURES, tempDir, warden } from '../helpers/cli.js';
import { LEGACY_INIT, MODERN_META, RpcPipe, type Message } from '../helpers/rpc-pipe.js';

const ACTIONS = join(FIXTURES, 'servers', 'actions-stdio.mjs');

interface Gateway {
  home: string;
  args: string[];
  env: Record<string, string>;
}

function gateway(args: string[] = ['--preset', 'balanced'], home = tempDir()): Gateway {
  return { home, env: { ...(process.env as Record<string, string>), WARDEN_HOME: home }, args: [BIN, 'gateway', '--name', 'actions', ...args, '--', process.execPath, ACTIONS] };
}

type Answer = { approve: boolean } | undefined;

/** A v2 SDK client through the gateway; `answer` set: the client supports elicitation and answers with it. */
async function client(g: Gateway, era: 'legacy' | 'auto', answer?: () => Answer): Promise<Client> {
  const c = new Client({ name: 'enforce-test', version: '1.0.0' }, { versionNegotiation: { mode: era }, ...(answer ? { capabilities: { elicitation: { form: {} } } } : {}) });
  if (answer) {
    c.setRequestHandler('elicitation/create', async () => {
      const a = answer();
      return a ? { action: 'accept', content: a } : { action: 'decline' };
    });
  }
  await c.connect(new StdioClientTransport({ command: process.execPath, args: g.args, env: g.env, stderr: 'pipe' }));
  return c;
}

const text = (r: unknown) => ((r as { content: { text: string }[] }).content.map((c) => c.text).join('\n'));

/** The audit store's events, after ingesting what gateways (running or killed) still hold in their spools. */
async function events(home: string) {
  const writer = await openSqliteStore(join(home, 'audit.db'));
  recoverSpools(writer, { live: true });
  writer.close();
  const store = await openSqliteStore(join(home, 'audit.db'), { readonly: true });
  try {
    return queryEvents(store, { limit: 10_000 }).events;
  } finally {
    store.close();
  }
}

function pipe(g: Gateway): RpcPipe {
  return new RpcPipe(process.execPath, g.args, g.env);
}

const call = (name: string, args: Message = {}, extra: Message = {}) => ({ name, arguments: args, ...extra });

describe('gateway approvals', () => {
  for (const era of ['legacy', 'auto'] as const) {
    const how = era === 'legacy' ? 'elicitation/create (2025-era)' : 'an InputRequiredResult (2026-07-28)';
    it(`asks the person through ${how}: yes lets the call through with a receipt, no blocks it`, async () => {
      const g = gateway();
      let reply: Answer = { approve: true };
      let asked = 0;
      const c = await client(g, era, () => (asked++, reply));
      try {
        assert.equal(c.getProtocolEra?.(), era === 'legacy' ? 'legacy' : 'modern');
        assert.equal(text(await c.callTool(call('delete_file', { path: '/tmp/a' }))), 'deleted /tmp/a');
        reply = { approve: false };
        const no = await c.callTool(call('delete_file', { path: '/tmp/b' }));
        assert.equal(no.isError, true);
        assert.match(text(no), /ask-destructive-tools.*declined/);
        reply = undefined;
        assert.match(text(await c.callTool(call('delete_file', { path: '/tmp/c' }))), /declined/);
        assert.equal(asked, 3);
      } finally {
        await c.close();
      }
      const calls = (await events(g.home)).filter((e) => e.tool === 'delete_file' && e.method === 'tools/call' && !e.parentId && e.outcome !== 'approval-requested');
      assert.deepEqual(calls.map((e) => [e.decision, e.outcome]), [['allow', 'approved'], ['deny', 'declined'], ['deny', 'declined']]);
      assert.match(calls[0]!.summary ?? '', /^approval receipt [0-9a-f-]{36}$/, 'the approved call records its receipt');
    });
  }

  it('refuses an altered or replayed retry of an approved 2026-07-28 call', async () => {
    const p = pipe(gateway());
    try {
      const params = (args: Message, extra: Message = {}) => ({ ...call('delete_file', args), _meta: MODERN_META, ...extra });
      const first = await p.request(1, 'tools/call', params({ path: '/tmp/a' }));
      assert.equal(first['result'].resultType, 'input_required');
      const state = first['result'].requestState as string;
      const [key] = Object.keys(first['result'].inputRequests);
      assert.match(first['result'].inputRequests[key!].params.message, /delete_file.*\/tmp\/a/s);
      const yes = { inputResponses: { [key!]: { action: 'accept', content: { approve: true } } }, requestState: state };
      const altered = await p.request(2, 'tools/call', params({ path: '/etc/passwd' }, yes));
      assert.match(altered['result'].content[0].text, /differs from the one that was approved/);
      const ok = await p.request(3, 'tools/call', params({ path: '/tmp/a' }, yes));
      assert.equal(ok['result'].content[0].text, 'deleted /tmp/a');
      const replay = await p.request(4, 'tools/call', params({ path: '/tmp/a' }, yes));
      assert.match(replay['result'].content[0].text, /already used/);
      const forged = await p.request(5, 'tools/call', params({ path: '/tmp/a' }, { ...yes, requestState: `${state.slice(0, -4)}AAAA` }));
      assert.match(forged['result'].content[0].text, /not signed by this gateway/);
    } finally {
      await p.close();
    }
  });
});

describe('gateway response scanning and session taint', () => {
  it('redacts secrets in results, flags injections, and then asks before data goes out', async () => {
    const g = gateway();
    const c = await client(g, 'auto');
    try {
      const config = text(await c.callTool(call('read_config')));
      assert.ok(!config.includes('wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8vT4nR2kLm'), config);
      assert.ok(!config.includes('AKIAQYLPMN5HFIQR7XYZ'), config);
      assert.match(config, /region=eu-west-1/);
      // Before any untrusted input, sending is allowed.
      assert.equal(text(await c.callTool(call('send_email', { to: 'a@example.com', body: 'hi' }))), 'sent to a@example.com');
      assert.match(text(await c.callTool(call('fetch_page', { url: 'https://example.com' }))), /Ignore all previous instructions/);
      const after = await c.callTool(call('send_email', { to: 'a@example.com', body: 'hi' }));
      assert.equal(after.isError, true);
      assert.match(text(after), /ask-egress-after-untrusted-input/);
    } finally {
      await c.close();
    }
    const all = await events(g.home);
    const fetched = all.find((e) => e.tool === 'fetch_page' && e.parentId);
    assert.ok(fetched?.findings?.some((f) => f.startsWith('response-injection:')), JSON.stringify(fetched));
    assert.ok(all.find((e) => e.tool === 'read_config' && e.parentId)?.findings?.includes('response-secret'));
  });

  for (const [mode, expect] of [
    ['wrap', /\[Warden\] The tool result below contains text that reads as instructions[\s\S]*Ignore all previous[\s\S]*End of the untrusted tool result/],
    ['block', /^Warden withheld this tool result/],
  ] as const) {
    it(`responses.injection: ${mode}`, async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'warden.yaml'), `version: 1\nresponses: { injection: ${mode} }\n`);
      const c = await client(gateway(['--policy', join(dir, 'warden.yaml')]), 'auto');
      try {
        assert.match(text(await c.callTool(call('fetch_page', { url: 'https://example.com' }))), expect);
      } finally {
        await c.close();
      }
    });
  }

  it('the observe preset alters nothing: secrets and injections are recorded, not changed', async () => {
    const g = gateway(['--preset', 'observe']);
    const c = await client(g, 'auto');
    try {
      assert.match(text(await c.callTool(call('read_config'))), /AKIAQYLPMN5HFIQR7XYZ/);
      assert.equal(text(await c.callTool(call('delete_file', { path: '/x' }))), 'deleted /x');
    } finally {
      await c.close();
    }
    const all = await events(g.home);
    assert.ok(all.find((e) => e.tool === 'read_config' && e.parentId)?.findings?.includes('response-secret'));
    assert.equal(all.find((e) => e.tool === 'delete_file' && !e.parentId)?.decision, 'audit', 'what balanced would have asked is recorded as audit');
  });

  it('sequence rules see the tools the session called before', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'warden.yaml'),
      `version: 1
rules:
  - id: no-mail-after-config
    match: { kind: tool_call, tool: send_email }
    when: '"read_config" in session.history'
    effect: deny
    reason: Nothing is mailed once the configuration was read.
`,
    );
    const c = await client(gateway(['--policy', join(dir, 'warden.yaml')]), 'auto');
    try {
      assert.equal(text(await c.callTool(call('send_email', { to: 'a@b.c', body: 'x' }))), 'sent to a@b.c');
      await c.callTool(call('read_config'));
      assert.match(text(await c.callTool(call('send_email', { to: 'a@b.c', body: 'x' }))), /no-mail-after-config/);
    } finally {
      await c.close();
    }
  });
});

describe('gateway argument checks, pins and the kill switch', () => {
  it('refuses paths outside the allowed roots, symlinks and .. included', async () => {
    const dir = tempDir();
    const root = join(dir, 'work');
    mkdirSync(root);
    symlinkSync('/etc', join(root, 'etc-link'));
    writeFileSync(join(dir, 'warden.yaml'), `version: 1\narguments: { roots: ["${root}"], hosts: ["example.com"] }\n`);
    const c = await client(gateway(['--policy', join(dir, 'warden.yaml')]), 'auto');
    try {
      assert.equal(text(await c.callTool(call('delete_file', { path: join(root, 'a.txt') }))), `deleted ${join(root, 'a.txt')}`);
      for (const path of [`${root}/../secret`, join(root, 'etc-link', 'passwd'), '/etc/passwd']) {
        assert.match(text(await c.callTool(call('delete_file', { path }))), /arguments\.roots/, path);
      }
      assert.match(text(await c.callTool(call('fetch_page', { url: 'https://evil.example.net/x' }))), /arguments\.hosts/);
      assert.match(text(await c.callTool(call('fetch_page', { url: 'https://example.com/x' }))), /Welcome/);
    } finally {
      await c.close();
    }
  });

  it('classes path arguments as the hooks do: a credential file is denied, Warden\'s own state is off limits', async () => {
    const g = gateway(['--preset', 'balanced']);
    const c = await client(g, 'auto');
    try {
      assert.match(text(await c.callTool(call('delete_file', { path: '~/.ssh/id_ed25519' }))), /deny-secret-files/);
      assert.match(text(await c.callTool(call('delete_file', { path: join(g.home, 'receipt.key') }))), /builtin:self-protection/);
      // An ordinary file is only the destructive tool's question.
      assert.match(text(await c.callTool(call('delete_file', { path: join(g.home, '..', 'notes.txt') }))), /ask-destructive-tools|approv/);
    } finally {
      await c.close();
    }
    const tamper = (await events(g.home)).find((e) => e.rule === 'builtin:self-protection');
    assert.equal(tamper?.severity, 'critical');
  });

  // Mid-session changes reach a 2025-era connection as notifications/tools/list_changed; a
  // 2026-07-28 client only hears of them on a subscriptions/listen stream, so the gateway also
  // re-lists on its own once its copy is older than a few seconds.
  it('hides and blocks a tool whose definition changed since it was pinned, also mid-session', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { actions: { command: process.execPath, args: [ACTIONS] } } }));
    const pinned = warden(['pin', dir, '--yes']);
    assert.equal(pinned.status, 0, pinned.stderr);
    const c = await client(gateway(['--preset', 'balanced', '--lockfile', join(dir, 'warden.lock.json')]), 'legacy');
    try {
      assert.ok((await c.listTools()).tools.some((t) => t.name === 'echo'));
      assert.equal(text(await c.callTool(call('echo', { text: 'a' }))), 'a');
      await c.callTool(call('rug_pull'));
      // The server announced list_changed; the next call is checked against the new definition.
      const blocked = await c.callTool(call('echo', { text: 'b' }));
      assert.match(text(blocked), /pinning\.changed/);
      assert.ok(!(await c.listTools()).tools.some((t) => t.name === 'echo'), 'the changed tool is hidden');
    } finally {
      await c.close();
    }
  });

  it('refuses every call while the kill file exists', async () => {
    const g = gateway();
    const c = await client(g, 'auto');
    try {
      writeFileSync(join(g.home, 'kill'), 'incident 42: agents paused\n');
      await new Promise((r) => setTimeout(r, 150));
      assert.match(text(await c.callTool(call('echo', { text: 'x' }))), /kill-switch.*incident 42/);
      unlinkSync(join(g.home, 'kill'));
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(text(await c.callTool(call('echo', { text: 'x' }))), 'x');
    } finally {
      await c.close();
    }
  });
});

describe('gateway reliability', () => {
  for (const era of ['legacy', 'auto'] as const) {
    it(`a crashed server (${era}) answers with an error, and the next call restarts it`, async () => {
      const c = await client(gateway(), era);
      try {
        await assert.rejects(c.callTool(call('crash')), /server stopped.*exited with code 3/);
        await new Promise((r) => setTimeout(r, 1100)); // restart back-off
        assert.equal(text(await c.callTool(call('echo', { text: 'again' }))), 'again');
      } finally {
        await c.close();
      }
    });
  }

  it('a hung call is cancelled after --request-timeout with a reason', async () => {
    const c = await client(gateway(['--preset', 'balanced', '--request-timeout', '1']), 'auto');
    try {
      await assert.rejects(c.callTool(call('hang')), /did not answer within 1 s/);
      assert.equal(text(await c.callTool(call('echo', { text: 'still here' }))), 'still here');
    } finally {
      await c.close();
    }
  });

  it('malformed, duplicated-id, unknown and out-of-order messages get errors, never a crash', async () => {
    const p = pipe(gateway());
    try {
      await p.request(1, 'initialize', LEGACY_INIT);
      p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      p.send('{"jsonrpc":"2.0","id":');
      assert.equal((await p.next((m) => m['error']?.code === -32700))['id'], null);
      p.send({ jsonrpc: '2.0', id: { no: 1 }, method: 'tools/list' });
      assert.equal((await p.next((m) => m['error']?.code === -32600))['id'], null);
      p.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: call('hang') });
      p.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: call('echo', { text: 'dup' }) });
      assert.match((await p.next((m) => m['id'] === 7 && m['error']))['error'].message, /already in use/);
      p.send({ jsonrpc: '2.0', id: 999, result: {} }); // a response to nothing
      p.send([]);
      assert.match((await p.next((m) => m['error']?.message?.includes('empty batch')))['error'].message, /empty batch/);
      const unknown = await p.request(8, 'no/such/method');
      assert.ok(unknown['error'], 'the server answers unknown methods; the gateway relays it');
      const echo = await p.request(9, 'tools/call', call('echo', { text: 'alive' }));
      assert.equal(echo['result'].content[0].text, 'alive');
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('every call whose answer reached the client is in the audit store after SIGKILL (through the spool)', async () => {
    const g = gateway();
    const p = pipe(g);
    await p.request(0, 'initialize', LEGACY_INIT);
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const answered: number[] = [];
    for (let i = 1; i <= 40; i++) {
      const r = await p.request(i, 'tools/call', call('echo', { text: `n${i}` }));
      if (r['result']) answered.push(i);
      if (i === 25) p.send({ jsonrpc: '2.0', id: 26, method: 'tools/call', params: call('echo', { text: 'n26' }) });
      if (i === 25) break;
    }
    p.child.kill('SIGKILL');
    await new Promise((r) => p.child.once('exit', r));
    const all = await events(g.home);
    const texts = new Set(all.filter((e) => e.method === 'tools/call' && !e.parentId).map((e) => (e.args as { text: string }).text));
    const results = all.filter((e) => e.method === 'tools/call' && e.parentId && e.outcome === 'result');
    for (const i of answered) assert.ok(texts.has(`n${i}`), `call ${i} recorded`);
    assert.ok(results.length >= answered.length, `${results.length} results recorded for ${answered.length} answers`);
  });
});

describe('gateway --listen (the real CLI over Streamable HTTP)', () => {
  async function listen(args: string[], env: Record<string, string>): Promise<{ url: string; child: ChildProcess; stderr: () => string }> {
    const child = spawn(process.execPath, [BIN, 'gateway', '--name', 'actions', ...args, '--', process.execPath, ACTIONS], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${err}`)), 15_000);
      child.stderr!.on('data', () => {
        const m = /serving MCP at (\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
    });
    return { url, child, stderr: () => err };
  }

  it('enforces the policy for HTTP clients of both eras and records them', async () => {
    const g = gateway();
    const { url, child } = await listen(['--listen', '127.0.0.1:0', '--preset', 'balanced'], g.env);
    try {
      for (const mode of ['legacy', 'auto'] as const) {
        const c = new Client({ name: `http-${mode}`, version: '1.0.0' }, { versionNegotiation: { mode } });
        await c.connect(new StreamableHTTPClientTransport(new URL(url)));
        assert.equal(text(await c.callTool(call('echo', { text: mode }))), mode);
        assert.match(text(await c.callTool(call('delete_file', { path: '/x' }))), /ask-destructive-tools/);
        await c.close();
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    const all = await events(g.home);
    assert.deepEqual(new Set(all.filter((e) => e.tool === 'echo' && !e.parentId).map((e) => e.agent)), new Set(['http-legacy', 'http-auto']));
  });

  it('refuses to listen off loopback without a token, and bad addresses, with a clear error', () => {
    const { env } = gateway();
    const open = spawnSync(process.execPath, [BIN, 'gateway', '--listen', '0.0.0.0:0', '--', process.execPath, ACTIONS], { env, encoding: 'utf8', timeout: 20_000 });
    assert.equal(open.status, 2);
    assert.match(open.stderr, /--token/);
    const bad = spawnSync(process.execPath, [BIN, 'gateway', '--listen', 'localhost:99999', '--', process.execPath, ACTIONS], { env, encoding: 'utf8', timeout: 20_000 });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--listen/);
    const both = spawnSync(process.execPath, [BIN, 'gateway', '--upstream', 'http://127.0.0.1:1/mcp', '--', process.execPath, ACTIONS], { env, encoding: 'utf8', timeout: 20_000 });
    assert.equal(both.status, 2);
    assert.match(both.stderr, /either --upstream URL or a command/);
  });
});
