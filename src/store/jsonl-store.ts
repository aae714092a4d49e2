// The JSON Lines audit sink (`--audit-format jsonl`), and the one mapping from an AuditEvent to
// OpenTelemetry attribute names that both it and `warden events --format json` use, so the two
// never drift apart and a log shipper can forward either as OTel log records without a rename.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeFsError } from '../parse/text.js';
import type { AuditEvent, AuditSink } from './audit-event.js';
import { AuditStoreError } from './sqlite-store.js';

/**
 * Every AuditEvent field's name in a record: the OTel MCP and GenAI security conventions where
 * one exists, `warden.*` where none does. Typed over every key, so a field added to AuditEvent
 * does not compile until it has a name here.
 */
export const OTEL_NAMES: { readonly [K in keyof Required<AuditEvent>]: string } = {
  time: 'time',
  id: 'warden.event.id',
  parentId: 'warden.event.parent_id',
  agent: 'gen_ai.agent.name',
  session: 'mcp.session.id',
  method: 'mcp.method.name',
  server: 'warden.mcp.server.name',
  tool: 'gen_ai.tool.name',
  args: 'gen_ai.tool.call.arguments',
  decision: 'gen_ai.security.decision.type',
  rule: 'gen_ai.security.policy.id',
  reason: 'gen_ai.security.decision.reason',
  owasp: 'warden.owasp.ids',
  outcome: 'warden.outcome',
  latencyMs: 'warden.latency_ms',
  summary: 'warden.summary',
  findings: 'warden.findings',
  severity: 'warden.severity',
};

const FIELDS = Object.keys(OTEL_NAMES) as (keyof AuditEvent)[];

/** The event as a flat record with OTel names; absent fields are left out. */
export function toOtelRecord(event: AuditEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FIELDS) if (event[k] !== undefined) out[OTEL_NAMES[k]] = event[k];
  return out;
}

/** The inverse, for reading a JSONL audit file back (tests, imports into the SQLite store). */
export function fromOtelRecord(record: Record<string, unknown>): AuditEvent {
  const out: Record<string, unknown> = {};
  for (const k of FIELDS) if (record[OTEL_NAMES[k]] !== undefined) out[k] = record[OTEL_NAMES[k]];
  return out as unknown as AuditEvent;
}

/**
 * Appends one line per event. No fsync: `writeSync` returning means the kernel has the line, so
 * it survives the process being killed, as a WAL commit does; a power cut can lose the tail.
 */
/** Writes all of `bytes` (a write may take less than asked) in as few calls as the kernel allows. */
export function writeFully(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written);
}

export class JsonlAuditSink implements AuditSink {
  #fd: number | undefined;

  constructor(readonly path: string) {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // O_APPEND: each write lands at the end even with several gateways sharing the file.
      this.#fd = openSync(path, 'a', 0o600);
    } catch (err) {
      throw new AuditStoreError(path, `${path}: cannot open the audit log: ${describeFsError(err)}`);
    }
  }

  record(event: AuditEvent): void {
    if (this.#fd === undefined) throw new AuditStoreError(this.path, `${this.path}: cannot record the audit event: the log is closed`);
    // One write per line: concurrent appenders interleave whole lines, never halves.
    try {
      writeFully(this.#fd, Buffer.from(`${JSON.stringify(toOtelRecord(event))}\n`, 'utf8'));
    } catch (err) {
      throw new AuditStoreError(this.path, `${this.path}: cannot record the audit event: ${describeFsError(err)}`);
    }
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

export function openJsonlSink(file: string): JsonlAuditSink {
  return new JsonlAuditSink(resolve(file));
}
