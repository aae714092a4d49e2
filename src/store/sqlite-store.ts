// The embedded audit store: one SQLite file (~/.warden/audit.db) so a single machine needs no
// server. WAL with synchronous=NORMAL: each record() is its own committed transaction, which
// survives the process being killed (not a power cut, which would take synchronous=FULL and an
// fsync per event). better-sqlite3 is a native addon, so it is imported only when a store is
// opened: `warden scan` never loads it, and the bundle leaves it external.
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { describeFsError } from '../parse/text.js';
import type { AuditEvent, AuditSink, DecisionType } from './audit-event.js';

export const DECISION_TYPES: readonly DecisionType[] = ['allow', 'deny', 'modify', 'audit'];

import { defaultAuditDbPath } from './audit-paths.js';

export { defaultAuditDbPath };

/** Anything wrong with the store, worded for a person and naming the file. */
export class AuditStoreError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuditStoreError';
  }
}

// 'Ward' in the database header: tells Warden's file from any other SQLite database, so a --db
// typo never gets an events table added to somebody else's data.
const APPLICATION_ID = 0x57617264;

// Migration N (1-based) brings user_version from N-1 to N. Append only: a released migration is
// never edited, since databases in the field already ran it.
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     seq        INTEGER PRIMARY KEY,  -- rowid alias: insertion order and the --follow cursor
     id         TEXT NOT NULL UNIQUE,
     time       TEXT NOT NULL,        -- exactly as recorded
     time_ms    INTEGER NOT NULL,     -- the same instant, comparable whatever the zone offset
     parent_id  TEXT,
     agent      TEXT,
     session    TEXT,
     method     TEXT NOT NULL,
     server     TEXT,
     tool       TEXT,
     args       TEXT,                 -- JSON
     decision   TEXT NOT NULL CHECK (decision IN ('allow', 'deny', 'modify', 'audit')),
     rule       TEXT NOT NULL,
     reason     TEXT NOT NULL,
     owasp      TEXT,                 -- JSON array
     outcome    TEXT NOT NULL,
     latency_ms REAL,
     summary    TEXT,
     findings   TEXT                  -- JSON array
   ) STRICT;
   -- Every index rewrites a page on each commit, and the gateway commits before every message it
   -- passes on: only time (every query is a recent window) and session (one agent's trail) are
   -- indexed; the other filters scan the time window. The id is unique and time-ordered (UUIDv7),
   -- so its index only ever appends.
   CREATE INDEX events_time ON events (time_ms);
   CREATE INDEX events_session ON events (session, seq);
   PRAGMA application_id = ${APPLICATION_ID};`,
  // Tampering with Warden (a hook's self-protection rule) is recorded as critical.
  `ALTER TABLE events ADD COLUMN severity TEXT CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical'));`,
];
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The writer checkpoints after this long without a commit... */
const CHECKPOINT_IDLE_MS = 200;
/** ...or after this many commits in a row without a pause (a few MB of WAL). */
const CHECKPOINT_EVERY_COMMITS = 1000;

/** Column order of the insert and of `SELECT *` after `seq`. */
const COLUMNS = ['id', 'time', 'time_ms', 'parent_id', 'agent', 'session', 'method', 'server', 'tool', 'args', 'decision', 'rule', 'reason', 'owasp', 'outcome', 'latency_ms', 'summary', 'findings', 'severity'] as const;

export interface EventRow {
  seq: number;
  id: string;
  time: string;
  time_ms: number;
  parent_id: string | null;
  agent: string | null;
  session: string | null;
  method: string;
  server: string | null;
  tool: string | null;
  args: string | null;
  decision: DecisionType;
  rule: string;
  reason: string;
  owasp: string | null;
  outcome: string;
  latency_ms: number | null;
  summary: string | null;
  findings: string | null;
  severity: AuditEvent['severity'] | null;
}

export interface OpenOptions {
  /** For readers (`warden events`): never creates, migrates or writes anything. */
  readonly?: boolean;
  /** How long a write waits for another process's write lock before failing (default 5000). */
  busyTimeoutMs?: number;
}

