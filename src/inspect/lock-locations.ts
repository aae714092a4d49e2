// Which lockfile pins which server. A repository's servers are pinned in `warden.lock.json` at
// its root, committed with the code so reviewers see a changed tool like a changed dependency;
// everything else (user, managed, plugin scope) in the user's own lockfile.
import { existsSync } from 'node:fs';
import { dirname, join, parse, resolve, sep } from 'node:path';
import type { ServerDecl } from '../core/types.js';

export const PROJECT_LOCKFILE = 'warden.lock.json';

/** The user's lockfile for a home: `~/.config/warden/warden.lock.json` (XDG), `%APPDATA%\warden\…` on Windows. */
export function userLockfile(home: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform, realHome = true): string {
  if (realHome && platform === 'win32' && env['APPDATA']) return join(env['APPDATA'], 'warden', PROJECT_LOCKFILE);
  if (realHome && env['XDG_CONFIG_HOME']) return join(env['XDG_CONFIG_HOME'], 'warden', PROJECT_LOCKFILE);
  return join(home, '.config', 'warden', PROJECT_LOCKFILE);
}

/**
 * The root of the repository a project config belongs to: the nearest ancestor that is one of the
 * scanned trees or holds `.git`; else the folder above the client's dot-directory
 * (`app/.cursor/mcp.json` → `app`).
 */
export function projectRootOf(file: string, roots: readonly string[]): string {
  const abs = resolve(file);
  const top = parse(abs).root;
  for (let dir = dirname(abs); ; dir = dirname(dir)) {
    if (roots.includes(dir) || existsSync(join(dir, '.git'))) return dir;
    if (dir === top) break;
  }
  const parts = dirname(abs).split(sep);
  const dot = parts.findIndex((p) => p.startsWith('.') && p.length > 1);
  return dot > 0 ? parts.slice(0, dot).join(sep) || sep : dirname(abs);
}

/** The lockfile that governs `decl`, unless one file was named for everything (`--lockfile`). */
export function lockfileFor(decl: ServerDecl, o: { projects: readonly string[]; userLock: string; only?: string }): string {
  if (o.only) return o.only;
  return decl.scope === 'project' ? join(projectRootOf(decl.file, o.projects), PROJECT_LOCKFILE) : o.userLock;
}
