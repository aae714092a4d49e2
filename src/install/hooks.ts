// `warden install --hooks AGENT` and `warden uninstall --hooks AGENT` as a library: the one file
// of an agent that holds its hooks at the chosen scope, Warden's entries added to it (or taken
// out), with the same guarantees as `warden install --client` (./install.ts): the edit is planned
// and proved before anything is written, the file is backed up first (~/.warden/backups/hooks-<agent>),
// replaced atomically with its mode kept, and uninstall restores it byte for byte when it is
// as Warden left it; when it changed since, only Warden's entries are taken out and the backup
// stays for `--force`. Unlike MCP configs, a hook file often does not exist yet: Warden then
// creates it (and the folders leading to it), and the undo deletes exactly what it created.
import { chmodSync, closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { OsName } from '../core/types.js';
import { resolveTemplate } from '../discover/paths.js';
import { ConfigParseError } from '../parse/document.js';
import { describeFsError } from '../parse/text.js';
import { deleteBackup, loadBackup, makeRecord, originalBytes, saveBackup, type BackupRecord } from './backups.js';
import { encodeConfig, readConfig, replaceConfig, type ConfigBytes } from './config-file.js';
import { planInstall, planRemoval, type HookEventOutcome, type HookPlan, type Original, type PlanTarget } from './hook-edits.js';
import type { HookAgent, HookScope } from './hook-entries.js';
import { RewriteError } from './rewrite.js';
import { unifiedDiff } from './unified-diff.js';
import type { Launcher } from './wrap.js';

export interface HookTarget extends PlanTarget {
  /** The home, project or system root the file belongs to; links out of it are not followed. */
  root: string;
}

export interface HookPlaces {
  home: string;
  project: string;
  /** Root of the machine for --managed (`/`, `C:\`, or a fake root in tests). */
  systemRoot: string;
  os: OsName;
  /** Where agent-folder variables (CODEX_HOME, COPILOT_HOME) are read; empty when another home was named. */
  dirEnv: NodeJS.ProcessEnv;
}

export type HookFileResult = 'written' | 'created' | 'unchanged' | 'would-write' | 'restored' | 'deleted' | 'removed-in-place' | 'absent' | 'refused';

export interface HookReport {
  path: string;
  scope: HookScope;
  result: HookFileResult;
  events: HookEventOutcome[];
  settings: string[];
  warnings: string[];
  note?: string;
  diff?: string;
  backup?: string;
}

export interface HookRequest {
  target: HookTarget;
  dryRun: boolean;
  /** Where WARDEN_HOME is read from (backups live under it). */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

/** A backup of a hook file; `created` when Warden made the file, with the folders it made for it. */
interface HookBackupRecord extends BackupRecord {
  created?: boolean;
  createdDirs?: string[];
}

/** The file that holds an agent's hooks at a scope. Throws UsageError when the agent has no such file. */
export function locateHookFile(agent: HookAgent, scope: HookScope, at: HookPlaces): HookTarget {
  const base = { agent, scope, os: at.os, format: 'json' as const };
  if (scope === 'user') {
    const fromEnv = agent.user.env ? at.dirEnv[agent.user.env] : undefined;
    if (fromEnv) return { ...base, path: join(resolve(fromEnv), agent.user.file), root: resolve(fromEnv) };
    return { ...base, path: join(at.home, agent.user.dir, agent.user.file), root: at.home };
  }
  if (scope === 'project') return { ...base, path: join(at.project, agent.project), root: at.project };
  if ('unsupported' in agent.managed) throw new UsageError(`--managed: ${agent.managed.unsupported}`);
  const template = (agent.managed as Partial<Record<OsName, string>>)[at.os];
  const path = template === undefined ? null : resolveTemplate(template, { os: at.os, home: at.home, systemRoot: at.systemRoot });
  if (path === null) throw new UsageError(`--managed: ${agent.name} has no machine-wide hook file on ${at.os}`);
  return { ...base, format: agent.managedFormat ?? 'json', path, root: at.systemRoot };
}

export function installHooks(req: HookRequest & { launcher: Launcher }): HookReport {
  const t = req.target;
  const read = readConfig(t.path, t.root);
  if (!read.ok && !read.missing) return refused(t, read.reason);
  const file = read.ok ? read.file : null;
  // A malformed file throws ConfigParseError from here (exit 2, nothing written).
  const plan = attempt(() => planInstall(t, file?.text ?? null, req.launcher));
  if ('error' in plan) return refused(t, plan.error);
  const base = reportOf(t, plan);
  if (!plan.changed) return { ...base, result: 'unchanged' };
  if (req.dryRun) return { ...base, result: 'would-write', diff: unifiedDiff(file?.text ?? '', plan.text, t.path), ...(file ? {} : { note: 'the file would be created' }) };
  return { ...base, ...(file ? writeEdited(req, file, encodeConfig(plan.text, file.bom)) : writeNew(req, plan.text)) };
}

export function uninstallHooks(req: HookRequest & { force: boolean }): HookReport {
  const t = req.target;
  const env = req.env ?? process.env;
  const read = readConfig(t.path, t.root);
  const prior = loadBackup(backupKey(t.agent), t.path, env);
  const none = { path: t.path, scope: t.scope, events: [], settings: [], warnings: [] };
  if (!read.ok) {
    if (!read.missing) return refused(t, read.reason);
    if (prior?.ok && createdBy(prior.record)) {
      // Warden created the file and someone deleted it since: the undo is done but for the record.
      if (!req.dryRun) {
        removeCreatedDirs(createdDirs(prior.record, t.path));
        deleteBackup(backupKey(t.agent), t.path, env);
      }
      return { ...none, result: 'absent', note: 'the file Warden created is already gone' };
    }
    const note = prior?.ok ? `no such file; Warden's backup of it from ${prior.record.time} stays at ${prior.file}` : 'no such file: nothing to undo';
    return { ...none, result: 'absent', note };
  }
  const file = read.file;
  if (prior && !prior.ok) return refused(t, `${prior.reason} (${prior.file}); not touching the file`);
  const record = prior?.record;
  if (record && record.target !== file.target) return refused(t, `now resolves to ${file.target}, not ${record.target} as when Warden edited it; backup kept at ${prior.file}`);
  const unchanged = record !== undefined && record.writtenSha256 === file.sha256;
  if (record && (unchanged || req.force)) return restore(req, file, record, unchanged);
  const keep = record ? `the backup from ${record.time} stays at ${prior.file}: --force restores it, discarding changes made since` : undefined;
  let plan: HookPlan | { error: string };
  try {
    plan = attempt(() => planRemoval(t, file.text, originalOf(record)));
  } catch (err) {
    if (err instanceof ConfigParseError && record) throw new ConfigParseError(err.file, err.line, err.column, `${err.reason} (uninstall --hooks --force restores Warden's backup of it from ${record.time})`);
    throw err;
  }
  if ('error' in plan) return refused(t, keep ? `${plan.error}; ${keep}` : plan.error);
  const base = reportOf(t, plan);
  if (!plan.changed) return { ...base, result: 'unchanged', note: keep ? `no Warden hooks here any more; ${keep}` : 'no Warden hooks here' };
  const note = keep
    ? `changed since Warden edited it (${record!.time}), so Warden's entries were taken out in place and those changes kept; ${keep}`
    : 'no backup of this file (Warden did not write it): Warden\'s entries were taken out in place';
  if (req.dryRun) return { ...base, result: 'would-write', note, diff: unifiedDiff(file.text, plan.text, t.path) };
  try {
    replaceConfig(file, encodeConfig(plan.text, file.bom));
  } catch (err) {
    return { ...base, result: 'refused', note: (err as Error).message };
  }
  return { ...base, result: 'removed-in-place', note };
}

/** Back to the bytes before Warden: the backup's, or no file at all when Warden created it. */
function restore(req: HookRequest, file: ConfigBytes, record: HookBackupRecord, unchanged: boolean): HookReport {
  const t = req.target;
  const env = req.env ?? process.env;
  let removal: HookPlan | null = null;
  try {
    removal = planRemoval(t, file.text, originalOf(record));
  } catch {
    // a file broken since is restored all the same; the report just cannot list its events
  }
  const base = { path: t.path, scope: t.scope, events: removal?.events ?? [], settings: removal?.settings ?? [], warnings: [] };
  const how = unchanged ? null : `--force: restored the state from ${record.time}; changes made since are gone`;
  if (createdBy(record)) {
    const note = how ?? 'Warden had created it';
    if (req.dryRun) return { ...base, result: 'would-write', note: `the file would be deleted (${note})`, diff: unifiedDiff(file.text, '', t.path) };
    try {
      if (!readFileSync(file.target).equals(file.bytes)) throw new Error(`${t.path} changed while Warden was working on it; nothing was deleted; run the command again`);
      unlinkSync(t.path);
    } catch (err) {
      return { ...base, result: 'refused', note: (err as Error).message };
    }
    removeCreatedDirs(createdDirs(record, t.path));
    deleteBackup(backupKey(t.agent), t.path, env);
    return { ...base, result: 'deleted', note };
  }
  const original = originalBytes(record);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(original);
  } catch {
    return { ...base, result: 'refused', note: 'the backup is not UTF-8 text; restore it by hand' };
  }
  const note = how ?? 'byte for byte';
  if (req.dryRun) return { ...base, result: 'would-write', note, diff: unifiedDiff(file.text, text.replace(/^\ufeff/, ''), t.path) };
  try {
    replaceConfig(file, original);
  } catch (err) {
    return { ...base, result: 'refused', note: (err as Error).message };
  }
  deleteBackup(backupKey(t.agent), t.path, env);
  return { ...base, result: 'restored', note };
}

/** Backup first, then the file; a failed write puts the previous backup back. */
function writeEdited(req: HookRequest, file: ConfigBytes, after: Buffer): Pick<HookReport, 'result' | 'note' | 'backup'> {
  const t = req.target;
  const env = req.env ?? process.env;
  const key = backupKey(t.agent);
  const prior = loadBackup(key, t.path, env);
  if (prior && !prior.ok) return { result: 'refused', note: `${prior.reason} (${prior.file}); move it away to continue` };
  const keep = withoutWarden(t, prior?.record, file);
  const record: HookBackupRecord = { ...makeRecord(key, t.path, file.target, keep.original, after, now(req)), ...(keep.createdDirs ? { created: true, createdDirs: keep.createdDirs } : {}) };
  let backup: string;
  try {
    backup = saveBackup(record, env);
  } catch (err) {
    return { result: 'refused', note: `cannot write the backup, so the file was not touched: ${(err as Error).message}` };
  }
  try {
    replaceConfig(file, after);
  } catch (err) {
    if (prior) saveBackup(prior.record, env);
    else deleteBackup(key, t.path, env);
    return { result: 'refused', note: (err as Error).message };
  }
  return { result: 'written', backup };
}

/**
 * What the backup keeps: the file as it was without Warden. The first time, the file itself.
 * When Warden wrote it before: the earlier backup's state if the file is still as Warden left it,
 * else (changed since) the file as it is now with Warden's entries taken out, so an undo keeps
 * those changes.
 */
function withoutWarden(t: HookTarget, prior: HookBackupRecord | undefined, file: ConfigBytes): { original: Buffer; createdDirs?: string[] } {
  if (!prior) return { original: file.bytes };
  if (prior.writtenSha256 === file.sha256) return { original: originalBytes(prior), ...(createdBy(prior) ? { createdDirs: createdDirs(prior, t.path) } : {}) };
  try {
    const back = planRemoval(t, file.text, originalOf(prior));
    return { original: back.changed ? encodeConfig(back.text, file.bom) : file.bytes };
  } catch {
    return { original: file.bytes };
  }
}

/** A new file (and the folders leading to it), with a backup that says so for the undo. */
function writeNew(req: HookRequest, text: string): Pick<HookReport, 'result' | 'note' | 'backup'> {
  const t = req.target;
  const env = req.env ?? process.env;
  const key = backupKey(t.agent);
  const place = newFilePlace(t.path, t.root);
  if ('reason' in place) return { result: 'refused', note: place.reason };
  const prior = loadBackup(key, t.path, env);
  if (prior && !prior.ok) return { result: 'refused', note: `${prior.reason} (${prior.file}); move it away to continue` };
  const bytes = Buffer.from(text, 'utf8');
  const record: HookBackupRecord = { ...makeRecord(key, t.path, place.target, Buffer.alloc(0), bytes, now(req)), created: true, createdDirs: place.missing };
  let backup: string;
  try {
    backup = saveBackup(record, env);
  } catch (err) {
    return { result: 'refused', note: `cannot write the backup, so nothing was created: ${(err as Error).message}` };
  }
  // Machine-wide files are read by every user's agent: readable by all (they hold a command line,
  // no secret). A user's or a project's own file is the user's alone.
  const shared = t.scope === 'managed';
  const made: string[] = [];
  try {
    for (const dir of place.missing) {
      mkdirSync(dir, { mode: shared ? 0o755 : 0o700 });
      made.push(dir);
      chmodSync(dir, shared ? 0o755 : 0o700);
    }
    createFile(t.path, text, shared ? 0o644 : 0o600);
  } catch (err) {
    removeCreatedDirs(made);
    if (prior) saveBackup(prior.record, env);
    else deleteBackup(key, t.path, env);
    return { result: 'refused', note: `cannot create it: ${describeFsError(err)}` };
  }
  return { result: 'created', backup };
}

/**
 * Where a file that does not exist yet may be created: the nearest existing folder above it must
 * resolve inside `root` (a project whose `.cursor` links elsewhere must not get a file written
 * there), and the folders missing below it are listed to be made.
 */
function newFilePlace(path: string, root: string): { target: string; missing: string[] } | { reason: string } {
  const missing: string[] = [];
  let dir = dirname(path);
  while (lstatSync(dir, { throwIfNoEntry: false }) === undefined) {
    missing.unshift(dir);
    const up = dirname(dir);
    if (up === dir) return { reason: 'no existing folder above it' };
    dir = up;
  }
  let realDir: string;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch (err) {
    return { reason: `${root}: ${describeFsError(err)}` };
  }
  try {
    realDir = realpathSync(dir);
  } catch (err) {
    return { reason: `${dir}: ${describeFsError(err)}` };
  }
  const inside = realDir === realRoot || realDir.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  if (!inside) return { reason: `${dir} resolves through a symbolic link to ${realDir}, outside ${root}; Warden does not create files outside the tree it was given` };
  if (!statSync(realDir).isDirectory()) return { reason: `${dir} is not a folder` };
  return { target: join(realDir, relative(dir, path)), missing };
}

/**
 * Writes a new file without ever replacing one: the content goes to a temporary file first (on
 * disk before it gets its name), then a hard link gives it its name, which fails if the name
 * appeared meanwhile. Where hard links are not supported, a rename after a last check.
 */
function createFile(path: string, text: string, mode: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text, null, 'utf8');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(tmp, mode);
    try {
      linkSync(tmp, path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw Object.assign(new Error(`${path} appeared while Warden was working; nothing was written to it; run the command again`), { code: 'EEXIST' });
      if (lstatSync(path, { throwIfNoEntry: false }) !== undefined) throw err;
      renameSync(tmp, path);
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // renamed into place, or never created
    }
  }
}

