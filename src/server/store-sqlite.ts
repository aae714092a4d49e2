// The control plane's embedded store: one SQLite file ($WARDEN_HOME/server.db), so `warden serve`
// needs nothing else on a single machine. Same conventions as the local audit store
// (src/store/sqlite-store.ts): WAL, STRICT tables, user_version as the schema version, an
// application_id of its own so neither store mistakes the other's file for its own.
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { AuditEvent } from '../store/audit-event.js';
import { agentTokenMatches, generateAgentToken, parseAgentToken } from './agent-tokens.js';
import {
  DEFAULT_PAGE,
  ServerStoreError,
  decodeCursor,
  encodeCursor,
  eventColumns,
  storedEvent,
  textNeedle,
  type CreatedAgentToken,
  type EventPage,
  type EventQuery,
  type IngestResult,
  type ServerStore,
} from './store.js';

// 'WdSv': a Warden control-plane database (the audit store is 'Ward').
const APPLICATION_ID = 0x57645376;

// Migration N (1-based) brings user_version from N-1 to N. Append only: databases in the field ran them.
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE agent_tokens (
     id          TEXT PRIMARY KEY,
     host        TEXT NOT NULL,
     label       TEXT,
     hash        BLOB NOT NULL,      -- SHA-256 of the secret part
     created_ms  INTEGER NOT NULL,
     revoked_ms  INTEGER
   ) STRICT;
   CREATE TABLE events (
     -- AUTOINCREMENT: a sequence number is never reused, even after old rows are deleted, so a
     -- client's cursor never skips or repeats rows.
     seq         INTEGER PRIMARY KEY AUTOINCREMENT,
     host        TEXT NOT NULL,
     id          TEXT NOT NULL,
     received_ms INTEGER NOT NULL,
     time_ms     INTEGER NOT NULL,
     agent       TEXT,
     session     TEXT,
     server      TEXT,
     tool        TEXT,
     decision    TEXT NOT NULL CHECK (decision IN ('allow', 'deny', 'modify', 'audit')),
     search      TEXT NOT NULL,      -- lower-cased tool and arguments: the text filter's haystack
     event       TEXT NOT NULL,      -- the event's JSON as ingested
     UNIQUE (host, id)               -- per host: one host cannot pre-empt another's event ids
   ) STRICT;
   CREATE INDEX events_time ON events (time_ms);
   CREATE INDEX events_host ON events (host, seq);
   CREATE INDEX events_agent ON events (agent, seq);
   CREATE INDEX events_tool ON events (tool, seq);`,
];
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

type Database = BetterSqlite3.Database;

async function loadDriver(): Promise<typeof BetterSqlite3> {
  try {
    return (await import('better-sqlite3')).default;
  } catch (err) {
    throw new ServerStoreError(`the SQLite store needs the better-sqlite3 native addon, which did not load (${(err as Error).message.split('\n')[0]}); reinstall Warden, or use --db postgres://...`);
  }
}

/** The directory (0700) and an empty 0600 file before SQLite sees the path, so the modes are ours. */
function prepareFile(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!existsSync(file)) closeSync(openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ServerStoreError(`${file}: cannot create the database: ${(err as Error).message}`);
  }
  if (statSync(file).isDirectory()) throw new ServerStoreError(`${file}: is a directory, expected the server database file`);
}

