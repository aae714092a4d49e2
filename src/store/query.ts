// Reading the audit store back: the filters `warden events` offers, turned into one parameterised
// SELECT. Values typed by a person (or copied from an event an attacker named) are only ever bound,
// never spliced into SQL. The tool glob is the policy conditions' `glob()` (RE2): tool names come
// from servers, and a backtracking matcher lets a long one stall the query (picomatch's RegExp does
// not finish `*a*a*a*a*a*a*a*a*a*a*b` against 3,000 characters; RE2 is linear).
import { UsageError } from '../core/errors.js';
import { compileGlob, RegexSyntaxError, type Matcher } from '../policy/patterns.js';
import type { AuditEvent, DecisionType } from './audit-event.js';
import { DECISION_TYPES, rowToEvent, storeError, type EventRow, type SqliteAuditStore } from './sqlite-store.js';

export interface EventFilter {
  /** Epoch milliseconds, inclusive. */
  since?: number;
  /** Epoch milliseconds, inclusive. */
  until?: number;
  agent?: string;
  server?: string;
  /** A glob (`*`, `?`, `[a-z]`, `{a,b}`; `*` stops at `/`, `**` does not) or a plain name. */
  tool?: string;
  decision?: DecisionType;
  rule?: string;
  session?: string;
  outcome?: string;
  /** Most events returned (default 100): the newest ones, or with `after` the oldest after it. */
  limit?: number;
  /** The cursor of an earlier query: only events recorded after it, oldest first (`--follow`). */
  after?: number;
}

export interface EventPage {
  /** Oldest first. */
  events: AuditEvent[];
  /** Pass as `after` to get what was recorded since. */
  cursor: number;
}

export const DEFAULT_LIMIT = 100;
/** Longer than any real name: a longer filter is a paste accident, or work asked of the glob compiler. */
export const MAX_FILTER_LENGTH = 4096;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const RELATIVE = /^(\d{1,9})(s|m|h|d|w)$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * `15m`, `2h`, `7d` (that long before `now`) or an ISO time; a time without a zone, and a bare
 * date (its midnight), are local, as a person typing one means.
 */
export function parseTimeBound(value: string, option: string, now = Date.now()): number {
  const v = value.trim();
  const rel = RELATIVE.exec(v);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS];
  const iso = ISO.exec(v);
  if (iso) {
    const [, y, mo, d, h] = iso;
    // Date.parse takes 2026-02-30 as March 2; the calendar check is ours.
    const valid = Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
    // A bare date is UTC to Date.parse but local with a time: make it local too.
    const ms = valid ? Date.parse(h === undefined ? `${v}T00:00` : v.replace(' ', 'T')) : NaN;
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(`${option} ${JSON.stringify(value.slice(0, 64))}: expected an ISO time (2026-05-01, 2026-05-01T12:00:00Z) or a time ago (30s, 15m, 2h, 7d, 2w)`);
}

/** The filter options of `warden events`, as commander hands them over. */
export interface FilterOptions {
  since?: string;
  until?: string;
  agent?: string;
  server?: string;
  tool?: string;
  decision?: string;
  rule?: string;
  session?: string;
  outcome?: string;
  limit?: string;
}

