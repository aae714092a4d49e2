// The audit store against real SQLite files: every field back as recorded, the filters of
// `warden events`, the follow cursor, file modes, the errors a person sees for files that are not
// (or no longer) Warden's store, hostile values, and that an acknowledged event survives SIGKILL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { UsageError } from '../../src/core/errors.js';
import type { AuditEvent } from '../../src/store/audit-event.js';
import { fromOtelRecord, openJsonlSink, OTEL_NAMES, toOtelRecord } from '../../src/store/jsonl-store.js';
import { MAX_FILTER_LENGTH, parseEventFilter, parseTimeBound, queryEvents } from '../../src/store/query.js';
import { wardenHome } from '../../src/core/warden-home.js';
import { AuditStoreError, SCHEMA_VERSION, defaultAuditDbPath, openSqliteStore } from '../../src/store/sqlite-store.js';
import { REPO, tempDir } from '../helpers/cli.js';

const BASE = Date.parse('2026-05-01T12:00:00.000Z');
let counter = 0;

/** An event one second after the previous one, with every optional field set. */
function event(over: Partial<AuditEvent> = {}): AuditEvent {
  counter++;
  return {
    id: randomUUID(),
    time: new Date(BASE + counter * 1000).toISOString(),
    parentId: randomUUID(),
    agent: 'claude-code',
    session: 'session-1',
    method: 'tools/call',
    server: 'github',
    tool: 'create_issue',
    args: { repo: 'acme/api', title: 'hello', labels: ['a', 'b'], nested: { n: 1, f: 1.5, t: true, z: null } },
    decision: 'allow',
    rule: 'allow-github',
    reason: 'GitHub writes are allowed',
    owasp: ['ASI02', 'MCP03'],
    outcome: 'forwarded',
    latencyMs: 2.25,
    summary: 'issue #12 created',
    findings: ['secret-in-result'],
    severity: 'high',
    ...over,
  };
}

const minimal = (over: Partial<AuditEvent> = {}): AuditEvent => ({ id: randomUUID(), time: new Date(BASE).toISOString(), method: 'tools/list', decision: 'deny', rule: 'r', reason: 'no', outcome: 'blocked', ...over });

async function freshStore(name = 'audit.db') {
  const dir = tempDir();
  const path = join(dir, name);
  return { dir, path, store: await openSqliteStore(path) };
}

const ids = (events: AuditEvent[]) => events.map((e) => e.id);

