// Checking an ingest batch before any of it is stored: the whole batch is refused when one event
// is wrong, with the index and field named, so the sender can fix or drop that one event and retry
// the rest. Only the fields AuditEvent declares are kept: a sender cannot park arbitrary data in
// the fleet store under an event's name.
import type { AuditEvent, DecisionType } from '../store/audit-event.js';

export const MAX_EVENTS_PER_BATCH = 5000;
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const DECISIONS: readonly DecisionType[] = ['allow', 'deny', 'modify', 'audit'];
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

/** ISO-8601 with a zone (Z or an offset): a time without one would mean something else on each server. */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A batch the server refuses: `status` 400 for a wrong shape, 413 for a batch too large. */
export class BatchError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'BatchError';
  }
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Epoch milliseconds of an ISO time with a zone, or NaN. */
export function isoTimeMs(value: string): number {
  const m = ISO_TIME.exec(value);
  if (!m) return NaN;
  // Date.parse takes 2026-02-30 as March 2: the calendar check is ours.
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return NaN;
  return Date.parse(value);
}

/** The events of an ingest body, validated and reduced to AuditEvent's fields. Throws BatchError. */
export function validateEventBatch(body: unknown): AuditEvent[] {
  if (!isObject(body)) throw new BatchError(400, 'expected a JSON object {"events": [...]}');
  const events = body['events'];
  if (!Array.isArray(events)) throw new BatchError(400, 'events: expected an array of audit events');
  if (events.length > MAX_EVENTS_PER_BATCH) throw new BatchError(413, `events: ${events.length} events in one batch; at most ${MAX_EVENTS_PER_BATCH}, send the rest in another`);
  return events.map((e, i) => validateEvent(e, `events[${i}]`));
}

function validateEvent(raw: unknown, at: string): AuditEvent {
  if (!isObject(raw)) throw new BatchError(400, `${at}: expected an object`);
  const fail = (field: string, expected: string): never => {
    throw new BatchError(400, `${at}.${field}: expected ${expected}`);
  };
  const required = (field: string): string => {
    const v = raw[field];
    if (typeof v !== 'string' || v === '') fail(field, 'a non-empty string');
    return v as string;
  };
  const optional = (field: string): string | undefined => {
    const v = raw[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') fail(field, 'a string');
    return v as string;
  };
  const stringList = (field: string): string[] | undefined => {
    const v = raw[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) fail(field, 'an array of strings');
    return v as string[];
  };

  const id = required('id');
  // Ids are compared and indexed as they are: no control characters (NUL cannot even be stored in PostgreSQL).
  if (id.length > 200 || /[\u0000-\u001f\u007f]/.test(id)) fail('id', 'at most 200 characters, no control characters');
  const time = required('time');
  if (!Number.isFinite(isoTimeMs(time))) fail('time', 'an ISO-8601 time with a zone, like 2026-05-01T12:00:00.000Z');
  const decision = raw['decision'];
  if (typeof decision !== 'string' || !(DECISIONS as readonly string[]).includes(decision)) fail('decision', `one of ${DECISIONS.join(', ')}`);
  const args = raw['args'];
  if (args !== undefined && args !== null && !isObject(args)) fail('args', 'an object');
  const latency = raw['latencyMs'];
  if (latency !== undefined && latency !== null && (typeof latency !== 'number' || !Number.isFinite(latency) || latency < 0)) fail('latencyMs', 'a number of milliseconds, 0 or more');
  const severity = optional('severity');
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) fail('severity', `one of ${SEVERITIES.join(', ')}`);

  const event: AuditEvent = { id, time, method: required('method'), decision: decision as DecisionType, rule: required('rule'), reason: required('reason'), outcome: required('outcome') };
  // Assigned only when present, so a stored event reads back exactly as it was sent.
  const put = <K extends keyof AuditEvent>(key: K, value: AuditEvent[K] | undefined) => {
    if (value !== undefined) event[key] = value;
  };
  put('parentId', optional('parentId'));
  put('agent', optional('agent'));
  put('session', optional('session'));
  put('server', optional('server'));
  put('tool', optional('tool'));
  put('args', args === undefined || args === null ? undefined : (args as Record<string, unknown>));
  put('owasp', stringList('owasp'));
  put('latencyMs', latency === undefined || latency === null ? undefined : (latency as number));
  put('summary', optional('summary'));
  put('findings', stringList('findings'));
  put('severity', severity as AuditEvent['severity']);
  return canonicalOrder(event);
}

/** The event with its keys in AuditEvent's declaration order, so every read is the same JSON. */
function canonicalOrder(e: AuditEvent): AuditEvent {
  const order: (keyof AuditEvent)[] = ['id', 'time', 'parentId', 'agent', 'session', 'method', 'server', 'tool', 'args', 'decision', 'rule', 'reason', 'owasp', 'outcome', 'latencyMs', 'summary', 'findings', 'severity'];
  const out: Record<string, unknown> = {};
  for (const k of order) if (e[k] !== undefined) out[k] = e[k];
  return out as unknown as AuditEvent;
}
