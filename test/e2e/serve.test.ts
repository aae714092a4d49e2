// `warden serve` as an operator runs it: the built CLI as a real process on a free port, against a
// real SQLite file and a real PostgreSQL database (a fresh one per run on 127.0.0.1:5432, dropped at
// the end). The same API tests run against both stores.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { AuditEvent } from '../../src/store/audit-event.js';
import { BIN, REPO, tempDir, warden } from '../helpers/cli.js';

const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const pgUrl = (db: string) => `postgres://postgres@127.0.0.1:5432/${db}`;

interface Server {
  url: string;
  proc: ChildProcess;
  stderr: () => string;
  stop: () => Promise<number | null>;
}

/** Starts `warden serve --port 0 ARGS` and resolves once it prints the address it listens on. */
function startServer(args: string[], env: Record<string, string>): Promise<Server> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`serve did not start in time:\n${stderr}`));
    }, 20_000);
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // The whole line: a chunk may end inside the port number.
      const m = /listening on (http:\/\/\S+) .*\n/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, proc, stderr: () => stderr, stop });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${stderr}`));
    });
  });
}

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(url: string, o: { method?: string; token?: string; json?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(o.token !== undefined ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers };
  let body: string | Buffer | undefined;
  if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers['content-type'] ??= 'application/json';
  } else if (o.raw !== undefined) body = o.raw;
  const r = await fetch(url, { method: o.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body !== undefined ? { body } : {}) });
  const text = await r.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${r.status} answer is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: r.status, headers: r.headers, body: parsed };
}

/**
 * POSTs a large body the way a careful client does: headers first, the body only if no answer
 * comes. The server refuses an oversized body from its Content-Length alone and then closes the
 * connection, so writing the body regardless would end in EPIPE instead of the answer.
 */
function postHeadersFirst(url: string, token: string, body: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, headers: new Headers(res.headers as Record<string, string>), body: JSON.parse(text) as Record<string, unknown> });
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.flushHeaders();
    setTimeout(() => {
      if (!answered) req.end(body);
    }, 2000);
  });
}

let counter = 0;
function event(over: Partial<AuditEvent> = {}): AuditEvent {
  counter++;
  return { id: randomUUID(), time: new Date(Date.UTC(2026, 4, 1, 12, 0, counter % 60)).toISOString(), agent: 'claude-code', session: 's1', method: 'tools/call', server: 'github', tool: 'create_issue', args: { title: `issue ${counter}` }, decision: 'allow', rule: 'allow-github', reason: 'allowed', outcome: 'forwarded', latencyMs: 1.5, ...over };
}

type StoredEvent = AuditEvent & { host: string; receivedAt: string };

/** A store backend the same tests run against. */
interface Backend {
  name: string;
  /** A new empty database; its --db value. */
  create(): Promise<string>;
  /** The schema version recorded in the database. */
  schemaVersion(db: string): Promise<number>;
  setSchemaVersion(db: string, version: number): Promise<void>;
  countEvents(db: string): Promise<number>;
  dropAll(): Promise<void>;
}

const sqliteBackend = (): Backend => {
  const dir = tempDir('warden-serve-');
  let n = 0;
  const withDb = <T>(db: string, f: (d: Database.Database) => T): T => {
    const d = new Database(db);
    try {
      return f(d);
    } finally {
      d.close();
    }
  };
  return {
    name: 'SQLite',
    create: async () => join(dir, `server-${++n}.db`),
    schemaVersion: async (db) => withDb(db, (d) => d.pragma('user_version', { simple: true }) as number),
    setSchemaVersion: async (db, v) => withDb(db, (d) => void d.pragma(`user_version = ${v}`)),
    countEvents: async (db) => withDb(db, (d) => (d.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n),
    dropAll: async () => undefined,
  };
};

const postgresBackend = (): Backend => {
  const run = `warden_test_${process.pid}_${Date.now().toString(36)}`;
  const created: string[] = [];
  const withClient = async <T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return await f(c);
    } finally {
      await c.end();
    }
  };
  return {
    name: 'PostgreSQL',
    create: async () => {
      const name = `${run}_${created.length + 1}`;
      // A database name cannot be a parameter; this one is made of digits, letters and _ above.
      await withClient(PG_ADMIN, (c) => c.query(`CREATE DATABASE ${name}`));
      created.push(name);
      return pgUrl(name);
    },
    schemaVersion: (db) => withClient(db, async (c) => (await c.query<{ version: number }>('SELECT version FROM warden_schema')).rows[0]!.version),
    setSchemaVersion: (db, v) => withClient(db, async (c) => void (await c.query('UPDATE warden_schema SET version = $1', [v]))),
    countEvents: (db) => withClient(db, async (c) => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n)),
    dropAll: () => withClient(PG_ADMIN, async (c) => {
      for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }),
  };
};

for (const makeBackend of [sqliteBackend, postgresBackend]) {
  const backend = makeBackend();
  describe(`warden serve on ${backend.name}`, () => {
    const home = tempDir('warden-serve-home-');
    const env = { WARDEN_HOME: home };
    let db: string;
    let server: Server;
    let base: string;
    /** Issued by the CLI, as an operator does. */
    const createToken = (host: string, dbUrl = db): { id: string; token: string } => {
      const r = warden(['serve', 'token', 'create', '--host', host, '--db', dbUrl], { env });
      assert.equal(r.status, 0, r.stderr);
      const token = r.stdout.trim();
      const id = /created agent token ([0-9a-f]{16}) for host/.exec(r.stderr)?.[1];
      assert.ok(id, r.stderr);
      return { id, token };
    };
    const ingest = (token: string, events: unknown[]) => call(`${base}/api/v1/events`, { token, json: { events } });
    const query = async (token: string, params: Record<string, string> = {}) => {
      const r = await call(`${base}/api/v1/events?${new URLSearchParams(params)}`, { token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { events: StoredEvent[]; nextCursor: string | null };
    };

    before(async () => {
      db = await backend.create();
      server = await startServer(['--db', db], env);
      base = server.url;
    });
    after(async () => {
      await server?.stop();
      await backend.dropAll();
    });

    it('answers /healthz and /readyz, bound to 127.0.0.1 by default', async () => {
      assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await call(`${base}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(health.body, { status: 'ok', version: (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version });
      const ready = await call(`${base}/readyz`);
      assert.deepEqual([ready.status, ready.body], [200, { status: 'ready' }]);
      assert.equal((await call(`${base}/nowhere`)).status, 404);
    });

    it('applies the migrations at start, and a restart on the same database changes nothing', async () => {
      assert.equal(await backend.schemaVersion(db), 1);
      const { token } = createToken('restart');
      assert.equal((await ingest(token, [event()])).status, 200);
      const before = await backend.countEvents(db);
      const again = await startServer(['--db', db], env);
      try {
        assert.equal((await call(`${again.url}/readyz`)).status, 200);
        assert.equal((await query(token, {})).events.length, 1, 'the first server still reads the events');
        assert.equal((await call(`${again.url}/api/v1/events`, { token })).status, 200);
      } finally {
        assert.equal(await again.stop(), 0);
      }
      assert.equal(await backend.schemaVersion(db), 1);
      assert.equal(await backend.countEvents(db), before);
    });

    it('refuses a database written by a newer Warden, and leaves it alone', async () => {
      const newer = await backend.create();
      const first = await startServer(['--db', newer], env);
      await first.stop();
      await backend.setSchemaVersion(newer, 99);
      const r = warden(['serve', '--port', '0', '--db', newer], { env });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /written by a newer Warden \(server schema version 99; this version knows up to 1\); upgrade Warden/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(await backend.schemaVersion(newer), 99);
    });

    it('ingests a batch, and a retry of it stores nothing twice', async () => {
      const { token } = createToken('ingest-host');
      const batch = [event(), event({ decision: 'deny', outcome: 'blocked' }), event()];
      assert.deepEqual((await ingest(token, batch)).body, { accepted: 3, duplicates: 0 });
      assert.deepEqual((await ingest(token, batch)).body, { accepted: 0, duplicates: 3 });
      // A retry that carries one new event: only that one is stored. An id repeated inside one batch counts once.
      const fresh = event();
      assert.deepEqual((await ingest(token, [...batch, fresh, fresh])).body, { accepted: 1, duplicates: 4 });
      const stored = (await query(token, { order: 'asc' })).events;
      assert.deepEqual(stored.map((e) => e.id), [...batch, fresh].map((e) => e.id));
      for (const [i, e] of stored.entries()) {
        const { host, receivedAt, ...sent } = e;
        assert.equal(host, 'ingest-host');
        assert.ok(Number.isFinite(Date.parse(receivedAt)));
        assert.deepEqual(sent, [...batch, fresh][i]);
      }
      // Another host may use the same ids: its events are its own.
      const other = createToken('other-host');
      assert.deepEqual((await ingest(other.token, batch)).body, { accepted: 3, duplicates: 0 });
    });

    it('pages with cursors in a stable order, newest first or oldest first', async () => {
      const { token } = createToken('pager');
      const sent = Array.from({ length: 25 }, () => event());
      assert.equal((await ingest(token, sent.slice(0, 12))).status, 200);
      assert.equal((await ingest(token, sent.slice(12))).status, 200);
      const walk = async (order: string) => {
        const pages: string[][] = [];
        let cursor: string | null = null;
        do {
          const page: { events: StoredEvent[]; nextCursor: string | null } = await query(token, { limit: '10', order, ...(cursor ? { cursor } : {}) });
          pages.push(page.events.map((e) => e.id));
          cursor = page.nextCursor;
        } while (cursor);
        return pages;
      };
      const ids = sent.map((e) => e.id);
      const desc = await walk('desc');
      assert.deepEqual(desc.map((p) => p.length), [10, 10, 5]);
      assert.deepEqual(desc.flat(), [...ids].reverse());
      const asc = await walk('asc');
      assert.deepEqual(asc.flat(), ids);
      // New events do not shift a walk already under way: the cursor is a position in the sequence.
      const first = await query(token, { limit: '10', order: 'asc' });
      await ingest(token, [event()]);
      const second = await query(token, { limit: '10', order: 'asc', cursor: first.nextCursor! });
      assert.deepEqual(second.events.map((e) => e.id), ids.slice(10, 20));
      // The default order is newest first; an exact page has no next cursor.
      assert.equal((await query(token, { limit: '26' })).nextCursor, null);
      for (const [params, field] of [
        [{ cursor: first.nextCursor!, order: 'desc' }, 'cursor'],
        [{ cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
        [{ cursor: "'; DROP TABLE events; --" }, 'cursor'],
        [{ limit: '0' }, 'limit'],
        [{ limit: '1001' }, 'limit'],
        [{ limit: 'ten' }, 'limit'],
        [{ order: 'sideways' }, 'order'],
        [{ decision: 'maybe' }, 'decision'],
        [{ since: 'yesterday' }, 'since'],
        [{ nonsense: '1' }, 'nonsense'],
      ] as const) {
        const r = await call(`${base}/api/v1/events?${new URLSearchParams(params)}`, { token });
        assert.equal(r.status, 400, JSON.stringify(params));
        assert.match(String(r.body['error']), new RegExp(`^${field}: `));
      }
      const repeated = await call(`${base}/api/v1/events?agent=a&agent=b`, { token });
      assert.equal(repeated.status, 400);
    });

    it('filters by time, agent, decision, tool and text; a token reads only its own host', async () => {
      const { token } = createToken('filters');
      const sent = [
        event({ time: '2026-06-01T10:00:00Z', agent: 'cursor', tool: 'read_file', args: { path: '/etc/passwd' } }),
        event({ time: '2026-06-01T11:00:00+01:00', agent: 'claude-code', tool: 'delete_repo', decision: 'deny', outcome: 'blocked', args: { repo: 'Acme/Payments' } }),
        event({ time: '2026-06-02T10:00:00Z', agent: 'claude-code', tool: 'create_issue', args: { title: '100% done_now' } }),
        event({ time: '2026-06-03T10:00:00Z', agent: 'codex', tool: 'shell', decision: 'modify', outcome: 'redacted', args: undefined }),
      ];
      await ingest(token, sent);
      const tools = async (params: Record<string, string>) => (await query(token, { order: 'asc', ...params })).events.map((e) => e.tool);
      assert.deepEqual(await tools({}), ['read_file', 'delete_repo', 'create_issue', 'shell']);
      assert.deepEqual(await tools({ agent: 'claude-code' }), ['delete_repo', 'create_issue']);
      assert.deepEqual(await tools({ decision: 'deny' }), ['delete_repo']);
      assert.deepEqual(await tools({ tool: 'shell' }), ['shell']);
      // 11:00+01:00 is 10:00Z: bounds compare instants, not strings.
      assert.deepEqual(await tools({ since: '2026-06-01T10:00:00Z', until: '2026-06-01T10:00:00Z' }), ['read_file', 'delete_repo']);
      assert.deepEqual(await tools({ since: '2026-06-02T00:00:00Z' }), ['create_issue', 'shell']);
      // Text: a case-insensitive substring of the tool or the arguments; % and _ are plain characters.
      assert.deepEqual(await tools({ text: 'acme/PAY' }), ['delete_repo']);
      assert.deepEqual(await tools({ text: 'passwd' }), ['read_file']);
      assert.deepEqual(await tools({ text: 'SHEL' }), ['shell']);
      assert.deepEqual(await tools({ text: '100%' }), ['create_issue']);
      assert.deepEqual(await tools({ text: '%' }), ['create_issue']);
      assert.deepEqual(await tools({ text: '_' }), ['read_file', 'delete_repo', 'create_issue']);
      assert.deepEqual(await tools({ agent: 'claude-code', decision: 'allow', text: 'issue' }), ['create_issue']);
      assert.deepEqual(await tools({ host: 'filters', agent: 'cursor' }), ['read_file']);
      const foreign = await call(`${base}/api/v1/events?host=ingest-host`, { token });
      assert.equal(foreign.status, 403);
      // Other hosts' events never show in this host's listing.
      assert.ok((await query(token, { limit: '1000' })).events.every((e) => e.host === 'filters'));
    });

    it('answers every bad token with the same 401; a revoked token stops working at once', async () => {
      const { id, token } = createToken('revoker');
      assert.equal((await ingest(token, [event()])).status, 200);
      const wrongSecret = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
      const unknownId = `wdn_0000000000000000_${token.slice(-43)}`;
      const cases: Record<string, string>[] = [
        {},
        { authorization: '' },
        { authorization: 'Bearer' },
        { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
        { authorization: 'Bearer not-a-token' },
        { authorization: `Bearer ${wrongSecret}` },
        { authorization: `Bearer ${unknownId}` },
        { authorization: `Bearer ${token}x` },
        { authorization: "Bearer wdn_' OR '1'='1" },
      ];
      const answers = new Set<string>();
      for (const headers of cases) {
        for (const r of [await call(`${base}/api/v1/events`, { headers, json: { events: [event()] } }), await call(`${base}/api/v1/events`, { headers })]) {
          assert.equal(r.status, 401, JSON.stringify(headers));
          assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="warden"');
          answers.add(JSON.stringify(r.body));
        }
      }
      assert.equal(answers.size, 1, 'every failure reads the same');
      const revoke = warden(['serve', 'token', 'revoke', id, '--db', db], { env });
      assert.equal(revoke.status, 0, revoke.stderr);
      const after = await ingest(token, [event()]);
      assert.equal(after.status, 401);
      assert.equal(JSON.stringify(after.body), [...answers][0]);
      const again = warden(['serve', 'token', 'revoke', id, '--db', db], { env });
      assert.equal(again.status, 1);
      assert.match(again.stderr, /no live token with id/);
      assert.equal(warden(['serve', 'token', 'revoke', "1' OR 1=1 --", '--db', db], { env }).status, 2);
      assert.equal(warden(['serve', 'token', 'create', '--db', db], { env }).status, 2);
      // The token is shown once and stored only hashed.
      assert.ok(!(await storedTokenText(db)).includes(token.slice(-43)));
    });

    it('refuses malformed and oversized bodies, and stores nothing of a batch with one bad event', async () => {
      const { token } = createToken('malformed');
      const url = `${base}/api/v1/events`;
      const expect = async (r: Promise<Reply>, status: number, error?: RegExp) => {
        const reply = await r;
        assert.equal(reply.status, status, JSON.stringify(reply.body));
        assert.equal(typeof reply.body['error'], 'string');
        if (error) assert.match(String(reply.body['error']), error);
        assert.doesNotMatch(String(reply.body['error']), /\n\s+at /);
      };
      const count = await backend.countEvents(db);
      await expect(call(url, { token, raw: '{"events": [', headers: { 'content-type': 'application/json' } }), 400);
      await expect(call(url, { token, raw: '', headers: { 'content-type': 'application/json' } }), 400);
      await expect(call(url, { token, raw: 'events=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
      await expect(call(url, { token, json: [event()] }), 400, /expected a JSON object/);
      await expect(call(url, { token, json: { events: 'all of them' } }), 400, /^events: expected an array/);
      await expect(call(url, { token, raw: '{"events": [], "__proto__": {"admin": true}}', headers: { 'content-type': 'application/json' } }), 400);
      const bad: [Partial<Record<keyof AuditEvent, unknown>>, RegExp][] = [
        [{ id: 42 }, /^events\[2\]\.id: /],
        [{ id: '' }, /^events\[2\]\.id: /],
        [{ id: 'a\u0000b' }, /^events\[2\]\.id: /],
        [{ time: 'yesterday' }, /^events\[2\]\.time: /],
        [{ time: '2026-05-01T12:00:00' }, /^events\[2\]\.time: .*zone/],
        [{ decision: 'ask' }, /^events\[2\]\.decision: expected one of allow, deny, modify, audit/],
        [{ method: null }, /^events\[2\]\.method: /],
        [{ rule: ['r'] }, /^events\[2\]\.rule: /],
        [{ reason: { text: 'x' } }, /^events\[2\]\.reason: /],
        [{ outcome: undefined }, /^events\[2\]\.outcome: /],
        [{ args: 'a=1' }, /^events\[2\]\.args: /],
        [{ owasp: [1] }, /^events\[2\]\.owasp: /],
        [{ latencyMs: '5' }, /^events\[2\]\.latencyMs: /],
        [{ severity: 'apocalyptic' }, /^events\[2\]\.severity: /],
      ];
      for (const [override, error] of bad) {
        const broken = { ...event(), ...override };
        await expect(ingest(token, [event(), event(), broken, event()]), 400, error);
      }
      await expect(ingest(token, [event(), 'not an event']), 400, /^events\[1\]: expected an object/);
      // 5,001 events: too many for one batch, whatever their size.
      await expect(ingest(token, Array.from({ length: 5001 }, () => ({ id: 'x' }))), 413, /at most 5000/);
      // Over 10 MB: refused before it is parsed.
      const huge = JSON.stringify({ events: [event({ args: { blob: 'x'.repeat(10 * 1024 * 1024) } })] });
      await expect(postHeadersFirst(url, token, huge), 413, /Request body is too large/);
      assert.equal(await backend.countEvents(db), count, 'nothing from a refused batch was stored');
      // The limits themselves are fine: 5,000 events in a batch are taken.
      assert.deepEqual((await ingest(token, Array.from({ length: 5000 }, () => event()))).body, { accepted: 5000, duplicates: 0 });
    });

    it('stores hostile strings verbatim and binds every filter value', async () => {
      const { token } = createToken('hostile');
      const hostile = [
        "'; DROP TABLE events; --",
        "' OR '1'='1",
        'Robert"); DELETE FROM agent_tokens; --',
        '$1 $2 \\x00 %s %n',
        'nul\u0000inside',
        'lone \ud800 surrogate',
        'zero\u200bwidth \u202eright-to-left',
        '\u001b[31mred\u001b[0m',
        '🔥'.repeat(300),
      ];
      const sent = hostile.map((s) => event({ agent: s, tool: s, session: s, server: s, reason: s, rule: s, outcome: s, summary: s, args: { [s]: s, nested: [s, { s }] }, owasp: [s], findings: [s] }));
      assert.deepEqual((await ingest(token, sent)).body, { accepted: hostile.length, duplicates: 0 });
      const stored = (await query(token, { order: 'asc' })).events;
      assert.deepEqual(stored.map(({ host: _h, receivedAt: _r, ...e }) => e), sent);
      for (const s of hostile) {
        if (s.includes('\ud800')) continue;
        const r = await query(token, { text: s.toLowerCase() });
        assert.ok(r.events.length >= 1, `text ${JSON.stringify(s)} finds its event`);
        if (!s.includes('\u0000')) assert.deepEqual((await query(token, { agent: s })).events.map((e) => e.agent), [s]);
      }
      for (const value of ["' OR 1=1 --", "x' UNION SELECT seq, host, received_ms, event FROM events --", '%', '*']) {
        assert.deepEqual((await query(token, { agent: value })).events, []);
        assert.deepEqual((await query(token, { tool: value })).events, []);
      }
      // Everything is still there.
      assert.ok((await backend.countEvents(db)) > hostile.length);
      assert.equal((await call(`${base}/readyz`)).status, 200);
    });

    if (backend.name === 'PostgreSQL') {
      it('answers 503 on /readyz and ingest when the database goes away', async () => {
        const doomed = await backend.create();
        const s = await startServer(['--db', doomed], env);
        try {
          const { token } = createToken('doomed', doomed);
          assert.equal((await call(`${s.url}/readyz`)).status, 200);
          const admin = new pg.Client({ connectionString: PG_ADMIN });
          await admin.connect();
          await admin.query(`DROP DATABASE ${new URL(doomed).pathname.slice(1)} WITH (FORCE)`);
          await admin.end();
          const ready = await call(`${s.url}/readyz`);
          assert.equal(ready.status, 503);
          assert.equal(ready.body['status'], 'unavailable');
          assert.match(String(ready.body['reason']), /postgres store does not answer/);
          const r = await call(`${s.url}/api/v1/events`, { token, json: { events: [event()] } });
          assert.equal(r.status, 503, JSON.stringify(r.body));
          assert.equal(r.headers.get('retry-after'), '5');
          assert.equal(r.body['retryable'], true);
          assert.equal((await call(`${s.url}/healthz`)).status, 200, 'alive while not ready');
        } finally {
          await s.stop();
        }
      });

      it('says so and exits 1 when the database cannot be reached at start', () => {
        const r = warden(['serve', '--port', '0', '--db', 'postgres://postgres:secret-pw@127.0.0.1:1/nowhere'], { env });
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stderr, /postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere: cannot open the server store/);
        assert.doesNotMatch(r.stderr, /secret-pw/);
      });
    }
  });
}

/** Everything the token table holds, as text, to show the secret is not in it. */
async function storedTokenText(db: string): Promise<string> {
  if (db.startsWith('postgres://')) {
    const c = new pg.Client({ connectionString: db });
    await c.connect();
    try {
      return JSON.stringify((await c.query("SELECT id, host, label, encode(hash, 'base64') AS hash FROM agent_tokens")).rows);
    } finally {
      await c.end();
    }
  }
  const d = new Database(db, { readonly: true });
  try {
    return JSON.stringify(d.prepare('SELECT id, host, label, hex(hash) AS hash FROM agent_tokens').all());
  } finally {
    d.close();
  }
}

describe('warden serve options', () => {
  it('warns when told to listen beyond loopback', async () => {
    const home = tempDir('warden-serve-home-');
    const s = await startServer(['--host', '0.0.0.0'], { WARDEN_HOME: home });
    try {
      assert.match(s.stderr(), /warning: listening on 0\.0\.0\.0, not loopback: agent tokens and the admin login travel over this network in clear text/);
      assert.match(s.url, /^http:\/\/0\.0\.0\.0:\d+$/);
      // The default store: $WARDEN_HOME/server.db.
      assert.match(s.stderr(), new RegExp(`sqlite store: ${join(home, 'server.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    } finally {
      assert.equal(await s.stop(), 0);
    }
  });

  it('refuses a bad port and a file that is not its database', () => {
    const home = tempDir('warden-serve-home-');
    const r = warden(['serve', '--port', '99999'], { env: { WARDEN_HOME: home } });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--port "99999": expected a port number/);
    const other = join(home, 'other.db');
    const d = new Database(other);
    d.exec('CREATE TABLE mine (x)');
    d.close();
    const refused = warden(['serve', '--port', '0', '--db', other], { env: { WARDEN_HOME: home } });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /not a Warden server store/);
  });
});