type Database = BetterSqlite3.Database;

/** SQLite's error, worded for the person; `doing` says what Warden was attempting. */
export function storeError(file: string, err: unknown, doing: string): AuditStoreError {
  if (err instanceof AuditStoreError) return err;
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const detail = e.message ?? String(err);
  const why = code === 'SQLITE_NOTADB'
    ? 'not an SQLite database; is this the right file?'
    : code.startsWith('SQLITE_CORRUPT')
      ? `the database is damaged (${detail}); move it aside and Warden will start a new one`
      : code.startsWith('SQLITE_READONLY')
        ? `the database is read-only (${detail})`
        : code.startsWith('SQLITE_BUSY')
          ? 'the database is locked by another process for longer than the busy timeout'
          : code === 'SQLITE_FULL'
            ? 'the disk is full'
            : code.startsWith('SQLITE_CANTOPEN')
              ? 'cannot open the database file (is its directory writable?)'
              : detail;
  return new AuditStoreError(file, `${file}: ${doing}: ${why}`);
}

/** better-sqlite3, loaded on first use with a message that says what to do when it cannot be. */
async function loadDriver(file: string): Promise<typeof BetterSqlite3> {
  try {
    return (await import('better-sqlite3')).default;
  } catch (err) {
    throw new AuditStoreError(file, `${file}: the SQLite audit store needs the better-sqlite3 native addon, which did not load (${(err as Error).message.split('\n')[0]}); reinstall Warden, or use the JSON Lines audit format`);
  }
}

/** The directory and an empty 0600 file, before SQLite sees the path, so the modes are ours. */
function prepareFile(file: string): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new AuditStoreError(file, `${file}: cannot create the directory ${dir}: ${describeFsError(err)}`);
  }
  if (!existsSync(file)) {
    try {
      // SQLite creates the -wal and -shm files with the database file's mode: 0600 too.
      closeSync(openSync(file, 'wx', 0o600));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new AuditStoreError(file, `${file}: cannot create the audit database: ${describeFsError(err)}`);
    }
  }
  if (statSync(file).isDirectory()) throw new AuditStoreError(file, `${file}: is a directory, expected the audit database file`);
  // SQLite would open a write-protected file read-only and fail only at the first write; say so now.
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new AuditStoreError(file, `${file}: the audit database is not writable`);
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new AuditStoreError(file, `${file}: the directory ${dir} is not writable, and SQLite needs to create ${basename(file)}-wal beside the database`);
  }
}

/** Refuses files that are not Warden's, and schemas this version does not know. Returns the schema version. */
function checkIdentity(db: Database, file: string): number {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
  if (appId !== APPLICATION_ID && (appId !== 0 || tables > 0)) {
    throw new AuditStoreError(file, `${file}: an SQLite database, but not a Warden audit store; choose another file`);
  }
  if (version > SCHEMA_VERSION) {
    throw new AuditStoreError(file, `${file}: written by a newer Warden (audit schema version ${version}; this version knows up to ${SCHEMA_VERSION}); upgrade Warden to read it`);
  }
  return version;
}

