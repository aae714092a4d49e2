// The fleet store: PostgreSQL through `pg`, for many hosts reporting to one control plane and for
// several server replicas sharing one database. Parameterised SQL only; a batch is one INSERT over
// unnest() arrays (about 40 times the rows per second of one statement per row).
import pg from 'pg';
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

// Migration N (1-based) brings warden_schema.version from N-1 to N. Append only.
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE agent_tokens (
     id          text PRIMARY KEY,
     host        text NOT NULL,
     label       text,
     hash        bytea NOT NULL,
     created_at  timestamptz NOT NULL DEFAULT now(),
     revoked_at  timestamptz
   );
   CREATE TABLE events (
     seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     host        text NOT NULL,
     id          text NOT NULL,
     received_ms bigint NOT NULL,
     time_ms     bigint NOT NULL,
     agent       text,
     session     text,
     server      text,
     tool        text,
     decision    text NOT NULL CHECK (decision IN ('allow', 'deny', 'modify', 'audit')),
     search      text NOT NULL,
     -- text, not jsonb: jsonb reorders keys and refuses \\u0000, and the event is returned as sent.
     event       text NOT NULL,
     UNIQUE (host, id)
   );
   CREATE INDEX events_time ON events (time_ms);
   CREATE INDEX events_host ON events (host, seq);
   CREATE INDEX events_agent ON events (agent, seq);
   CREATE INDEX events_tool ON events (tool, seq);`,
];
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

// Serialises migrations between server replicas starting at once (an arbitrary constant: 'WdSv').
const MIGRATION_LOCK = 0x57645376;

// SQLSTATE classes that mean the request (our SQL or its data) is wrong, so a retry would fail the
// same way: data exceptions, integrity violations, syntax or access rule errors. Every other
// database error (connection lost, database dropped or restarting, out of resources, deadlock) is
// the database being unavailable for now: the sender keeps the batch and retries.
const PERMANENT_STATES = /^(22|23|42)/;
const SQLSTATE = /^[0-9A-Z]{5}$/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

function isRetryable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e.code && SQLSTATE.test(e.code)) return !PERMANENT_STATES.test(e.code);
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  // pg's own errors for a dropped or timed-out connection carry no code.
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection error/i.test(e.message ?? '');
}

interface EventRow {
  seq: string;
  host: string;
  received_ms: string;
  event: string;
}

export class PostgresServerStore implements ServerStore {
  readonly kind = 'postgres' as const;

  constructor(
    readonly location: string,
    readonly pool: pg.Pool,
  ) {}

  async #query<R extends pg.QueryResultRow>(doing: string, sql: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, values);
    } catch (err) {
      throw new ServerStoreError(`${this.location}: ${doing}: ${(err as Error).message}`, isRetryable(err));
    }
  }

  async ping(): Promise<void> {
    await this.#query('cannot query the store', 'SELECT 1 FROM events LIMIT 1');
  }

  async schemaVersion(): Promise<number> {
    const r = await this.#query<{ version: number }>('cannot read the schema version', 'SELECT version FROM warden_schema');
    return r.rows[0]?.version ?? 0;
  }

  async ingestEvents(host: string, events: readonly AuditEvent[]): Promise<IngestResult> {
    if (events.length === 0) return { accepted: 0, duplicates: 0 };
    const cols = events.map(eventColumns);
    const pick = <K extends keyof (typeof cols)[number]>(k: K) => cols.map((c) => c[k]);
    // One statement is one transaction: the batch is stored whole or not at all. ORDER BY the
    // ordinality so sequence numbers follow the batch's order.
    const r = await this.#query(
      'cannot store the events',
      `INSERT INTO events (host, id, received_ms, time_ms, agent, session, server, tool, decision, search, event)
       SELECT $1, id, $2, time_ms, agent, session, server, tool, decision, search, event
       FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         WITH ORDINALITY AS b(id, time_ms, agent, session, server, tool, decision, search, event, n)
       ORDER BY n
       ON CONFLICT (host, id) DO NOTHING`,
      [host, Date.now(), pick('id'), pick('timeMs'), pick('agent'), pick('session'), pick('server'), pick('tool'), pick('decision'), pick('search'), pick('event')],
    );
    const accepted = r.rowCount ?? 0;
    return { accepted, duplicates: events.length - accepted };
  }

  async queryEvents(f: EventQuery): Promise<EventPage> {
    const order = f.order ?? 'desc';
    const terms: string[] = [];
    const values: unknown[] = [];
    // Column names come from this code; every value is a $n parameter.
    const term = (sql: (p: string) => string, value: unknown) => {
      values.push(value);
      terms.push(sql(`$${values.length}`));
    };
    if (f.since !== undefined) term((p) => `time_ms >= ${p}`, f.since);
    if (f.until !== undefined) term((p) => `time_ms <= ${p}`, f.until);
    if (f.agent !== undefined) term((p) => `agent = ${p}`, f.agent);
    if (f.host !== undefined) term((p) => `host = ${p}`, f.host);
    if (f.decision !== undefined) term((p) => `decision = ${p}`, f.decision);
    if (f.tool !== undefined) term((p) => `tool = ${p}`, f.tool);
    // strpos, not LIKE: the needle's % and _ are plain characters, nothing to escape.
    if (f.text !== undefined) term((p) => `strpos(search, ${p}) > 0`, textNeedle(f.text));
    if (f.cursor !== undefined) term((p) => (order === 'desc' ? `seq < ${p}` : `seq > ${p}`), decodeCursor(f.cursor, order));
    const limit = f.limit ?? DEFAULT_PAGE;
    values.push(limit + 1);
    const sql = `SELECT seq, host, received_ms, event FROM events ${terms.length ? `WHERE ${terms.join(' AND ')}` : ''} ORDER BY seq ${order === 'desc' ? 'DESC' : 'ASC'} LIMIT $${values.length}`;
    const rows = (await this.#query<EventRow>('cannot query the events', sql, values)).rows;
    const page = rows.slice(0, limit);
    return {
      events: page.map((r) => storedEvent(r.event, r.host, Number(r.received_ms))),
      nextCursor: rows.length > limit ? encodeCursor(order, Number(page[page.length - 1]!.seq)) : null,
    };
  }

  async createAgentToken(host: string, label?: string): Promise<CreatedAgentToken> {
    const t = generateAgentToken();
    await this.#query('cannot store the token', 'INSERT INTO agent_tokens (id, host, label, hash) VALUES ($1, $2, $3, $4)', [t.id, host, label ?? null, t.hash]);
    return { id: t.id, token: t.token };
  }

  async verifyAgentToken(token: string): Promise<string | undefined> {
    const presented = parseAgentToken(token);
    if (!presented) return undefined;
    const r = await this.#query<{ host: string; hash: Buffer }>('cannot check the token', 'SELECT host, hash FROM agent_tokens WHERE id = $1 AND revoked_at IS NULL', [presented.id]);
    const row = r.rows[0];
    return agentTokenMatches(presented, row?.hash) ? row!.host : undefined;
  }

  async revokeAgentToken(id: string): Promise<boolean> {
    const r = await this.#query('cannot revoke the token', 'UPDATE agent_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
    return (r.rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Applies pending migrations, each in its own transaction under an advisory lock; refuses a newer schema. */
async function migrate(pool: pg.Pool, location: string): Promise<void> {
  const client = await pool.connect();
  try {
    for (;;) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await client.query('CREATE TABLE IF NOT EXISTS warden_schema (version integer NOT NULL)');
        const r = await client.query<{ version: number }>('SELECT version FROM warden_schema');
        if (r.rows.length > 1) throw new ServerStoreError(`${location}: warden_schema has ${r.rows.length} rows; expected one. Was it edited by hand?`);
        const version = r.rows[0]?.version ?? 0;
        if (version > POSTGRES_SCHEMA_VERSION) throw new ServerStoreError(`${location}: written by a newer Warden (server schema version ${version}; this version knows up to ${POSTGRES_SCHEMA_VERSION}); upgrade Warden`);
        if (version === POSTGRES_SCHEMA_VERSION) {
          await client.query('COMMIT');
          return;
        }
        await client.query(POSTGRES_MIGRATIONS[version]!);
        if (r.rows.length === 0) await client.query('INSERT INTO warden_schema (version) VALUES ($1)', [version + 1]);
        else await client.query('UPDATE warden_schema SET version = $1', [version + 1]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } finally {
    client.release();
  }
}

/** Connects to `url`, applies pending migrations and returns the store. */
export async function openPostgresServerStore(url: string): Promise<PostgresServerStore> {
  const location = redactUrl(url);
  // Short connection timeout: /readyz and ingest answer "unavailable" quickly instead of hanging.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 });
  // An idle client whose connection drops emits 'error' on the pool; without a listener that ends the process.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, location);
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof ServerStoreError) throw err;
    throw new ServerStoreError(`${location}: cannot open the server store: ${(err as Error).message}`, isRetryable(err));
  }
  return new PostgresServerStore(location, pool);
}
