// A hook's audit events, handed to the same store as the gateway's: one spool file per hook call
// in the store's spool folder (`~/.warden/audit.db.spool/hook-<id>.jsonl`), written under a
// temporary name and renamed, so a reader sees all of a call's events or none. The next
// `warden events`, gateway start or `warden serve` ingests and removes them (store/spool.ts); a
// hook never opens SQLite, which would cost it more than its whole decision.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactUrlsIn } from '../detect/redact.js';
import { mayHoldSecret } from '../detect/secret-trigger.js';
import { auditCopy } from '../store/audit-args.js';
import type { AuditEvent } from '../store/audit-event.js';
import { AUDIT_DB_FILE, spoolDirOf } from '../store/audit-paths.js';

/** Writes one call's events into the spool of the store in `wardenHome`; returns the file. */
export function writeHookEvents(events: readonly AuditEvent[], wardenHome: string): string {
  const dir = spoolDirOf(join(wardenHome, AUDIT_DB_FILE));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = `hook-${events[0]!.id}.jsonl`;
  const tmp = join(dir, `.${name}.tmp`);
  writeFileSync(tmp, events.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600, flag: 'wx' });
  const path = join(dir, name);
  renameSync(tmp, path);
  return path;
}

/**
 * Arguments as the audit log keeps them (store/audit-args.ts): secrets replaced by the full
 * detectors, loaded only when the cheap keyword pass says a credential could be there; otherwise
 * only URLs' credentials are masked.
 */
export async function redactArgs(args: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (!mayHoldSecret(JSON.stringify(args))) return (await auditCopy(args, redactUrlsIn)) as Record<string, unknown>;
  const { redactedCopy } = await import('../gateway/audit-recorder.js');
  return (await redactedCopy(args)) as Record<string, unknown>;
}