/** Runs the missing migrations in one write transaction, so two processes opening a new store at once do not race. */
function migrate(db: Database, file: string): void {
  db.transaction(() => {
    const from = checkIdentity(db, file);
    for (let v = from; v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      // PRAGMA takes no bound parameters; `v + 1` is a number from this file, never input.
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** The row for an event, in COLUMNS order; throws on an event the schema would not take. */
function toRow(e: AuditEvent): unknown[] {
  if (typeof e.id !== 'string' || e.id === '') throw new TypeError('audit event without an id');
  const ms = Date.parse(e.time);
  if (!Number.isFinite(ms)) throw new TypeError(`audit event ${e.id}: time ${JSON.stringify(e.time)} is not an ISO-8601 time`);
  if (!DECISION_TYPES.includes(e.decision)) throw new TypeError(`audit event ${e.id}: decision ${JSON.stringify(e.decision)} is not one of ${DECISION_TYPES.join(', ')}`);
  return [e.id, e.time, ms, e.parentId ?? null, e.agent ?? null, e.session ?? null, e.method, e.server ?? null, e.tool ?? null, json(e.args), e.decision, e.rule, e.reason, json(e.owasp), e.outcome, e.latencyMs ?? null, e.summary ?? null, json(e.findings), e.severity ?? null];
}

/** Inserts events in one transaction (better-sqlite3 commits it, or rolls it back on a throw). */
type Batch = (events: readonly AuditEvent[]) => void;

export class SqliteAuditStore implements AuditSink {
  readonly #insert: BetterSqlite3.Statement | undefined;
  readonly #insertMany: Batch | undefined;
  readonly #ingestMany: Batch | undefined;

  constructor(
    /** Absolute path of the database file. */
    readonly path: string,
    /** The connection, for the query module; nothing else writes through it. */
    readonly db: Database,
    /** False for a reader opened on a file no writer has set up yet (an empty file): nothing to read. */
    readonly hasEvents: boolean,
  ) {
    if (db.readonly) return;
    const values = `(${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;
    const batch = (statement: BetterSqlite3.Statement): Batch =>
      db.transaction((events: readonly AuditEvent[]) => {
        for (const e of events) statement.run(toRow(e));
      });
    this.#insert = db.prepare(`INSERT INTO events ${values}`);
    this.#insertMany = batch(this.#insert);
    // Spooled events may be ingested twice (by their gateway and by a reader that found its spool):
    // the id decides, the second copy is ignored.
    this.#ingestMany = batch(db.prepare(`INSERT OR IGNORE INTO events ${values}`));
    // Checkpoints (copying the WAL back into the database, with an fsync) are taken when the
    // writer is idle rather than inside whichever commit crosses SQLite's threshold, where they
    // would add milliseconds to the message waiting on that commit.
    db.pragma('wal_autocheckpoint = 0');
    this.#idle = setTimeout(() => this.#checkpoint(), CHECKPOINT_IDLE_MS);
    this.#idle.unref();
  }

  readonly #idle: NodeJS.Timeout | undefined;
  #sinceCheckpoint = 0;

  /** After each commit: checkpoint once idle, or now when the WAL has grown long under sustained load. */
  #committed(): void {
    if (++this.#sinceCheckpoint >= CHECKPOINT_EVERY_COMMITS) this.#checkpoint();
    else this.#idle?.refresh();
  }

  #checkpoint(): void {
    if (this.#sinceCheckpoint === 0 || !this.db.open) return;
    this.#sinceCheckpoint = 0;
    try {
      // PASSIVE never waits for readers (`warden events --follow`); what it cannot copy now waits for the next one.
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A busy or failing checkpoint loses nothing: the events are in the WAL.
    }
  }

  /** Commits one event; returns once it is in the WAL. Throws when it is not (the gateway then denies). */
  record(event: AuditEvent): void {
    if (!this.#insert) throw new AuditStoreError(this.path, `${this.path}: opened read-only; cannot record`);
    const row = toRow(event);
    try {
      this.#insert.run(row);
    } catch (err) {
      throw this.#writeError(err, event);
    }
    this.#committed();
  }

  /** Commits several events in one transaction (all or none): for bursts, where per-row commits would queue. */
  recordMany(events: readonly AuditEvent[]): void {
    this.#commitBatch(this.#insertMany, events);
  }

  /** Commits spooled events in one transaction; ones already stored (same id) are skipped. */
  ingest(events: readonly AuditEvent[]): void {
    this.#commitBatch(this.#ingestMany, events);
  }

  #commitBatch(batch: Batch | undefined, events: readonly AuditEvent[]): void {
    if (!batch) throw new AuditStoreError(this.path, `${this.path}: opened read-only; cannot record`);
    try {
      batch(events);
    } catch (err) {
      if (err instanceof TypeError) throw err;
      throw this.#writeError(err);
    }
    this.#committed();
  }

  #writeError(err: unknown, event?: AuditEvent): AuditStoreError {
    const code = (err as { code?: string }).code ?? '';
    if (event && code === 'SQLITE_CONSTRAINT_UNIQUE') return new AuditStoreError(this.path, `${this.path}: cannot record the audit event: id ${event.id} is already recorded`);
    if (!this.db.open) return new AuditStoreError(this.path, `${this.path}: cannot record the audit event: the store is closed`);
    return storeError(this.path, err, 'cannot record the audit event');
  }

  close(): void {
    clearTimeout(this.#idle);
    this.#checkpoint();
    if (this.db.open) this.db.close();
  }
}

/** The event a row holds: absent fields stay absent, JSON columns are parsed back. */
export function rowToEvent(row: EventRow, file: string): AuditEvent {
  const parse = (text: string, column: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw new AuditStoreError(file, `${file}: event ${row.id}: the ${column} column is not JSON; the file was edited outside Warden`);
    }
  };
  // Built in AuditEvent's declaration order, so a JSON dump reads like the type.
  return {
    id: row.id,
    time: row.time,
    ...(row.parent_id !== null ? { parentId: row.parent_id } : {}),
    ...(row.agent !== null ? { agent: row.agent } : {}),
    ...(row.session !== null ? { session: row.session } : {}),
    method: row.method,
    ...(row.server !== null ? { server: row.server } : {}),
    ...(row.tool !== null ? { tool: row.tool } : {}),
    ...(row.args !== null ? { args: parse(row.args, 'args') as Record<string, unknown> } : {}),
    decision: row.decision,
    rule: row.rule,
    reason: row.reason,
    ...(row.owasp !== null ? { owasp: parse(row.owasp, 'owasp') as string[] } : {}),
    outcome: row.outcome,
    ...(row.latency_ms !== null ? { latencyMs: row.latency_ms } : {}),
    ...(row.summary !== null ? { summary: row.summary } : {}),
    ...(row.findings !== null ? { findings: parse(row.findings, 'findings') as string[] } : {}),
    ...(row.severity !== null ? { severity: row.severity } : {}),
  };
}

/**
 * Opens (and for a writer, creates and migrates) the store at `file`, default `~/.warden/audit.db`.
 * Every failure is an AuditStoreError naming the file.
 */
export async function openSqliteStore(file: string = defaultAuditDbPath(), o: OpenOptions = {}): Promise<SqliteAuditStore> {
  const path = resolve(file);
  const Driver = await loadDriver(path);
  if (o.readonly) {
    if (!existsSync(path)) throw new AuditStoreError(path, `${path}: no such file`);
  } else prepareFile(path);
  let db: Database | undefined;
  try {
    db = new Driver(path, { readonly: Boolean(o.readonly), fileMustExist: true, timeout: o.busyTimeoutMs ?? 5000 });
    // A hostile file could carry triggers or views calling functions; keep them from running any.
    db.pragma('trusted_schema = OFF');
    let hasEvents = true;
    if (o.readonly) {
      const version = checkIdentity(db, path);
      // 0: an empty file no writer has set up yet. Older: only after an upgrade, before any
      // writer migrated it; reading would need the old column set, so ask for the migration.
      if (version === 0) hasEvents = false;
      else if (version < SCHEMA_VERSION) throw new AuditStoreError(path, `${path}: written by an older Warden (audit schema version ${version}); run the gateway once to upgrade it`);
    } else {
      // Checked before WAL is switched on: a file that is not a database must not be written to.
      checkIdentity(db, path);
      if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') throw new AuditStoreError(path, `${path}: cannot switch the database to WAL mode`);
      db.pragma('synchronous = NORMAL');
      migrate(db, path);
    }
    return new SqliteAuditStore(path, db, hasEvents);
  } catch (err) {
    db?.close();
    throw storeError(path, err, o.readonly ? 'cannot read the audit store' : 'cannot open the audit store');
  }
}
