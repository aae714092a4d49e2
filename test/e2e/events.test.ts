// `warden events` as a person runs it: the built CLI over a real audit database in a temporary
// WARDEN_HOME, with --follow picking up rows another process writes while it runs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEvent } from '../../src/store/audit-event.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { BIN, REPO, tempDir, warden } from '../helpers/cli.js';

const NOW = Date.now();

function event(over: Partial<AuditEvent> = {}): AuditEvent {
  return { id: randomUUID(), time: new Date(NOW).toISOString(), agent: 'claude-code', session: 'sess-1', method: 'tools/call', server: 'github', tool: 'create_issue', args: { title: 'hi' }, decision: 'allow', rule: 'allow-github', reason: 'allowed', outcome: 'forwarded', latencyMs: 1.25, ...over };
}

/** A WARDEN_HOME holding an audit database with `events`, and the env that points at it. */
async function homeWith(events: AuditEvent[]): Promise<{ home: string; env: Record<string, string> }> {
  const home = tempDir();
  const store = await openSqliteStore(join(home, 'audit.db'));
  for (const e of events) store.record(e);
  store.close();
  return { home, env: { WARDEN_HOME: home, TZ: 'UTC' } };
}

/** Lines of a table or JSONL output, without the trailing empty one. */
const lines = (s: string) => s.split('\n').filter((l) => l !== '');

const SEEDED = [
  event({ time: new Date(NOW - 2 * 3_600_000).toISOString(), agent: 'cursor', tool: 'read_file', server: 'filesystem', rule: 'default:tool_call', latencyMs: 0.5 }),
  event({ time: new Date(NOW - 60_000).toISOString(), tool: 'delete_repo', decision: 'deny', rule: 'no-deletes', outcome: 'blocked', latencyMs: 12.4 }),
  event({ time: new Date(NOW - 30_000).toISOString(), tool: 'create_issue', decision: 'modify', rule: 'redact-tokens', outcome: 'redacted', session: 'sess-2' }),
  event({ time: new Date(NOW - 10_000).toISOString(), agent: 'evil\u001b[31m', tool: 'delete_branch', decision: 'deny', rule: 'no-deletes', outcome: 'blocked', latencyMs: undefined }),
];

