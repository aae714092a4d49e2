// `warden install` and `warden uninstall` for one client, as a library: find its config files,
// plan every edit first (a malformed file stops everything before a byte is written), then for
// each file keep a backup, replace it atomically, and report per server what happened.
//
// The undo contract. A backup holds the config as it was without Warden. Uninstall restores it
// byte for byte when the file is exactly as Warden left it. When it changed since (the user or
// the client saved it: Claude Code rewrites ~/.claude.json all the time), restoring would throw
// those changes away, so by default each routed server is unrouted in place instead and the
// backup is kept; `--force` restores the backup anyway.
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Scope } from '../core/types.js';
import type { HomeTarget } from '../discover/discover.js';
import type { ClientSpec } from '../discover/spec.js';
import { ConfigParseError } from '../parse/document.js';
import { deleteBackup, loadBackup, makeRecord, originalBytes, saveBackup, type BackupRecord } from './backups.js';
import { encodeConfig, readConfig, replaceConfig, type ConfigBytes } from './config-file.js';
import { locateConfigs, type ConfigTarget } from './locate.js';
import { RewriteError, routeServers, unrouteServers, type ConfigText, type ServerOutcome } from './rewrite.js';
import { unifiedDiff } from './unified-diff.js';
import type { GatewayChoice, Launcher } from './wrap.js';

export interface Targets {
  client: ClientSpec;
  homes: readonly HomeTarget[];
  projects: readonly string[];
  dryRun: boolean;
  /** Where WARDEN_HOME is read from (backups live under it). */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export interface InstallRequest extends Targets {
  launcher: Launcher;
  choice: GatewayChoice;
}

export interface UninstallRequest extends Targets {
  /** Restore the backup even when the config changed since Warden wrote it. */
  force: boolean;
}

export type FileResult =
  | 'written'
  | 'unchanged'
  | 'would-write'
  | 'restored'
  | 'unrouted-in-place'
  | 'refused';

export interface FileReport {
  path: string;
  scope: Scope;
  result: FileResult;
  servers: ServerOutcome[];
  /** Why the file was refused, or what the user should know about what was done. */
  note?: string;
  /** --dry-run: what would change. */
  diff?: string;
  backup?: string;
}

export interface Report {
  files: FileReport[];
  /** Locations looked at, for the message when no config exists. */
  probed: string[];
}

interface Loaded {
  target: ConfigTarget;
  file: ConfigBytes;
  cfg: ConfigText;
}

export function install(req: InstallRequest): Report {
  const { files, loaded, probed } = load(req);
  // Plan every file before writing any: a malformed one (ConfigParseError) stops the command here.
  const plans = loaded.map((l) => ({ l, plan: attempt(() => routeServers(l.cfg, req.launcher, req.choice)) }));
  for (const { l, plan } of plans) {
    const base = { path: l.target.path, scope: l.target.scope };
    if ('error' in plan) {
      files.push({ ...base, result: 'refused', servers: [], note: plan.error });
      continue;
    }
    const servers = plan.servers.map(markStale);
    if (plan.changed === 0) {
      files.push({ ...base, result: 'unchanged', servers });
      continue;
    }
    if (req.dryRun) {
      files.push({ ...base, result: 'would-write', servers, diff: unifiedDiff(l.file.text, plan.text, l.target.path) });
      continue;
    }
    files.push({ ...base, servers, ...writeRouted(req, l, encodeConfig(plan.text, l.file.bom)) });
  }
  return { files, probed };
}

/** Backup first, then the config; a failed write puts the previous backup back. */
function writeRouted(req: InstallRequest, l: Loaded, after: Buffer): Pick<FileReport, 'result' | 'note' | 'backup'> {
  const env = req.env ?? process.env;
  const prior = loadBackup(req.client.id, l.target.path, env);
  if (prior && !prior.ok) return { result: 'refused', note: `${prior.reason} (${prior.file}); move it away to continue` };
  const record = makeRecord(req.client.id, l.target.path, l.file.target, withoutWarden(prior?.record, l), after, (req.now ?? (() => new Date()))());
  let backup: string;
  try {
    backup = saveBackup(record, env);
  } catch (err) {
    return { result: 'refused', note: `cannot write the backup, so the config was not touched: ${(err as Error).message}` };
  }
  try {
    replaceConfig(l.file, after);
  } catch (err) {
    if (prior) saveBackup(prior.record, env);
    else deleteBackup(req.client.id, l.target.path, env);
    return { result: 'refused', note: (err as Error).message };
  }
  return { result: 'written', backup };
}

/**
 * The bytes the backup keeps: the file as it was without Warden. On the first install that is
 * the file itself. When Warden edited it before: the earlier backup if the file is still as
 * Warden left it, else (the user or client changed it since) the file as it is now with the
 * earlier routing taken out, so an undo keeps their changes.
 */
function withoutWarden(prior: BackupRecord | undefined, l: Loaded): Buffer {
  if (!prior) return l.file.bytes;
  if (prior.writtenSha256 === l.file.sha256) return originalBytes(prior);
  try {
    const back = unrouteServers(l.cfg);
    return back.changed > 0 ? encodeConfig(back.text, l.file.bom) : l.file.bytes;
  } catch {
    return l.file.bytes;
  }
}

export function uninstall(req: UninstallRequest): Report {
  const env = req.env ?? process.env;
  const { files, loaded, probed } = load(req, true);
  // Decide for every file before writing any, as install does: a malformed config that would
  // have to be unrouted in place stops the command before anything changes.
  const steps = loaded.map((l) => planUndo(req, l, env));
  for (const step of steps) {
    const base = { path: step.l.target.path, scope: step.l.target.scope };
    if (step.kind === 'report') files.push({ ...base, ...step.report });
    else if (step.kind === 'restore') files.push({ ...base, ...restore(req, step.l, step.record, step.unchanged) });
    else if (req.dryRun) files.push({ ...base, result: 'would-write', servers: step.servers, note: step.note, diff: unifiedDiff(step.l.file.text, step.text, step.l.target.path) });
    else {
      try {
        replaceConfig(step.l.file, encodeConfig(step.text, step.l.file.bom));
        files.push({ ...base, result: 'unrouted-in-place', servers: step.servers, note: step.note });
      } catch (err) {
        files.push({ ...base, result: 'refused', servers: step.servers, note: (err as Error).message });
      }
    }
  }
  return { files, probed };
}

type UndoStep = { l: Loaded } & (
  | { kind: 'report'; report: Omit<FileReport, 'path' | 'scope'> }
  | { kind: 'restore'; record: BackupRecord; unchanged: boolean }
  | { kind: 'unroute'; text: string; servers: ServerOutcome[]; note: string }
);

function planUndo(req: UninstallRequest, l: Loaded, env: NodeJS.ProcessEnv): UndoStep {
  const prior = loadBackup(req.client.id, l.target.path, env);
  if (prior && !prior.ok) return { l, kind: 'report', report: { result: 'refused', servers: [], note: `${prior.reason} (${prior.file}); not touching the config` } };
  const record = prior?.record;
  if (record && record.target !== l.file.target) {
    return { l, kind: 'report', report: { result: 'refused', servers: [], note: `now resolves to ${l.file.target}, not ${record.target} as when Warden edited it; backup kept at ${prior.file}` } };
  }
  const unchanged = record !== undefined && record.writtenSha256 === l.file.sha256;
  if (record && (unchanged || req.force)) return { l, kind: 'restore', record, unchanged };
  const keep = record ? `the backup from ${record.time} stays at ${prior.file}: --force restores it, discarding changes made since` : undefined;
  let plan;
  try {
    plan = unrouteServers(l.cfg);
  } catch (err) {
    if (err instanceof ConfigParseError && record) throw new ConfigParseError(err.file, err.line, err.column, `${err.reason} (uninstall --force restores Warden's backup of it from ${record.time})`);
    if (err instanceof RewriteError) return { l, kind: 'report', report: { result: 'refused', servers: [], note: keep ? `${err.message}; ${keep}` : err.message } };
    throw err;
  }
  if (plan.changed === 0) {
    const left = plan.servers.some((s) => s.status === 'left-routed');
    const note = keep && !left ? `nothing is routed through Warden any more; ${keep}` : keep;
    return { l, kind: 'report', report: { result: left ? 'refused' : 'unchanged', servers: plan.servers, ...(note ? { note } : {}) } };
  }
  const note = keep ? `changed since Warden edited it (${record!.time}), so the servers were unrouted in place and those changes kept; ${keep}` : 'no backup of this file (Warden did not write it): the servers were unrouted in place';
  return { l, kind: 'unroute', text: plan.text, servers: plan.servers, note };
}

function restore(req: UninstallRequest, l: Loaded, record: BackupRecord, unchanged: boolean): Pick<FileReport, 'result' | 'servers' | 'note' | 'diff'> {
  const original = originalBytes(record);
  // Which servers go back, for the report; a file the user broke since is restored all the same.
  const servers = attemptServers(() => unrouteServers(l.cfg).servers);
  const note = unchanged ? 'byte for byte' : `--force: restored the backup from ${record.time}; changes made since are gone`;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(original);
  } catch {
    return { result: 'refused', servers, note: 'the backup is not UTF-8 text; restore it by hand' };
  }
  if (req.dryRun) return { result: 'would-write', servers, note, diff: unifiedDiff(l.file.text, text.replace(/^\ufeff/, ''), l.target.path) };
  try {
    replaceConfig(l.file, original);
  } catch (err) {
    return { result: 'refused', servers, note: (err as Error).message };
  }
  deleteBackup(req.client.id, l.target.path, req.env ?? process.env);
  return { result: 'restored', servers, note };
}

