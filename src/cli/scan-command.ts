// `warden scan`: turns command-line options into scan targets, runs the scan, renders the result.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { OsName, ScanWarning, Severity } from '../core/types.js';
import { ALL_OS } from '../core/types.js';
import type { ScanResult } from '../core/result.js';
import { listLocations, type HomeTarget } from '../discover/discover.js';
import { currentOs, listWslHomes, wslDistributions } from '../discover/paths.js';
import { failsGate, scan } from '../scan/scan.js';
import { buildIgnore } from '../scan/ignore.js';
import { loadAllowlist } from '../scan/allowlist.js';
import { UsageError } from '../core/errors.js';
import { writeOutput } from './output.js';
import { emitResult, type ReportFormat } from './report.js';
import { connectSettings, inspectWithConsent, lockTargets, type ConnectCliOptions } from './connect.js';
import { driftAgainstLockfiles } from '../inspect/pins.js';
import { judgeSettings, type JudgeCliOptions } from './judge-options.js';


export interface ScanCliOptions extends ConnectCliOptions, JudgeCliOptions {
  format?: ReportFormat;
  output?: string;
  failOn?: Severity;
  home?: string;
  os?: string;
  systemRoot?: string;
  exclude: string[];
  allowlist?: string;
  walkHome: boolean;
  inlineSuppressions: boolean;
  listLocations?: boolean;
  quiet?: boolean;
  color: boolean;
}

const OS_ALIASES: Record<string, OsName> = { linux: 'linux', macos: 'macos', mac: 'macos', darwin: 'macos', osx: 'macos', windows: 'windows', win: 'windows', win32: 'windows' };

export function parseOsList(value: string): OsName[] {
  const out: OsName[] = [];
  for (const raw of value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const os = OS_ALIASES[raw];
    if (!os) throw new UsageError(`--os: unknown operating system "${raw}" (expected linux, macos or windows)`);
    if (!out.includes(os)) out.push(os);
  }
  if (out.length === 0) throw new UsageError('--os: give at least one of linux, macos, windows');
  return out;
}

function requireDir(option: string, path: string): string {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new UsageError(`${option} ${path}: no such directory`);
  }
  if (!st.isDirectory()) throw new UsageError(`${option} ${path}: not a directory`);
  return abs;
}

/** Which homes, OS layouts and project trees a command line means. */
export function resolveTargets(paths: string[], o: ScanCliOptions): { homes: HomeTarget[]; projects: string[]; systemRoot: string | null } {
  if (o.os && !o.home) throw new UsageError('--os only applies with --home (the real home is probed with this machine\'s layout)');
  const projects = paths.map((p) => requireDir('path', p));
  if (o.home) {
    const home = requireDir('--home', o.home);
    return {
      homes: [{ path: home, os: o.os ? parseOsList(o.os) : [...ALL_OS] }],
      projects,
      systemRoot: o.systemRoot ? requireDir('--system-root', o.systemRoot) : null,
    };
  }
  if (paths.length > 0) return { homes: [], projects, systemRoot: o.systemRoot ? requireDir('--system-root', o.systemRoot) : null };
  const os = currentOs();
  const homes: HomeTarget[] = [{ path: homedir(), os: [os] }];
  // On Windows, Linux homes inside WSL hold their own agent configs.
  if (os === 'windows') {
    const root = '\\\\wsl.localhost';
    const listed = listWslHomes(root);
    for (const h of listed.length ? listed : listWslHomes(root, wslDistributions())) homes.push({ path: h, os: ['linux'] });
  }
  const systemRoot = o.systemRoot ? requireDir('--system-root', o.systemRoot) : os === 'windows' ? (process.env.SystemDrive ?? 'C:') + '\\' : '/';
  return { homes, projects: [process.cwd()], systemRoot };
}

export async function runScan(paths: string[], o: ScanCliOptions): Promise<number> {
  const targets = resolveTargets(paths, o);
  if (o.listLocations) {
    const rows = listLocations(targets.homes.length ? targets.homes : [{ path: '<home>', os: ALL_OS }], targets.systemRoot ?? '<system-root>');
    const text = rows.map((r) => `${r.client}\t${r.scope}\t${r.os}\t${r.kind}\t${r.path}`).join('\n') + '\n';
    writeOutput(o.output, text);
    return 0;
  }
  const allowlist = o.allowlist ? loadAllowlist(resolve(o.allowlist)) : undefined;
  const format: ReportFormat = o.format ?? 'table';
  const early: ScanWarning[] = [];
  const isIgnored = buildIgnore([...targets.projects, ...targets.homes.map((h) => h.path)], o.exclude, early);
  const progress = process.stderr.isTTY && !o.quiet ? new Progress() : undefined;
  const connect = o.connect !== undefined ? connectSettings(o) : undefined;
  if (o.judge !== undefined && !connect) throw new UsageError('--judge needs --connect (or use `warden tools FILE --judge URL`)');
  const judge = judgeSettings(o);
  const locks = lockTargets(o, targets, Boolean(o.home));
  let result: ScanResult;
  try {
    result = await scan({
      ...targets,
      walkHomes: o.walkHome,
      inlineSuppressions: o.inlineSuppressions,
      followKnownProjects: o.walkHome && !o.home && paths.length === 0,
      ...(isIgnored ? { isIgnored } : {}),
      ...(allowlist ? { allowlist } : {}),
      ...(progress ? { onProgress: (n: number) => progress.update(n) } : {}),
      ...(connect
        ? {
            connect: {
              inspect: async (decls) => {
                progress?.done();
                return inspectWithConsent(decls, connect);
              },
              drift: (inspections, decls, warnings) => driftAgainstLockfiles(inspections, decls, locks, warnings),
              ...(judge ? { secondOpinion: judge } : {}),
            },
          }
        : {}),
    });
  } finally {
    progress?.done();
  }
  result.warnings.unshift(...early);

  emitResult(result, format, o);
  return o.failOn && failsGate(result, o.failOn) ? 1 : 0;
}

class Progress {
  private last = 0;
  update(files: number) {
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    process.stderr.write(`\rscanning… ${files.toLocaleString('en')} files`);
  }
  done() {
    if (this.last) process.stderr.write('\r\x1b[K');
  }
}
