// /api/v1/events: gateways and hooks send batches of audit events; readers page through them.
// For now both take an agent token, and a token reads only its own host's events: a token sits in
// an agent's environment, so it must not open the whole fleet's log. Admin sessions (next slice)
// will read across hosts.
import type { FastifyInstance } from 'fastify';
import { authenticateAgent } from './agent-auth.js';
import { DECISIONS, isoTimeMs, validateEventBatch, BatchError } from './event-validation.js';
import { HttpError } from './http-error.js';
import { DEFAULT_PAGE, MAX_PAGE, QueryError, type EventOrder, type EventQuery, type ServerStore } from './store.js';
import type { DecisionType } from '../store/audit-event.js';

/** Longer than any real name or search: a longer value is a mistake or an attempt to make the query work hard. */
const MAX_FILTER_LENGTH = 4096;
const QUERY_PARAMS = new Set(['since', 'until', 'agent', 'host', 'decision', 'tool', 'text', 'limit', 'cursor', 'order']);

export function registerEventRoutes(app: FastifyInstance, store: ServerStore): void {
  app.post('/api/v1/events', async (request) => {
    const host = await authenticateAgent(store, request);
    let events;
    try {
      events = validateEventBatch(request.body);
    } catch (err) {
      if (err instanceof BatchError) throw new HttpError(err.status, err.message);
      throw err;
    }
    return store.ingestEvents(host, events);
  });

  app.get('/api/v1/events', async (request) => {
    const host = await authenticateAgent(store, request);
    const query = parseEventQuery(request.query as Record<string, unknown>);
    if (query.host !== undefined && query.host !== host) throw new HttpError(403, 'host: an agent token reads only the events of its own host');
    try {
      return await store.queryEvents({ ...query, host });
    } catch (err) {
      if (err instanceof QueryError) throw new HttpError(400, err.message);
      throw err;
    }
  });
}

/** The query string as an EventQuery; HttpError 400 naming the parameter at fault. */
export function parseEventQuery(q: Record<string, unknown>): EventQuery {
  const bad = (name: string, expected: string): never => {
    throw new HttpError(400, `${name}: expected ${expected}`);
  };
  for (const name of Object.keys(q)) if (!QUERY_PARAMS.has(name)) bad(name, `no such parameter; known: ${[...QUERY_PARAMS].join(', ')}`);
  const text = (name: string): string | undefined => {
    const v = q[name];
    if (v === undefined) return undefined;
    // A repeated parameter arrives as an array: ambiguous, refused rather than guessed.
    if (typeof v !== 'string') return bad(name, 'one value');
    if (v === '' || v.length > MAX_FILTER_LENGTH) return bad(name, `1 to ${MAX_FILTER_LENGTH} characters`);
    return v;
  };
  const time = (name: string): number | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    const ms = isoTimeMs(v);
    return Number.isFinite(ms) ? ms : bad(name, 'an ISO-8601 time with a zone, like 2026-05-01T12:00:00Z');
  };
  const f: EventQuery = { limit: DEFAULT_PAGE };
  const limit = text('limit');
  if (limit !== undefined) {
    if (!/^\d{1,6}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_PAGE) bad('limit', `a whole number from 1 to ${MAX_PAGE}`);
    f.limit = Number(limit);
  }
  const since = time('since');
  const until = time('until');
  if (since !== undefined) f.since = since;
  if (until !== undefined) f.until = until;
  const decision = text('decision');
  if (decision !== undefined) {
    if (!(DECISIONS as readonly string[]).includes(decision)) bad('decision', `one of ${DECISIONS.join(', ')}`);
    f.decision = decision as DecisionType;
  }
  const order = text('order');
  if (order !== undefined) {
    if (order !== 'asc' && order !== 'desc') bad('order', 'asc or desc');
    f.order = order as EventOrder;
  }
  for (const name of ['agent', 'host', 'tool', 'text', 'cursor'] as const) {
    const v = text(name);
    if (v !== undefined) f[name] = v;
  }
  return f;
}
