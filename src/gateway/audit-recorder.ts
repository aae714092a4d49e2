// Turns what the session decided into AuditEvents and hands them to the sink (the SQLite store's
// spool, or a JSON Lines file); an event is committed when the sink's write returns. A refusal is
// committed before it is sent, and a call's record and its result's before the result reaches the
// client, so the log never misses an answer the model saw. Argument values are kept only after the
// secret detector has redacted them.
//
// Group commit under load: when events come close together (a commit less than BUSY_MS ago),
// those recorded in the same turn of the event loop are committed together, in one write, just
// before the loop moves on: 32 calls arriving together pay one write instead of 32. When the
// gateway is not busy, an event is committed at once, and the message it describes does not wait
// for a turn of the loop. A forwarded call's record waits (briefly) for its result's, so a quick
// call costs one write, made before its result goes back to the client.
import { uuid7 } from '../core/uuid7.js';
import { redactSecretsIn } from '../detect/secrets.js';
import { auditCopy } from '../store/audit-args.js';
import type { Decision } from '../policy/types.js';
import type { AuditEvent, AuditSink, DecisionType } from '../store/audit-event.js';

/** Thrown when the store cannot take an event and the gateway is set to fail closed. */
export class AuditUnavailable extends Error {}

/** allow→allow, deny→deny, redact→modify; monitor's would-have→audit. `ask` is mapped by its answer. */
export function decisionType(d: Decision): DecisionType {
  if (d.wouldHave) return 'audit';
  return d.effect === 'redact' ? 'modify' : d.effect === 'ask' ? 'deny' : d.effect;
}

/** A copy of `v` for the audit log (store/audit-args.ts), every string through the secret detectors. */
export function redactedCopy(v: unknown): Promise<unknown> {
  return auditCopy(v, redactSecretsIn);
}

export type EventInput = Omit<AuditEvent, 'id' | 'time' | 'server' | 'session' | 'agent'> & { time?: string };

/** Events closer together than this are grouped into one commit per turn of the event loop. */
const BUSY_MS = 0.2;
/** How long a forwarded call's record may wait for its result's, to share one commit. */
const DEFER_MS = 10;

interface Queued {
  event: AuditEvent;
  done: (err?: Error) => void;
}

export class AuditRecorder {
  #queue: Queued[] = [];
  #lastCommit = -Infinity;
  /** A flush is scheduled for the end of this turn of the event loop. */
  #scheduled = false;
  #deferTimer: NodeJS.Timeout | undefined;
  /** Why the last commit failed; cleared by the next one that succeeds. */
  failing: string | undefined;

  constructor(
    private readonly sink: AuditSink,
    private readonly base: { server: string; session: string },
    /** `deny`: a failed write refuses the message (fail closed); `allow`: it is reported and the message moves on. */
    private readonly onFailure: 'deny' | 'allow',
    private readonly warn: (line: string) => void,
  ) {}

  agent: string | undefined;

  /** True when messages must be refused because the store cannot take their records. */
  get refusing(): boolean {
    return this.failing !== undefined && this.onFailure === 'deny';
  }

  /**
   * Queues one event. `committed` resolves once it is durable, and rejects with AuditUnavailable
   * when the store failed and the gateway fails closed.
   *
   * `defer`: the event may wait (at most DEFER_MS) for the next one, to share its commit. A call
   * that is forwarded is recorded this way: its record and its result's go into the store in one
   * transaction, before the result goes back to the client; a call still running after DEFER_MS
   * is committed on its own.
   */
  record(e: EventInput, o: { defer?: boolean } = {}): { id: string; committed: Promise<void> } {
    const event: AuditEvent = {
      id: uuid7(),
      time: e.time ?? new Date().toISOString(),
      server: this.base.server,
      session: this.base.session,
      ...(this.agent ? { agent: this.agent } : {}),
      ...e,
    };
    const committed = new Promise<void>((resolve, reject) => {
      this.#queue.push({ event, done: (err) => (err ? reject(err) : resolve()) });
      if (o.defer) this.#deferTimer ??= setTimeout(() => this.flush(), DEFER_MS);
      else if (this.#scheduled) return;
      else if (performance.now() - this.#lastCommit < BUSY_MS) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      } else this.flush();
    });
    return { id: event.id, committed };
  }

  /** Commits whatever waits: at the end of a busy turn, after a deferral, or when the session closes. */
  flush(): void {
    this.#scheduled = false;
    clearTimeout(this.#deferTimer);
    this.#deferTimer = undefined;
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    this.#lastCommit = performance.now();
    let failure: Error | undefined;
    try {
      if (batch.length > 1 && this.sink.recordMany) this.sink.recordMany(batch.map((q) => q.event));
      else for (const q of batch) this.sink.record(q.event);
      this.failing = undefined;
    } catch (err) {
      const why = `the audit store could not record ${batch.length === 1 ? 'an event' : `${batch.length} events`}: ${(err as Error).message}`;
      this.failing = why;
      this.warn(why);
      if (this.onFailure === 'deny') failure = new AuditUnavailable(why);
    }
    for (const q of batch) q.done(failure);
  }

}