/** Every config of the client, read; files that cannot be read are reported, not skipped silently. */
function load(req: Targets, quietMissing = false): { files: FileReport[]; loaded: Loaded[]; probed: string[] } {
  const { targets, probed } = locateConfigs(req.client, req.homes, req.projects);
  const files: FileReport[] = [];
  const loaded: Loaded[] = [];
  for (const target of targets) {
    const read = readConfig(target.path, target.root);
    if (!read.ok) {
      if (!(read.missing && quietMissing)) files.push({ path: target.path, scope: target.scope, result: 'refused', servers: [], note: read.reason });
      continue;
    }
    const cfg: ConfigText = { path: target.path, format: target.spec.format, text: read.file.text, shape: target.spec.servers, client: req.client.id, scope: target.scope };
    loaded.push({ target, file: read.file, cfg });
  }
  return { files, loaded, probed };
}

/** A planning step's result, or its error as a note; malformed configs are thrown on (exit 2). */
function attempt<T>(f: () => T): T | { error: string } {
  try {
    return f();
  } catch (err) {
    if (err instanceof ConfigParseError) throw err;
    if (err instanceof RewriteError) return { error: err.message };
    throw err;
  }
}

function attemptServers(f: () => ServerOutcome[]): ServerOutcome[] {
  try {
    return f();
  } catch {
    return [];
  }
}

/** An already-routed server whose Warden is gone would not start: say so. */
function markStale(s: ServerOutcome): ServerOutcome {
  const gone = s.launcher?.find((p) => isAbsolute(p) && !existsSync(p));
  return gone ? { ...s, reason: `through ${gone}, which no longer exists: run \`warden uninstall\` then \`warden install\` again` } : s;
}
