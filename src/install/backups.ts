// The undo record of one config Warden edited: the bytes it had before, and a hash of the bytes
// Warden wrote, so that `warden uninstall` can tell "as Warden left it" (restore exactly) from
// "changed since" (do not clobber the user's edits). One JSON file per config, named by a hash
// of the config's path, under ~/.warden/backups/<client>/ (or $WARDEN_HOME): 0700 folders, 0600
// files, since a config can hold tokens and so does its copy.
import { chmodSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isObject } from '../core/json.js';
import { wardenHome } from '../core/warden-home.js';
import { writeFileAtomically } from '../inspect/atomic-file.js';
import { sha256 } from './config-file.js';

export interface BackupRecord {
  version: 1;
  client: string;
  /** The config's path as the catalogue names it (a symbolic link stays a link). */
  path: string;
  /** The file that was edited: `path` with links resolved. */
  target: string;
  time: string;
  originalBase64: string;
  originalSha256: string;
  writtenSha256: string;
}

export type LoadedBackup = { ok: true; record: BackupRecord; file: string } | { ok: false; file: string; reason: string } | null;

export function backupsDir(client: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(wardenHome(env), 'backups', client);
}

export function backupFile(client: string, configPath: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(backupsDir(client, env), `${sha256(configPath)}.json`);
}

/** The record for a config, null when there is none, or why it cannot be used. */
export function loadBackup(client: string, configPath: string, env: NodeJS.ProcessEnv = process.env): LoadedBackup {
  const file = backupFile(client, configPath, env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { ok: false, file, reason: `cannot read the backup record: ${(err as Error).message}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, file, reason: 'the backup record is not valid JSON' };
  }
  const r = data as Partial<BackupRecord>;
  const fields = ['client', 'path', 'target', 'time', 'originalBase64', 'originalSha256', 'writtenSha256'] as const;
  if (!isObject(data) || r.version !== 1 || fields.some((f) => typeof r[f] !== 'string') || r.path !== configPath) {
    return { ok: false, file, reason: 'the backup record is not one this version of Warden wrote' };
  }
  const record = data as unknown as BackupRecord;
  if (sha256(originalBytes(record)) !== record.originalSha256) return { ok: false, file, reason: 'the backup record is damaged (its bytes do not match their hash)' };
  return { ok: true, record, file };
}

export function originalBytes(record: BackupRecord): Buffer {
  return Buffer.from(record.originalBase64, 'base64');
}

export function makeRecord(client: string, path: string, target: string, original: Buffer, written: Buffer, now: Date): BackupRecord {
  return {
    version: 1,
    client,
    path,
    target,
    time: now.toISOString(),
    originalBase64: original.toString('base64'),
    originalSha256: sha256(original),
    writtenSha256: sha256(written),
  };
}

export function saveBackup(record: BackupRecord, env: NodeJS.ProcessEnv = process.env): string {
  const dir = backupsDir(record.client, env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Folders that existed already (made by an older run, or by hand) are tightened too: they are
  // Warden's own. WARDEN_HOME itself is left as the user made it.
  chmodSync(join(dir, '..'), 0o700);
  chmodSync(dir, 0o700);
  const file = backupFile(record.client, record.path, env);
  writeFileAtomically(file, JSON.stringify(record, null, 2) + '\n');
  return file;
}

export function deleteBackup(client: string, configPath: string, env: NodeJS.ProcessEnv = process.env): void {
  try {
    unlinkSync(backupFile(client, configPath, env));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
