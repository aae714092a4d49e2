// The ingest batch check and the query-string parser of the control plane, without a server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatchError, MAX_EVENTS_PER_BATCH, isoTimeMs, validateEventBatch } from '../../src/server/event-validation.js';
import { parseEventQuery } from '../../src/server/events-routes.js';
import { HttpError } from '../../src/server/http-error.js';

const good = { id: 'e1', time: '2026-05-01T12:00:00.123Z', method: 'tools/call', decision: 'deny', rule: 'r', reason: 'why', outcome: 'blocked' };

describe('validateEventBatch', () => {
  it('keeps the declared fields in declaration order and drops the rest', () => {
    const [e] = validateEventBatch({ events: [{ extra: 'x', host: 'spoofed', ...good, tool: 't', args: { a: 1 }, latencyMs: 0, owasp: ['ASI02'] }] });
    assert.deepEqual(Object.keys(e!), ['id', 'time', 'method', 'tool', 'args', 'decision', 'rule', 'reason', 'owasp', 'outcome', 'latencyMs']);
    assert.equal((e as unknown as Record<string, unknown>)['host'], undefined);
  });

  it('names the index and the field of the first bad event', () => {
    const cases: [unknown, number, RegExp][] = [
      [null, 400, /expected a JSON object/],
      [{ events: {} }, 400, /^events: expected an array/],
      [{ events: [good, { ...good, decision: 'ask' }] }, 400, /^events\[1\]\.decision: expected one of allow, deny, modify, audit$/],
      [{ events: [{ ...good, time: '2026-02-30T00:00:00Z' }] }, 400, /^events\[0\]\.time: /],
      [{ events: [{ ...good, time: '1 May 2026' }] }, 400, /^events\[0\]\.time: /],
      [{ events: [{ ...good, latencyMs: Number.NaN }] }, 400, /^events\[0\]\.latencyMs: /],
      [{ events: [{ ...good, latencyMs: -1 }] }, 400, /^events\[0\]\.latencyMs: /],
      [{ events: [{ ...good, args: [1] }] }, 400, /^events\[0\]\.args: expected an object/],
      [{ events: [{ ...good, id: 'x'.repeat(201) }] }, 400, /^events\[0\]\.id: /],
      [{ events: [{ ...good, id: 'a\nb' }] }, 400, /^events\[0\]\.id: /],
      [{ events: Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => good) }, 413, /5001 events in one batch; at most 5000/],
    ];
    for (const [body, status, message] of cases) {
      assert.throws(() => validateEventBatch(body), (err: unknown) => err instanceof BatchError && err.status === status && message.test(err.message), JSON.stringify(body).slice(0, 80));
    }
  });

  it('reads ISO times with a zone only', () => {
    assert.equal(isoTimeMs('2026-05-01T12:00:00+02:00'), Date.UTC(2026, 4, 1, 10));
    assert.equal(isoTimeMs('2026-05-01T12:00Z'), Date.UTC(2026, 4, 1, 12));
    assert.ok(Number.isNaN(isoTimeMs('2026-05-01T12:00:00')));
    assert.ok(Number.isNaN(isoTimeMs('2026-05-01')));
  });
});

describe('parseEventQuery', () => {
  it('converts the parameters, with a default page size', () => {
    assert.deepEqual(parseEventQuery({}), { limit: 100 });
    assert.deepEqual(parseEventQuery({ limit: '5', since: '2026-05-01T00:00:00Z', decision: 'deny', order: 'asc', text: "' OR 1=1" }), { limit: 5, since: Date.UTC(2026, 4, 1), decision: 'deny', order: 'asc', text: "' OR 1=1" });
  });

  it('refuses unknown, repeated, empty and overlong parameters, naming them', () => {
    for (const [q, name] of [[{ bogus: '1' }, 'bogus'], [{ agent: ['a', 'b'] }, 'agent'], [{ tool: '' }, 'tool'], [{ text: 'x'.repeat(4097) }, 'text'], [{ limit: '-1' }, 'limit'], [{ until: 'now' }, 'until']] as const) {
      assert.throws(() => parseEventQuery(q as Record<string, unknown>), (err: unknown) => err instanceof HttpError && err.statusCode === 400 && err.message.startsWith(`${name}: `));
    }
  });
});