describe('warden events', () => {
  it('with no database yet: says so, exits 0, prints nothing on stdout, creates nothing', () => {
    const home = tempDir();
    for (const format of ['table', 'json']) {
      const r = warden(['events', '-f', format], { env: { WARDEN_HOME: home } });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`no audit events yet: ${join(home, 'audit.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not exist`));
    }
    assert.equal(existsSync(join(home, 'audit.db')), false);
  });

  it('lists events as a compact table in time order, names escaped, no ANSI when stdout is not a terminal', async () => {
    const { env } = await homeWith(SEEDED);
    // NO_COLOR unset: plain text must come from stdout not being a TTY alone.
    const r = warden(['events'], { env: { ...env, NO_COLOR: '' } });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /\u001b/);
    const out = lines(r.stdout);
    assert.equal(out.length, 5);
    assert.match(out[0]!, /^TIME +AGENT +SERVER +TOOL +DECISION +RULE +OUTCOME +LATENCY$/);
    assert.match(out[1]!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +cursor +filesystem +read_file +allow +default:tool_call +forwarded +0\.50 ms$/);
    assert.match(out[2]!, /claude-code +github +delete_repo +deny +no-deletes +blocked +12 ms$/);
    assert.match(out[3]!, / modify +redact-tokens +redacted +1\.25 ms$/);
    assert.match(out[4]!, /evil\\u\{1B\}\[31m +github +delete_branch +deny +no-deletes +blocked +-$/);
    // The time column is the local time of the event (TZ=UTC here).
    assert.ok(out[4]!.startsWith(SEEDED[3]!.time.slice(0, 19).replace('T', ' ')));
  });

  it('filters by decision, tool glob, agent, server, rule, session, outcome, time and limit', async () => {
    const { env } = await homeWith(SEEDED);
    const tools = (args: string[]) => {
      const r = warden(['events', '-f', 'json', ...args], { env });
      assert.equal(r.status, 0, r.stderr);
      return lines(r.stdout).map((l) => (JSON.parse(l) as Record<string, unknown>)['gen_ai.tool.name']);
    };
    assert.deepEqual(tools([]), ['read_file', 'delete_repo', 'create_issue', 'delete_branch']);
    assert.deepEqual(tools(['--decision', 'deny']), ['delete_repo', 'delete_branch']);
    assert.deepEqual(tools(['--tool', 'delete_*']), ['delete_repo', 'delete_branch']);
    assert.deepEqual(tools(['--tool', 'delete_repo']), ['delete_repo']);
    assert.deepEqual(tools(['--agent', 'cursor']), ['read_file']);
    assert.deepEqual(tools(['--server', 'filesystem']), ['read_file']);
    assert.deepEqual(tools(['--rule', 'no-deletes', '--agent', 'claude-code']), ['delete_repo']);
    assert.deepEqual(tools(['--session', 'sess-2']), ['create_issue']);
    assert.deepEqual(tools(['--outcome', 'redacted']), ['create_issue']);
    assert.deepEqual(tools(['--since', '1h']), ['delete_repo', 'create_issue', 'delete_branch']);
    assert.deepEqual(tools(['--until', '45s']), ['read_file', 'delete_repo']);
    assert.deepEqual(tools(['--since', new Date(NOW - 3 * 3_600_000).toISOString(), '--until', new Date(NOW - 3_600_000).toISOString()]), ['read_file']);
    assert.deepEqual(tools(['--limit', '2']), ['create_issue', 'delete_branch']);
    assert.deepEqual(tools(['-n', '1', '--decision', 'deny']), ['delete_branch']);
    const none = warden(['events', '--agent', 'nobody'], { env });
    assert.equal(none.status, 0);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /no events match/);
  });

  it('--format json: one JSON object per line with the OpenTelemetry attribute names', async () => {
    const { env } = await homeWith([SEEDED[1]!]);
    const r = warden(['events', '--format', 'json'], { env });
    assert.equal(r.status, 0, r.stderr);
    const out = lines(r.stdout);
    assert.equal(out.length, 1);
    const rec = JSON.parse(out[0]!) as Record<string, unknown>;
    const e = SEEDED[1]!;
    assert.deepEqual(rec, {
      time: e.time,
      'warden.event.id': e.id,
      'gen_ai.agent.name': 'claude-code',
      'mcp.session.id': 'sess-1',
      'mcp.method.name': 'tools/call',
      'warden.mcp.server.name': 'github',
      'gen_ai.tool.name': 'delete_repo',
      'gen_ai.tool.call.arguments': { title: 'hi' },
      'gen_ai.security.decision.type': 'deny',
      'gen_ai.security.policy.id': 'no-deletes',
      'gen_ai.security.decision.reason': 'allowed',
      'warden.outcome': 'blocked',
      'warden.latency_ms': 12.4,
    });
  });

  it('--follow prints rows recorded after it started, and stops cleanly on SIGINT', async () => {
    const { home, env } = await homeWith([SEEDED[0]!]);
    const follower = start(['events', '--follow', '-f', 'json'], env);
    await follower.waitForLines(1);
    const store = await openSqliteStore(join(home, 'audit.db'));
    const later = [event({ tool: 'later_1' }), event({ tool: 'later_2', decision: 'deny' })];
    for (const e of later) store.record(e);
    const out = await follower.waitForLines(3);
    assert.deepEqual(
      out.map((l) => (JSON.parse(l) as Record<string, unknown>)['gen_ai.tool.name']),
      ['read_file', 'later_1', 'later_2'],
    );
    const { code, signal, stderr } = await follower.interrupt();
    store.close();
    assert.equal(signal, null, 'exited by itself, not killed by the signal');
    assert.equal(code, 0, stderr);
  });

  it('--follow in a table, with a filter, waits for a database that does not exist yet', async () => {
    const home = tempDir();
    const follower = start(['events', '--follow', '--decision', 'deny'], { WARDEN_HOME: home, TZ: 'UTC' });
    await follower.waitForStderr(/does not exist; waiting for it/);
    const store = await openSqliteStore(join(home, 'audit.db'));
    store.record(event({ tool: 'allowed_one' }));
    store.record(event({ tool: 'denied_one', decision: 'deny', rule: 'no' }));
    const out = await follower.waitForLines(2);
    assert.match(out[0]!, /^TIME +AGENT/);
    assert.match(out[1]!, /denied_one +deny/);
    const { code } = await follower.interrupt();
    store.close();
    assert.equal(code, 0);
    assert.doesNotMatch(follower.stdout(), /allowed_one/);
  });

  it('bad option values exit 2 with a clear error and nothing on stdout', async () => {
    const { env } = await homeWith([SEEDED[0]!]);
    const cases: [string[], RegExp][] = [
      [['--limit', '0'], /--limit "0": expected a whole number of events/],
      [['--limit', 'lots'], /--limit "lots": expected a whole number/],
      [['--since', 'last tuesday'], /--since "last tuesday": expected an ISO time .* or a time ago \(30s, 15m, 2h, 7d/],
      [['--until', '2026-02-30'], /--until "2026-02-30": expected an ISO time/],
      [['--since', '1h', '--until', '2h'], /--since is later than --until/],
      [['--decision', 'block'], /option '--decision <type>' argument 'block' is invalid\. Allowed choices are allow, deny, modify, audit/],
      [['--format', 'xml'], /argument 'xml' is invalid\. Allowed choices are table, json/],
      [['--tool', 'x{a,b'], /--tool "x\{a,b": unclosed \{ in glob/],
      [['--agent', 'a'.repeat(5000)], /--agent: longer than 4096 characters/],
      [['--bogus'], /unknown option '--bogus'/],
    ];
    for (const [args, re] of cases) {
      const r = warden(['events', ...args], { env });
      assert.equal(r.status, 2, `${args.join(' ').slice(0, 60)}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, re);
      assert.match(r.stderr, /^warden: /);
      assert.doesNotMatch(r.stderr, /\n {4}at /, 'no stack trace');
    }
    // Options are checked before the database is looked for.
    assert.equal(warden(['events', '--limit', '0'], { env: { WARDEN_HOME: tempDir() } }).status, 2);
  });

  it('--db that is not a Warden audit store, or from a newer Warden: exit 2 naming the file', async () => {
    const dir = tempDir();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database\n'.repeat(300));
    const r = warden(['events', '--db', text]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`^warden: ${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read the audit store: not an SQLite database`));
    const newer = join(dir, 'newer.db');
    (await openSqliteStore(newer)).close();
    const db = new Database(newer);
    db.pragma('user_version = 7');
    db.close();
    const n = warden(['events', '--db', newer, '-f', 'json']);
    assert.equal(n.status, 2);
    assert.equal(n.stdout, '');
    assert.match(n.stderr, /newer\.db: written by a newer Warden \(audit schema version 7/);
  });
});

/** The CLI running in the background, for --follow. */
function start(args: string[], env: Record<string, string>) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const until = async (ready: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!ready()) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`timed out waiting for ${what}; stdout: ${out}; stderr: ${err}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    stdout: () => out,
    async waitForLines(n: number): Promise<string[]> {
      await until(() => lines(out).length >= n && out.endsWith('\n'), `${n} lines`);
      return lines(out);
    },
    async waitForStderr(re: RegExp): Promise<void> {
      await until(() => re.test(err), String(re));
    },
    async interrupt(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const r = await exited;
      clearTimeout(timer);
      return { ...r, stderr: err };
    },
  };
}