/** Runs `fn` expecting an AuditStoreError whose message names `file` and matches `pattern`. */
async function rejectsNaming(fn: () => unknown, file: string, pattern: RegExp): Promise<void> {
  await assert.rejects(
    async () => fn(),
    (err: Error) => {
      assert.ok(err instanceof AuditStoreError, `expected AuditStoreError, got ${err.name}: ${err.message}`);
      assert.ok(err.message.includes(file), `message does not name ${file}: ${err.message}`);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('SQLite audit store', () => {
  it('gives every field back as recorded, and leaves absent fields absent', async () => {
    const { store } = await freshStore();
    const full = event();
    const bare = minimal();
    store.record(full);
    store.record(bare);
    const got = queryEvents(store).events;
    assert.deepEqual(got, [bare, full].sort((a, b) => Date.parse(a.time) - Date.parse(b.time)));
    assert.equal(Object.hasOwn(got.find((e) => e.id === bare.id)!, 'agent'), false);
    // Empty lists and zero are values, not absences.
    const edge = event({ owasp: [], findings: [], latencyMs: 0, args: {} });
    store.record(edge);
    assert.deepEqual(queryEvents(store, { after: 2 }).events, [edge]);
    store.close();
  });

  it('lives at $WARDEN_HOME/audit.db: directory 0700, database, -wal and -shm 0600; WAL, synchronous NORMAL, schema version', async () => {
    const home = join(tempDir(), 'nested', 'warden-home');
    assert.equal(wardenHome({ WARDEN_HOME: home }), home);
    assert.equal(defaultAuditDbPath({ WARDEN_HOME: home }), join(home, 'audit.db'));
    assert.match(defaultAuditDbPath({}), /\.warden\/audit\.db$/);
    const path = defaultAuditDbPath({ WARDEN_HOME: home });
    const store = await openSqliteStore(path);
    store.record(event());
    assert.equal(statSync(home).mode & 0o777, 0o700);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) assert.equal(statSync(f).mode & 0o777, 0o600, f);
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    // 1 = NORMAL.
    assert.equal(store.db.pragma('synchronous', { simple: true }), 1);
    assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    store.close();
    // Opening again migrates nothing and keeps the rows.
    const again = await openSqliteStore(path);
    assert.equal(queryEvents(again).events.length, 1);
    again.close();
  });

  it('filters by agent, server, tool glob, decision, rule, session, outcome and time; newest `limit` last', async () => {
    const { store } = await freshStore();
    const e = {
      a: event({ agent: 'cursor', tool: 'delete_repo', decision: 'deny', rule: 'no-delete', outcome: 'blocked' }),
      b: event({ server: 'filesystem', tool: 'read_file', session: 'session-2' }),
      c: event({ tool: 'delete_branch', decision: 'deny', rule: 'no-delete', outcome: 'blocked' }),
      d: event({ tool: 'fs/read', decision: 'modify', outcome: 'redacted' }),
      e: event({ decision: 'audit', outcome: 'forwarded' }),
    };
    for (const x of Object.values(e)) store.record(x);
    const q = (f: Parameters<typeof queryEvents>[1]) => ids(queryEvents(store, f).events);
    assert.deepEqual(q({ agent: 'cursor' }), [e.a.id]);
    assert.deepEqual(q({ server: 'filesystem' }), [e.b.id]);
    assert.deepEqual(q({ tool: 'delete_*' }), [e.a.id, e.c.id]);
    assert.deepEqual(q({ tool: '{read_file,fs/*}' }), [e.b.id, e.d.id]);
    // As the policy's glob(): `*` stops at `/`, `**` does not.
    assert.deepEqual(q({ tool: 'fs*' }), []);
    assert.deepEqual(q({ tool: 'fs**' }), [e.d.id]);
    assert.deepEqual(q({ tool: '?s/rea[a-d]' }), [e.d.id]);
    assert.deepEqual(q({ tool: 'read_file' }), [e.b.id]);
    assert.deepEqual(q({ decision: 'deny' }), [e.a.id, e.c.id]);
    assert.deepEqual(q({ decision: 'deny', agent: 'claude-code' }), [e.c.id]);
    assert.deepEqual(q({ rule: 'no-delete', tool: 'delete_branch' }), [e.c.id]);
    assert.deepEqual(q({ session: 'session-2' }), [e.b.id]);
    assert.deepEqual(q({ outcome: 'redacted' }), [e.d.id]);
    assert.deepEqual(q({ since: Date.parse(e.b.time), until: Date.parse(e.d.time) }), [e.b.id, e.c.id, e.d.id]);
    assert.deepEqual(q({ limit: 2 }), [e.d.id, e.e.id]);
    assert.deepEqual(q({ decision: 'deny', limit: 1 }), [e.c.id]);
    assert.deepEqual(q({ agent: 'nobody' }), []);
    store.close();
  });

  it('lists in time order even when events were recorded out of order, and compares times across zone offsets', async () => {
    const { store } = await freshStore();
    const late = event({ time: '2026-05-01T14:00:00+02:00' }); // 12:00Z
    const early = event({ time: '2026-05-01T11:30:00Z' });
    store.record(late);
    store.record(early);
    assert.deepEqual(ids(queryEvents(store).events), [early.id, late.id]);
    assert.deepEqual(ids(queryEvents(store, { since: Date.parse('2026-05-01T11:45:00Z') }).events), [late.id]);
    // The text is kept exactly as recorded.
    assert.equal(queryEvents(store, { since: Date.parse('2026-05-01T11:45:00Z') }).events[0]!.time, '2026-05-01T14:00:00+02:00');
    store.close();
  });

  it('reads relative and ISO times, and rejects anything else naming the option', () => {
    const now = Date.parse('2026-05-10T00:00:00Z');
    assert.equal(parseTimeBound('30s', '--since', now), now - 30_000);
    assert.equal(parseTimeBound('15m', '--since', now), now - 15 * 60_000);
    assert.equal(parseTimeBound('2h', '--since', now), now - 2 * 3_600_000);
    assert.equal(parseTimeBound('7d', '--since', now), now - 7 * 86_400_000);
    assert.equal(parseTimeBound('2w', '--since', now), now - 14 * 86_400_000);
    assert.equal(parseTimeBound('2026-05-01T12:00:00Z', '--since', now), Date.parse('2026-05-01T12:00:00Z'));
    assert.equal(parseTimeBound('2026-05-01T12:00:00.5+02:00', '--since', now), Date.parse('2026-05-01T10:00:00.5Z'));
    assert.equal(parseTimeBound('2026-05-01 12:00', '--since', now), new Date(2026, 4, 1, 12, 0).getTime());
    // A bare date is local midnight, like a time without a zone.
    assert.equal(parseTimeBound('2026-05-01', '--since', now), new Date(2026, 4, 1).getTime());
    for (const bad of ['yesterday', '15', '-15m', '15 minutes', '2026-02-30', '2026-13-01', '2026-05-01T25:00Z', '', '1e3s', '9999999999d']) {
      assert.throws(() => parseTimeBound(bad, '--until', now), (err: Error) => err instanceof UsageError && err.message.startsWith('--until'), bad);
    }
  });

  it('checks command-line filter values, naming the option at fault', () => {
    const f = parseEventFilter({ since: '1h', until: '5m', agent: 'a', tool: 'x*', decision: 'deny', limit: '5' }, BASE);
    assert.deepEqual(f, { agent: 'a', tool: 'x*', decision: 'deny', since: BASE - 3_600_000, until: BASE - 300_000, limit: 5 });
    const bad: [Record<string, string>, RegExp][] = [
      [{ limit: '0' }, /^--limit/],
      [{ limit: '-1' }, /^--limit/],
      [{ limit: '1.5' }, /^--limit/],
      [{ limit: 'ten' }, /^--limit/],
      [{ decision: 'block' }, /^--decision .*allow, deny, modify, audit/],
      [{ since: '1h', until: '2h' }, /--since is later than --until/],
      [{ agent: '' }, /^--agent: empty/],
      [{ tool: 'x{a,b' }, /^--tool "x\{a,b": unclosed \{ in glob/],
      [{ tool: 'x'.repeat(MAX_FILTER_LENGTH + 1) }, /^--tool: longer than 4096/],
      [{ outcome: 'y'.repeat(1_000_000) }, /^--outcome: longer than 4096/],
    ];
    for (const [o, re] of bad) assert.throws(() => parseEventFilter(o, BASE), (err: Error) => err instanceof UsageError && re.test(err.message), JSON.stringify(o).slice(0, 80));
  });

  it('follows: a cursor returns only rows recorded after it, in pages, across connections', async () => {
    const { path, store } = await freshStore();
    for (let i = 0; i < 5; i++) store.record(event());
    const reader = await openSqliteStore(path, { readonly: true });
    const first = queryEvents(reader, { limit: 2 });
    assert.equal(first.events.length, 2);
    assert.equal(first.cursor, 5, 'the cursor is past every row, not only the rows shown');
    assert.deepEqual(queryEvents(reader, { after: first.cursor }).events, []);
    const later = [event({ decision: 'deny' }), event(), event({ decision: 'deny' })];
    for (const e of later) store.record(e);
    const page1 = queryEvents(reader, { after: first.cursor, limit: 2 });
    assert.deepEqual(ids(page1.events), ids(later.slice(0, 2)));
    const page2 = queryEvents(reader, { after: page1.cursor, limit: 2 });
    assert.deepEqual(ids(page2.events), [later[2]!.id]);
    assert.equal(page2.cursor, 8);
    // Filters apply to followed rows too, and the cursor still moves past rows that did not match.
    const denied = queryEvents(reader, { after: first.cursor, decision: 'deny' });
    assert.deepEqual(ids(denied.events), [later[0]!.id, later[2]!.id]);
    assert.equal(queryEvents(reader, { after: 7, decision: 'deny', limit: 10 }).cursor, 8);
    reader.close();
    store.close();
  });

  it('stores hostile values verbatim: 1 MB arguments, Unicode, NUL, SQL-looking strings', async () => {
    const { path, store } = await freshStore();
    const sql = ["'); DROP TABLE events; --", "x' OR '1'='1", '"; DELETE FROM events WHERE 1=1; --', 'Robert\'); PRAGMA user_version=99;--'];
    const hostile = [
      event({ args: { blob: 'x'.repeat(1024 * 1024), list: Array.from({ length: 1000 }, (_, i) => ({ i, s: '🔑'.repeat(i % 7) })) } }),
      event({ agent: 'агент 🤖', server: '服务器', tool: 'outil_é', reason: 'RTL \u202Eevil\u202C and ZWJ 👩‍💻', summary: 'NUL a\u0000b, ESC \u001b[31mred', args: { lone: '\uD800 half a pair', proto: JSON.parse('{"__proto__": {"polluted": true}}') as unknown } }),
      ...sql.map((s) => event({ agent: s, tool: s, rule: s, reason: s, session: s, outcome: s, args: { [s]: s } })),
    ];
    for (const e of hostile) store.record(e);
    assert.deepEqual(queryEvents(store).events, hostile);
    for (const s of sql) {
      assert.deepEqual(ids(queryEvents(store, { agent: s, tool: s, rule: s, session: s, outcome: s }).events), [hostile[sql.indexOf(s) + 2]!.id]);
    }
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    store.close();
    // The store is intact and still at its schema version.
    const again = await openSqliteStore(path);
    assert.equal(queryEvents(again).events.length, hostile.length);
    assert.equal(again.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    again.close();
  });

  it('rejects oversized filter values with a clear error, and binds long ones harmlessly', async () => {
    const { store } = await freshStore();
    const longName = 'n'.repeat(MAX_FILTER_LENGTH);
    const e = event({ agent: longName });
    store.record(e);
    store.record(event());
    assert.deepEqual(ids(queryEvents(store, { agent: longName }).events), [e.id]);
    // Tool names come from servers: a long one against a pattern that makes backtracking
    // matchers take minutes must still answer at once (the glob runs on RE2).
    store.record(event({ tool: 'a'.repeat(3000) }));
    const started = performance.now();
    assert.deepEqual(queryEvents(store, { tool: '*a*a*a*a*a*a*a*a*a*a*b' }).events, []);
    assert.deepEqual(queryEvents(store, { tool: `${'*a'.repeat(MAX_FILTER_LENGTH / 2 - 1)}b` }).events, []);
    assert.ok(performance.now() - started < 5000, `${Math.round(performance.now() - started)} ms`);
    assert.throws(() => queryEvents(store, { tool: 'x{a,b' }), (err: Error) => err instanceof UsageError && /^--tool "x\{a,b": unclosed \{/.test(err.message));
    for (const f of [{ agent: 'x'.repeat(MAX_FILTER_LENGTH + 1) }, { tool: '*'.repeat(100_000) }, { rule: 'r'.repeat(10_000_000) }]) {
      assert.throws(() => queryEvents(store, f), (err: Error) => err instanceof UsageError && /longer than 4096 characters/.test(err.message));
    }
    store.close();
  });

  it('throws from record() when an event cannot be committed: duplicate id, bad event, locked, read-only, closed', async () => {
    const { path, store: first } = await freshStore();
    first.close();
    const store = await openSqliteStore(path, { busyTimeoutMs: 50 });
    const e = event();
    store.record(e);
    await rejectsNaming(() => store.record(e), path, /already recorded/);
    assert.throws(() => store.record(event({ time: 'yesterday' })), /not an ISO-8601 time/);
    assert.throws(() => store.record(event({ decision: 'block' as never })), /decision "block"/);
    // Another process holding the write lock past the busy timeout.
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    await rejectsNaming(() => store.record(event()), path, /locked by another process/);
    other.exec('ROLLBACK');
    other.close();
    store.record(event());
    const reader = await openSqliteStore(path, { readonly: true });
    await rejectsNaming(() => reader.record(event()), path, /read-only/);
    reader.close();
    store.close();
    await rejectsNaming(() => store.record(event()), path, /closed/);
    const again = await openSqliteStore(path);
    assert.equal(queryEvents(again).events.length, 2, 'nothing that threw was stored');
    again.close();
  });

  it('recordMany commits all of a batch or none of it', async () => {
    const { store } = await freshStore();
    const batch = [event(), event(), event()];
    store.recordMany(batch);
    assert.deepEqual(ids(queryEvents(store).events), ids(batch));
    await rejectsNaming(() => store.recordMany([event(), batch[0]!]), store.path, /cannot record/);
    assert.equal(queryEvents(store).events.length, 3);
    store.close();
  });

  it('names the file and leaves it untouched when it is not a database, not Warden\'s, or from a newer Warden', async () => {
    const dir = tempDir();
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'these are my notes, not a database\n'.repeat(200));
    const before = readFileSync(text);
    for (const readonly of [false, true]) await rejectsNaming(() => openSqliteStore(text, { readonly }), text, /not an SQLite database/);
    assert.deepEqual(readFileSync(text), before);
    assert.equal(existsSync(`${text}-wal`), false);

    const foreign = join(dir, 'app.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE events (x); INSERT INTO events VALUES (1)');
    f.close();
    for (const readonly of [false, true]) await rejectsNaming(() => openSqliteStore(foreign, { readonly }), foreign, /not a Warden audit store/);

    const newer = join(dir, 'newer.db');
    (await openSqliteStore(newer)).close();
    const n = new Database(newer);
    n.pragma('user_version = 99');
    n.close();
    for (const readonly of [false, true]) await rejectsNaming(() => openSqliteStore(newer, { readonly }), newer, new RegExp(`newer Warden \\(audit schema version 99; this version knows up to ${SCHEMA_VERSION}\\)`));

    const folder = join(dir, 'folder.db');
    mkdirSync(folder);
    await rejectsNaming(() => openSqliteStore(folder), folder, /is a directory/);
  });

  it('names the file when the database is damaged', async () => {
    const { path, store } = await freshStore();
    for (let i = 0; i < 40; i++) store.record(event({ args: { pad: 'p'.repeat(2000) } }));
    store.close();
    // Overwrite every page after the first (the schema survives; the table and index pages do not).
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 4096);
    writeFileSync(path, bytes);
    const reader = await openSqliteStore(path, { readonly: true });
    await rejectsNaming(() => queryEvents(reader), path, /damaged \(.*malformed/);
    reader.close();
    const writer = await openSqliteStore(path);
    await rejectsNaming(() => writer.record(event()), path, /cannot record the audit event: the database is damaged/);
    writer.close();
    // A damaged schema page fails at open.
    writeFileSync(path, Buffer.concat([bytes.subarray(0, 100), Buffer.alloc(4000, 0xa5)]));
    await rejectsNaming(() => openSqliteStore(path), path, /damaged|not an SQLite database/);
  });

  it('a reader never creates or writes: a missing file is an error, an empty one has no events', async () => {
    const dir = tempDir();
    await rejectsNaming(() => openSqliteStore(join(dir, 'missing.db'), { readonly: true }), join(dir, 'missing.db'), /no such file/);
    assert.equal(existsSync(join(dir, 'missing.db')), false);
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const reader = await openSqliteStore(empty, { readonly: true });
    assert.deepEqual(queryEvents(reader), { events: [], cursor: 0 });
    reader.close();
    assert.equal(statSync(empty).size, 0);
  });

  it('names the file when its directory cannot be written', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    // A database file anyone may write, in a directory where the -wal file cannot be created.
    const noWal = join(dir, 'no-wal');
    mkdirSync(noWal);
    writeFileSync(join(noWal, 'audit.db'), '');
    chmodSync(join(noWal, 'audit.db'), 0o666);
    chmodSync(noWal, 0o555);
    const readOnlyFile = join(dir, 'read-only.db');
    writeFileSync(readOnlyFile, '');
    chmodSync(readOnlyFile, 0o444);
    const cases: [string, RegExp][] = [
      [join(locked, 'audit.db'), /cannot create the audit database: permission denied/],
      [join(locked, 'sub', 'audit.db'), /cannot create the directory .*locked\/sub: permission denied/],
      [readOnlyFile, /the audit database is not writable/],
      [join(noWal, 'audit.db'), /directory .*no-wal is not writable, and SQLite needs to create audit\.db-wal/],
    ];
    const storeModule = join(REPO, 'build', 'src', 'store', 'sqlite-store.js');
    for (const [file, re] of cases) {
      // Root writes anywhere: run the open as nobody so the permission is really checked.
      const script = `import { openSqliteStore } from ${JSON.stringify(storeModule)}; try { await openSqliteStore(${JSON.stringify(file)}); console.log('opened'); } catch (e) { console.log(e.name + ': ' + e.message); }`;
      const asRoot = process.getuid?.() === 0;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^AuditStoreError: /);
      assert.ok(r.stdout.includes(file), r.stdout);
      assert.match(r.stdout, re);
    }
  });
});

describe('JSON Lines audit sink', () => {
  it('appends one OTel-named line per event to a 0600 file, and reads back to the same events', () => {
    const dir = join(tempDir(), 'logs');
    const path = join(dir, 'audit.jsonl');
    const sink = openJsonlSink(path);
    const events = [event(), minimal(), event({ agent: 'line\nbreak \u2028 sep', args: { big: 'z'.repeat(200_000) } })];
    for (const e of events) sink.record(e);
    sink.close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 3);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(records[0]!['mcp.method.name'], 'tools/call');
    assert.equal(records[0]!['gen_ai.tool.name'], 'create_issue');
    assert.equal(records[0]!['gen_ai.security.decision.type'], 'allow');
    assert.equal(records[0]!['gen_ai.security.policy.id'], 'allow-github');
    assert.deepEqual(records.map(fromOtelRecord), events);
    // Appending again keeps what is there.
    const more = openJsonlSink(path);
    more.record(minimal());
    more.close();
    assert.equal(readFileSync(path, 'utf8').split('\n').length, 5);
    assert.throws(() => more.record(minimal()), (err: Error) => err instanceof AuditStoreError && err.message.includes(path));
  });

  it('toOtelRecord names every field once, and leaves absent ones out', () => {
    const names = Object.values(OTEL_NAMES);
    assert.equal(new Set(names).size, names.length);
    const full = toOtelRecord(event());
    assert.equal(Object.keys(full).length, names.length);
    assert.deepEqual(Object.keys(toOtelRecord(minimal())).sort(), ['gen_ai.security.decision.reason', 'gen_ai.security.decision.type', 'gen_ai.security.policy.id', 'mcp.method.name', 'time', 'warden.event.id', 'warden.outcome']);
  });

  it('names the file when it cannot be opened', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a-folder'));
    assert.throws(() => openJsonlSink(join(dir, 'a-folder')), (err: Error) => err instanceof AuditStoreError && err.message.includes('a-folder') && /is a directory/.test(err.message));
  });
});

describe('audit store durability', () => {
  it('keeps every event acknowledged before the writer was SIGKILLed', async () => {
    const path = join(tempDir(), 'audit.db');
    const writer = join(REPO, 'build', 'test', 'helpers', 'audit-writer.js');
    const child = spawn(process.execPath, [writer, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const KILL_AFTER = 500;
    let text = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.split('\n').length > KILL_AFTER && child.exitCode === null) child.kill('SIGKILL');
    });
    const signal = await closed;
    assert.equal(signal, 'SIGKILL', `the writer ended on its own: ${stderr}`);
    // Only complete lines are acknowledgements; a torn last line is not.
    const acknowledged = text.split('\n').slice(0, -1);
    assert.ok(acknowledged.length >= KILL_AFTER, `${acknowledged.length} acknowledgements`);
    const store = await openSqliteStore(path);
    const stored = new Set(ids(queryEvents(store, { limit: 1_000_000 }).events));
    store.close();
    const lost = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged events lost`);
  });
});