/** Checks and converts command-line filter values; UsageError naming the option on a bad one. */
export function parseEventFilter(o: FilterOptions, now = Date.now()): EventFilter {
  const f: EventFilter = {};
  for (const key of ['agent', 'server', 'tool', 'rule', 'session', 'outcome'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (v.length > MAX_FILTER_LENGTH) throw new UsageError(`--${key}: longer than ${MAX_FILTER_LENGTH} characters`);
    if (v === '') throw new UsageError(`--${key}: empty`);
    f[key] = v;
  }
  if (f.tool !== undefined && GLOB_SYNTAX.test(f.tool)) toolMatcher(f.tool);
  if (o.decision !== undefined) {
    if (!(DECISION_TYPES as readonly string[]).includes(o.decision)) throw new UsageError(`--decision ${JSON.stringify(o.decision.slice(0, 64))}: expected one of ${DECISION_TYPES.join(', ')}`);
    f.decision = o.decision as DecisionType;
  }
  if (o.since !== undefined) f.since = parseTimeBound(o.since, '--since', now);
  if (o.until !== undefined) f.until = parseTimeBound(o.until, '--until', now);
  if (f.since !== undefined && f.until !== undefined && f.since > f.until) throw new UsageError('--since is later than --until');
  if (o.limit !== undefined) {
    if (!/^\d{1,9}$/.test(o.limit) || Number(o.limit) < 1) throw new UsageError(`--limit ${JSON.stringify(o.limit.slice(0, 64))}: expected a whole number of events, 1 or more`);
    f.limit = Number(o.limit);
  }
  return f;
}

const GLOB_SYNTAX = /[*?[\]{}\\]/;

/** The compiled tool glob; UsageError naming --tool when it does not compile. */
function toolMatcher(pattern: string): Matcher {
  try {
    return compileGlob(pattern);
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw new UsageError(`--tool ${JSON.stringify(pattern.slice(0, 64))}: ${err.message}`);
    throw err;
  }
}

const withGlob = new WeakSet<object>();

/** `warden_glob(pattern, value)` on this connection (compileGlob caches the compiled patterns). */
function registerGlob(store: SqliteAuditStore): void {
  if (withGlob.has(store.db)) return;
  store.db.function('warden_glob', { deterministic: true }, (pattern: unknown, value: unknown) => (typeof pattern === 'string' && typeof value === 'string' && toolMatcher(pattern).test(value) ? 1 : 0));
  withGlob.add(store.db);
}

/** The WHERE clause and its bound values; column names come from this code, values only as `?`. */
function where(f: EventFilter): { sql: string; params: unknown[] } {
  for (const key of ['agent', 'server', 'tool', 'rule', 'session', 'outcome'] as const) {
    if ((f[key]?.length ?? 0) > MAX_FILTER_LENGTH) throw new UsageError(`${key} filter: longer than ${MAX_FILTER_LENGTH} characters`);
  }
  const terms: string[] = [];
  const params: unknown[] = [];
  const term = (sql: string, v: unknown) => {
    if (v === undefined) return;
    terms.push(sql);
    params.push(v);
  };
  term('time_ms >= ?', f.since);
  term('time_ms <= ?', f.until);
  term('agent = ?', f.agent);
  term('server = ?', f.server);
  // A plain name compares with `=`, which can use the index; only a real pattern needs the glob.
  if (f.tool !== undefined) {
    const glob = GLOB_SYNTAX.test(f.tool);
    // Compiled here too, so a bad pattern is a usage error before SQLite sees it.
    if (glob) toolMatcher(f.tool);
    term(glob ? 'warden_glob(?, tool)' : 'tool = ?', f.tool);
  }
  term('decision = ?', f.decision);
  term('rule = ?', f.rule);
  term('session = ?', f.session);
  term('outcome = ?', f.outcome);
  term('seq > ?', f.after);
  return { sql: terms.length ? `WHERE ${terms.join(' AND ')}` : '', params };
}

/**
 * Events matching `f`, oldest first: the newest `limit` of them by time, or with `after` the
 * first `limit` recorded since that cursor. One read transaction, so the cursor and the rows agree.
 */
export function queryEvents(store: SqliteAuditStore, f: EventFilter = {}): EventPage {
  if (!store.hasEvents) return { events: [], cursor: f.after ?? 0 };
  const limit = f.limit ?? DEFAULT_LIMIT;
  const { sql, params } = where(f);
  try {
    registerGlob(store);
    const forward = f.after !== undefined;
    // A listing is in time order (the column a person reads); following is in recording order,
    // which is what the cursor counts. They differ only when writers' clocks or a late result
    // event interleave.
    const select = store.db.prepare(`SELECT * FROM events ${sql} ORDER BY ${forward ? 'seq ASC' : 'time_ms DESC, seq DESC'} LIMIT ?`);
    const maxSeq = store.db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM events');
    return store.db.transaction(() => {
      const rows = select.all(...params, limit) as EventRow[];
      if (!forward) rows.reverse();
      // A full page forward may have more behind it: resume after its last row, not at the end.
      const cursor = forward && rows.length === limit ? rows[rows.length - 1]!.seq : (maxSeq.get() as { seq: number }).seq;
      return { events: rows.map((r) => rowToEvent(r, store.path)), cursor: Math.max(cursor, f.after ?? 0) };
    })();
  } catch (err) {
    throw storeError(store.path, err, 'cannot read the audit store');
  }
}
