// The gateway's write-ahead spool in front of the SQLite store. An event is acknowledged once its
// line is appended to this process's spool file (one write(2): the kernel has it, so it survives the
// process being killed, the same guarantee a WAL commit with synchronous=NORMAL gives, at a tenth
// of the cost on the message's path). The spool is moved into SQLite in one transaction when the
// gateway pauses (or every INGEST_EVERY events under load), then emptied. A spool left behind by a
// process that died is ingested by the next gateway or `warden events` to open the store; ids
// make a second ingestion of the same line harmless.
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describeFsError } from '../parse/text.js';
import type { AuditEvent, AuditSink } from './audit-event.js';
import { writeFully } from './jsonl-store.js';
import { spoolDirOf } from './audit-paths.js';
import { AuditStoreError, type SqliteAuditStore } from './sqlite-store.js';

/** Events held before they are ingested even without a pause: one large transaction now and then
 * (about 25 ms for 2,000 rows) delays one call in 1,000; smaller, more frequent ones would touch
 * more than 1% of calls (the p99). */
const INGEST_EVERY = 2000;
/** A pause this long moves the spool into the store. */
const INGEST_IDLE_MS = 100;
/** A spool larger than this (a corrupt or foreign file) is left for a person to look at. */
const MAX_SPOOL_BYTES = 256 * 1024 * 1024;

/** The spool folder of a store (audit-paths.ts). */
export function spoolDir(store: SqliteAuditStore): string {
  return spoolDirOf(store.path);
}

export class SpooledSink implements AuditSink {
  readonly path: string;
  #fd: number | undefined;
  /**
   * How many events the spool holds that the store does not have yet. Not the events themselves:
   * thousands of objects kept alive until ingestion would be promoted to V8's old generation and
   * cost full garbage collections on the message path; the file has them.
   */
  #pending = 0;
  readonly #idle: NodeJS.Timeout;

  constructor(
    private readonly store: SqliteAuditStore,
    private readonly warn: (line: string) => void = () => {},
  ) {
    const dir = spoolDir(store);
    this.path = join(dir, `${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.#fd = openSync(this.path, 'a', 0o600);
    } catch (err) {
      throw new AuditStoreError(this.path, `${this.path}: cannot open the audit spool: ${describeFsError(err)}`);
    }
    this.#idle = setTimeout(() => this.ingest(), INGEST_IDLE_MS);
    this.#idle.unref();
  }

  record(event: AuditEvent): void {
    this.recordMany([event]);
  }

  /** Appends the events in one write; returns once the kernel has them. Throws when it does not. */
  recordMany(events: readonly AuditEvent[]): void {
    if (this.#fd === undefined) throw new AuditStoreError(this.path, `${this.path}: cannot record the audit event: the spool is closed`);
    const bytes = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
    try {
      writeFully(this.#fd, bytes);
    } catch (err) {
      throw new AuditStoreError(this.path, `${this.path}: cannot record the audit event: ${describeFsError(err)}`);
    }
    this.#pending += events.length;
    if (this.#pending >= INGEST_EVERY) this.ingest();
    else this.#idle.refresh();
  }

  /** Moves what is spooled into the store and empties the spool. A store that fails keeps the spool (nothing is lost). */
  ingest(): void {
    if (this.#pending === 0 || this.#fd === undefined) return;
    try {
      this.store.ingest(readSpool(readFileSync(this.path, 'utf8')).events);
    } catch (err) {
      this.warn(`the audit store did not take ${this.#pending} spooled events (kept in ${this.path}): ${(err as Error).message}`);
      this.#idle.refresh();
      return;
    }
    this.#pending = 0;
    ftruncateSync(this.#fd, 0);
    // The pages of a large ingest are not needed again soon: a long-lived gateway gives them back (about 13 MB).
    this.store.db.pragma('shrink_memory');
  }

  close(): void {
    clearTimeout(this.#idle);
    this.ingest();
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
    // Emptied: nothing to leave behind. Not emptied (the store failed): kept for the next start.
    if (this.#pending === 0) unlinkSync(this.path);
    this.store.close();
  }
}

/** The events of a spool's complete lines; a torn last line (a writer killed mid-write) is left out. */
function readSpool(text: string): { events: AuditEvent[]; skipped: number } {
  const events: AuditEvent[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  for (const line of lines.slice(0, -1)) {
    try {
      const e = JSON.parse(line) as AuditEvent;
      if (typeof e?.id === 'string') events.push(e);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { events, skipped };
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Ingests the spools of `store` other than `own`: those of processes that are gone (then deleted),
 * and, with `live`, also those of running gateways (left in place; their owner empties them), so a
 * reader sees events still on their way in. A torn last line (a writer killed mid-write) is skipped.
 */
export function recoverSpools(store: SqliteAuditStore, o: { own?: string; live?: boolean; warn?: (line: string) => void } = {}): number {
  const dir = spoolDir(store);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return 0;
  }
  let count = 0;
  for (const name of names) {
    const path = join(dir, name);
    if (path === o.own) continue;
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    const alive = Number.isSafeInteger(pid) && pid !== process.pid && isAlive(pid);
    if (alive && !o.live) continue;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    if (text.length > MAX_SPOOL_BYTES) {
      o.warn?.(`${path}: over ${MAX_SPOOL_BYTES} bytes; not ingested`);
      continue;
    }
    const { events, skipped } = readSpool(text);
    if (skipped > 0) o.warn?.(`${path}: ${skipped} line(s) that are not audit events were skipped`);
    try {
      if (events.length > 0) store.ingest(events);
    } catch (err) {
      o.warn?.(`${path}: not ingested: ${(err as Error).message}`);
      continue;
    }
    count += events.length;
    if (!alive) unlinkSync(path);
  }
  return count;
}
