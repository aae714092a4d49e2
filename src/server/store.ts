// What the control plane keeps, behind one interface with two implementations: SQLite (one file,
// nothing to run: the default) and PostgreSQL (a fleet, several server replicas). The HTTP layer
// and the CLI see only this interface; the same end-to-end tests run against both.
import type { AuditEvent, DecisionType } from '../store/audit-event.js';

export interface IngestResult {
  /** Events stored by this call. */
  accepted: number;
  /** Events already stored (same host and id): a retry of a batch that did arrive. */
  duplicates: number;
}

export type EventOrder = 'asc' | 'desc';

export interface EventQuery {
  /** Epoch milliseconds, inclusive, on the event's own time. */
  since?: number;
  until?: number;
  agent?: string;
  /** The host whose token ingested the event. */
  host?: string;
  decision?: DecisionType;
  /** Exact tool name. */
  tool?: string;
  /** Case-insensitive substring of the tool name or of the arguments' JSON. */
  text?: string;
  limit: number;
  /** From an earlier page's nextCursor. */
  cursor?: string;
  /** By the server's sequence: newest first (default) or oldest first. */
  order?: EventOrder;
}

export interface StoredEvent extends AuditEvent {
  /** Host that ingested it (from its token, never from the event). */
  host: string;
  /** When the server stored it (ISO). */
  receivedAt: string;
}

export interface EventPage {
  events: StoredEvent[];
  /** Pass as `cursor` for the next page; null when this page is the last. */
  nextCursor: string | null;
}

export interface CreatedAgentToken {
  id: string;
  /** Shown once; only its hash is stored. */
  token: string;
}

export interface ServerStore {
  /** `sqlite` or `postgres`, and where (a PostgreSQL URL without its password), for messages. */
  readonly kind: 'sqlite' | 'postgres';
  readonly location: string;
  /** Resolves when the store answers a query; rejects with the reason otherwise. */
  ping(): Promise<void>;
  /** The schema version the database is at. */
  schemaVersion(): Promise<number>;
  /** Stores the events not already stored for this host (by id), all in one transaction. */
  ingestEvents(host: string, events: readonly AuditEvent[]): Promise<IngestResult>;
  queryEvents(filter: EventQuery): Promise<EventPage>;
  createAgentToken(host: string, label?: string): Promise<CreatedAgentToken>;
  /** The token's host, or undefined for an unknown, malformed or revoked token. */
  verifyAgentToken(token: string): Promise<string | undefined>;
  /** False when no live token has that id. */
  revokeAgentToken(id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A store problem worded for the person running the server. `retryable`: the database is unreachable or busy, not wrong. */
export class ServerStoreError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ServerStoreError';
  }
}

/** A malformed cursor or filter: the client's mistake (HTTP 400). */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

// Cursors are opaque to clients: the order they were made for and the last sequence number seen,
// so a cursor from a newest-first listing cannot be replayed against an oldest-first one.
export function encodeCursor(order: EventOrder, seq: number): string {
  return Buffer.from(`${order}:${seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, order: EventOrder): number {
  const m = /^(asc|desc):(\d{1,15})$/.exec(/^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '');
  if (!m) throw new QueryError('cursor: not a cursor this server issued');
  if (m[1] !== order) throw new QueryError(`cursor: issued for order=${m[1]}, not order=${order}`);
  return Number(m[2]);
}

/** Columns both stores index for filtering, derived from the event. */
export interface EventColumns {
  id: string;
  timeMs: number;
  agent: string | null;
  session: string | null;
  server: string | null;
  tool: string | null;
  decision: DecisionType;
  /** Tool name and arguments' JSON, lower-cased in JavaScript so both stores fold case alike: the text filter's haystack. */
  search: string;
  /** The whole event's JSON: what queries return, exactly as ingested. */
  event: string;
}

// NUL cannot be stored in a PostgreSQL text column; the filter columns replace it (U+FFFD), and the
// event itself stays verbatim in its JSON, where NUL is written as \u0000.
const noNul = (s: string | undefined): string | null => (s === undefined ? null : s.replace(/\0/g, '\uFFFD'));

export function eventColumns(e: AuditEvent): EventColumns {
  return {
    id: e.id,
    timeMs: Date.parse(e.time),
    agent: noNul(e.agent),
    session: noNul(e.session),
    server: noNul(e.server),
    tool: noNul(e.tool),
    decision: e.decision,
    search: noNul(`${e.tool ?? ''}\n${e.args === undefined ? '' : JSON.stringify(e.args)}`)!.toLowerCase(),
    event: JSON.stringify(e),
  };
}

/** A stored row back to the API's shape. */
export function storedEvent(eventJson: string, host: string, receivedMs: number): StoredEvent {
  return { ...(JSON.parse(eventJson) as AuditEvent), host, receivedAt: new Date(receivedMs).toISOString() };
}

/** The text filter as the stores compare it: lower-cased, NUL replaced like the columns. */
export function textNeedle(text: string): string {
  return noNul(text)!.toLowerCase();
}