/** Folders Warden made for a file, deepest first, each only if empty now. */
function removeCreatedDirs(dirs: readonly string[]): void {
  for (const dir of [...dirs].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}

function createdBy(record: HookBackupRecord): boolean {
  return record.created === true && record.originalBase64 === '';
}

/** The folders a backup says Warden made: only ancestors of the file (a tampered record must not name others). */
function createdDirs(record: HookBackupRecord, path: string): string[] {
  const dirs = record.createdDirs;
  if (!Array.isArray(dirs)) return [];
  return dirs.filter((d): d is string => typeof d === 'string' && path.startsWith(d.endsWith(sep) ? d : d + sep));
}

function originalOf(record: HookBackupRecord | undefined): Original {
  if (!record) return undefined;
  if (createdBy(record)) return { text: null };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(originalBytes(record)).replace(/^\ufeff/, '') };
  } catch {
    return undefined;
  }
}

function backupKey(agent: HookAgent): string {
  return `hooks-${agent.id}`;
}

function now(req: HookRequest): Date {
  return (req.now ?? (() => new Date()))();
}

function reportOf(t: HookTarget, plan: HookPlan): Omit<HookReport, 'result'> {
  return { path: t.path, scope: t.scope, events: plan.events, settings: plan.settings, warnings: plan.warnings };
}

function refused(t: HookTarget, note: string): HookReport {
  return { path: t.path, scope: t.scope, result: 'refused', events: [], settings: [], warnings: [], note };
}

/** A planning step's result, or its error as a note; malformed files are thrown on (exit 2). */
function attempt<T>(f: () => T): T | { error: string } {
  try {
    return f();
  } catch (err) {
    if (err instanceof RewriteError) return { error: err.message };
    throw err;
  }
}