/** Applies pending migrations, each in its own write transaction; refuses other files and newer schemas. */
function migrate(db: Database, file: string): void {
  for (;;) {
    const done = db.transaction(() => {
      const appId = db.pragma('application_id', { simple: true }) as number;
      const version = db.pragma('user_version', { simple: true }) as number;
      const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
      if (appId !== APPLICATION_ID && (appId !== 0 || tables > 0)) throw new ServerStoreError(`${file}: an SQLite database, but not a Warden server store; choose another file`);
      if (version > SQLITE_SCHEMA_VERSION) throw new ServerStoreError(`${file}: written by a newer Warden (server schema version ${version}; this version knows up to ${SQLITE_SCHEMA_VERSION}); upgrade Warden`);
      if (version === SQLITE_SCHEMA_VERSION) return true;
      db.exec(SQLITE_MIGRATIONS[version]!);
      // PRAGMAs take no bound parameters; both numbers come from this file, never from input.
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${version + 1}`);
      return false;
    }).immediate();
    if (done) return;
  }
}

interface EventRow {
  seq: number;
  host: string;
  received_ms: number;
  event: string;
}

interface TokenRow {
  host: string;
  hash: Buffer;
}

export class SqliteServerStore implements ServerStore {
  readonly kind = 'sqlite' as const;
  readonly #insert: BetterSqlite3.Statement;
  readonly #ingest: (host: string, events: readonly AuditEvent[]) => number;

  constructor(
    readonly location: string,
    readonly db: Database,
  ) {
    this.#insert = db.prepare(
      `INSERT INTO events (host, id, received_ms, time_ms, agent, session, server, tool, decision, search, event)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (host, id) DO NOTHING`,
    );
    // One transaction per batch: all of it is stored or none of it.
    this.#ingest = db.transaction((host: string, events: readonly AuditEvent[]) => {
      const now = Date.now();
      let stored = 0;
      for (const e of events) {
        const c = eventColumns(e);
        stored += this.#insert.run(host, c.id, now, c.timeMs, c.agent, c.session, c.server, c.tool, c.decision, c.search, c.event).changes;
      }
      return stored;
    });
  }

  #run<T>(doing: string, work: () => T): T {
    try {
      return work();
    } catch (err) {
      if (err instanceof ServerStoreError) throw err;
      const code = (err as { code?: string }).code ?? '';
      // Busy (another writer held the lock past the timeout) and I/O errors may pass; a retry is the right answer.
      const retryable = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL' || !this.db.open;
      throw new ServerStoreError(`${this.location}: ${doing}: ${(err as Error).message}`, retryable);
    }
  }

  async ping(): Promise<void> {
    this.#run('cannot query the store', () => this.db.prepare('SELECT 1 FROM events LIMIT 1').all());
  }

  async schemaVersion(): Promise<number> {
    return this.#run('cannot read the schema version', () => this.db.pragma('user_version', { simple: true }) as number);
  }

  async ingestEvents(host: string, events: readonly AuditEvent[]): Promise<IngestResult> {
    const accepted = this.#run('cannot store the events', () => this.#ingest(host, events));
    return { accepted, duplicates: events.length - accepted };
  }

  async queryEvents(f: EventQuery): Promise<EventPage> {
    const order = f.order ?? 'desc';
    const terms: string[] = [];
    const params: unknown[] = [];
    // Column names come from this code; every value is bound.
    const term = (sql: string, ...values: unknown[]) => {
      terms.push(sql);
      params.push(...values);
    };
    if (f.since !== undefined) term('time_ms >= ?', f.since);
    if (f.until !== undefined) term('time_ms <= ?', f.until);
    if (f.agent !== undefined) term('agent = ?', f.agent);
    if (f.host !== undefined) term('host = ?', f.host);
    if (f.decision !== undefined) term('decision = ?', f.decision);
    if (f.tool !== undefined) term('tool = ?', f.tool);
    // instr, not LIKE: the needle's % and _ are plain characters, nothing to escape.
    if (f.text !== undefined) term('instr(search, ?) > 0', textNeedle(f.text));
    if (f.cursor !== undefined) term(order === 'desc' ? 'seq < ?' : 'seq > ?', decodeCursor(f.cursor, order));
    const limit = f.limit ?? DEFAULT_PAGE;
    const sql = `SELECT seq, host, received_ms, event FROM events ${terms.length ? `WHERE ${terms.join(' AND ')}` : ''} ORDER BY seq ${order === 'desc' ? 'DESC' : 'ASC'} LIMIT ?`;
    // One row more than asked: whether there is a next page, without a second query.
    const rows = this.#run('cannot query the events', () => this.db.prepare(sql).all(...params, limit + 1) as EventRow[]);
    const page = rows.slice(0, limit);
    return {
      events: page.map((r) => storedEvent(r.event, r.host, r.received_ms)),
      nextCursor: rows.length > limit ? encodeCursor(order, page[page.length - 1]!.seq) : null,
    };
  }

  async createAgentToken(host: string, label?: string): Promise<CreatedAgentToken> {
    const t = generateAgentToken();
    this.#run('cannot store the token', () => this.db.prepare('INSERT INTO agent_tokens (id, host, label, hash, created_ms) VALUES (?, ?, ?, ?, ?)').run(t.id, host, label ?? null, t.hash, Date.now()));
    return { id: t.id, token: t.token };
  }

  async verifyAgentToken(token: string): Promise<string | undefined> {
    const presented = parseAgentToken(token);
    if (!presented) return undefined;
    const row = this.#run('cannot check the token', () => this.db.prepare('SELECT host, hash FROM agent_tokens WHERE id = ? AND revoked_ms IS NULL').get(presented.id) as TokenRow | undefined);
    return agentTokenMatches(presented, row?.hash) ? row!.host : undefined;
  }

  async revokeAgentToken(id: string): Promise<boolean> {
    const r = this.#run('cannot revoke the token', () => this.db.prepare('UPDATE agent_tokens SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL').run(Date.now(), id));
    return r.changes > 0;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating and migrating) the server database at `file`. */
export async function openSqliteServerStore(file: string): Promise<SqliteServerStore> {
  const path = resolve(file);
  const Driver = await loadDriver();
  prepareFile(path);
  let db: Database | undefined;
  try {
    db = new Driver(path, { fileMustExist: true, timeout: 5000 });
    // A hostile file could carry triggers or views calling functions; keep them from running any.
    db.pragma('trusted_schema = OFF');
    migrate(db, path);
    if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') throw new ServerStoreError(`${path}: cannot switch the database to WAL mode`);
    db.pragma('synchronous = NORMAL');
    return new SqliteServerStore(path, db);
  } catch (err) {
    db?.close();
    if (err instanceof ServerStoreError) throw err;
    const code = (err as { code?: string }).code;
    throw new ServerStoreError(`${path}: cannot open the server store: ${code === 'SQLITE_NOTADB' ? 'not an SQLite database; is this the right file?' : (err as Error).message}`);
  }
}
