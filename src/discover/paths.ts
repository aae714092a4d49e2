// Resolving the catalogue's path templates for one home on one operating system, and finding
// the homes to scan (the user's, or Linux homes inside WSL when Warden runs on Windows).
import { join, posix } from 'node:path';
import { readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { OsName } from '../core/types.js';

export interface PathContext {
  os: OsName;
  home: string;
  /** Root of the machine for managed (system-wide) configs; null when they must not be probed. */
  systemRoot: string | null;
}

const APP_DATA: Record<OsName, string[]> = {
  linux: ['.config'],
  macos: ['Library', 'Application Support'],
  windows: ['AppData', 'Roaming'],
};

/** Returns the absolute path for a template, or null when the template does not apply here. */
export function resolveTemplate(template: string, ctx: PathContext): string | null {
  let unavailable = false;
  const out = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    switch (name) {
      case 'home':
        return ctx.home;
      case 'userData':
        return join(ctx.home, ...APP_DATA[ctx.os]);
      case 'xdgConfig':
        return ctx.os === 'windows' ? join(ctx.home, 'AppData', 'Roaming') : join(ctx.home, '.config');
      case 'localAppData':
        if (ctx.os !== 'windows') unavailable = true;
        return join(ctx.home, 'AppData', 'Local');
      case 'system':
        if (ctx.systemRoot === null) unavailable = true;
        return ctx.systemRoot ?? '';
      default:
        throw new Error(`unknown path variable {${name}} in catalogue template ${template}`);
    }
  });
  return unavailable ? null : join(out);
}

export function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/** Splits a resolved path at its first glob segment: a directory to start from and a pattern below it. */
export function splitGlob(path: string): { base: string; pattern: string } {
  const parts = path.split(/[\\/]/);
  const i = parts.findIndex((p) => hasGlob(p));
  if (i === -1) return { base: path, pattern: '' };
  return { base: parts.slice(0, i).join('/') || '/', pattern: parts.slice(i).join(posix.sep) };
}

/** The OS Warden is running on, in catalogue terms. */
export function currentOs(platform: NodeJS.Platform = process.platform): OsName {
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  return 'linux';
}

/**
 * Linux homes inside WSL distributions, seen from Windows at \\wsl.localhost\<distro>\home\<user>.
 * `wslRoot` is a parameter so the enumeration can be tested on any OS with a folder laid out the
 * same way. Listing the UNC root itself is not supported everywhere, so the distribution names can
 * be given (from `wsl.exe -l -q`, see wslDistributions).
 */
export function listWslHomes(wslRoot: string, distros: readonly string[] = safeReaddir(wslRoot)): string[] {
  const homes: string[] = [];
  for (const distro of distros) {
    const distroRoot = join(wslRoot, distro);
    for (const user of safeReaddir(join(distroRoot, 'home'))) homes.push(join(distroRoot, 'home', user));
    if (safeReaddir(join(distroRoot, 'root')).length > 0) homes.push(join(distroRoot, 'root'));
  }
  return homes;
}

/** Installed WSL distributions, from `wsl.exe -l -q` (UTF-16 output); none when WSL is absent. */
export function wslDistributions(): string[] {
  try {
    const out = execFileSync('wsl.exe', ['-l', '-q'], { encoding: 'utf16le', timeout: 5000, windowsHide: true, stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split(/\r?\n/).map((l) => l.replace(/\0/g, '').trim()).filter(Boolean);
  } catch {
    return [];
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
