// Turns what the session decided into AuditEvents and commits them. An event is committed before
// the message it describes moves on (a call before it reaches the server, a result before it
// reaches the client), so the log never misses something that happened. Argument values are kept
// only after the secret detector has redacted them.
//
// Group commit under load: when events come close together (a commit less than BUSY_MS ago),
// those recorded in the same turn of the event loop are committed together, in one transaction,
// just before the loop moves on: 32 calls arriving together pay one commit instead of 32 (each
// commit rewrites the table's and every index's last page, which is what costs, not the row).
// When the gateway is not busy, an event is committed at once, and the message it describes does
// not wait for a turn of the loop.
import { uuid7 } from '../core/uuid7.js';
import { redactSecretsIn, secretNameClass } from '../detect/secrets.js';
import type { Decision } from '../policy/types.js';
import type { AuditEvent, AuditSink, DecisionType } from '../store/audit-event.js';
import type { Json } from './messages.js';

/** Thrown when the store cannot take an event and the gateway is set to fail closed. */
export class AuditUnavailable extends Error {}

/** allow→allow, deny→deny, redact→modify; monitor's would-have→audit. `ask` is mapped by its answer. */
export function decisionType(d: Decision): DecisionType {
  if (d.wouldHave) return 'audit';
  return d.effect === 'redact' ? 'modify' : d.effect === 'ask' ? 'deny' : d.effect;
}

const MAX_DEPTH = 16;
const MAX_STRING = 4096;

/**
 * A copy of `v` with every string passed through the secret detector and long strings cut. A value
 * under a credential-like key (`password`, `apiKey`, `token`) is redacted whatever it looks like:
 * the audit log can afford to hide a weak password that format detection would let through.
 */
export async function redactedCopy(v: unknown, depth = 0): Promise<unknown> {
  if (typeof v === 'string') {
    const s = v.length > MAX_STRING ? `${v.slice(0, MAX_STRING)}…(${v.length} chars)` : v;
    return redactSecretsIn(s);
  }
  if (v === null || typeof v !== 'object') return v;
  if (depth >= MAX_DEPTH) return '…(nested deeper)';
  if (Array.isArray(v)) return Promise.all(v.slice(0, 1000).map((x) => redactedCopy(x, depth + 1)));
  const out: Json = {};
  // Nothing of a value under a credential name is kept: a prefix of a short password is most of it.
  for (const [k, x] of Object.entries(v).slice(0, 1000)) out[k] = typeof x === 'string' && x !== '' && secretNameClass(k) ? `[redacted: ${x.length} chars]` : await redactedCopy(x, depth + 1);
  return out;
}

export type EventInput = Omit<AuditEvent, 'id' | 'time' | 'server' | 'session' | 'agent'> & { time?: string };

/** Events closer together than this are grouped into one commit per turn of the event loop. */
const BUSY_MS = 0.2;

interface Queued {
  event: AuditEvent;
  done: (err?: Error) => void;
}

export class AuditRecorder {
  #queue: Queued[] = [];
  #lastCommit = -Infinity;

  constructor(
    private readonly sink: AuditSink,
    private readonly base: { server: string; session: string },
    /** `deny`: a failed write refuses the message (fail closed); `allow`: it is reported and the message moves on. */
    private readonly onFailure: 'deny' | 'allow',
    private readonly warn: (line: string) => void,
  ) {}

  agent: string | undefined;

  /**
   * Queues one event for this turn's commit. `committed` resolves once it is durable, and rejects
   * with AuditUnavailable when the store failed and the gateway fails closed. The commit runs
   * before the loop reads any more input, so even an event nobody awaits is in the store before
   * the answer to its request can arrive.
   */
  record(e: EventInput): { id: string; committed: Promise<void> } {
    const event: AuditEvent = {
      id: uuid7(),
      time: e.time ?? new Date().toISOString(),
      server: this.base.server,
      session: this.base.session,
      ...(this.agent ? { agent: this.agent } : {}),
      ...e,
    };
    const committed = new Promise<void>((resolve, reject) => {
      const queued: Queued = { event, done: (err) => (err ? reject(err) : resolve()) };
      if (this.#queue.length > 0) this.#queue.push(queued);
      else if (performance.now() - this.#lastCommit < BUSY_MS) {
        this.#queue.push(queued);
        setImmediate(() => this.#flush());
      } else {
        this.#queue.push(queued);
        this.#flush();
      }
    });
    return { id: event.id, committed };
  }

  #flush(): void {
    const batch = this.#queue;
    this.#queue = [];
    this.#lastCommit = performance.now();
    let failure: Error | undefined;
    try {
      if (batch.length > 1 && this.sink.recordMany) this.sink.recordMany(batch.map((q) => q.event));
      else for (const q of batch) this.sink.record(q.event);
    } catch (err) {
      const why = `the audit store could not record ${batch.length === 1 ? 'an event' : `${batch.length} events`}: ${(err as Error).message}`;
      this.warn(why);
      if (this.onFailure === 'deny') failure = new AuditUnavailable(why);
    }
    for (const q of batch) q.done(failure);
  }
}
