// Where a path really points: `~` expanded, made absolute against a working directory, and
// symlinks resolved on the longest prefix that exists (a file about to be written does not exist
// yet, but the folder it lands in may be a link to somewhere else). Shared by the gateway's
// argument checks and the hooks, which must judge `/repo/link-to-home/.ssh/id_rsa` as the key it is.
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The real location of `p`: symlinks resolved on the longest prefix that exists. */
export function realLocation(p: string): string {
  const missing: string[] = [];
  let at = p;
  for (;;) {
    try {
      return join(realpathSync.native(at), ...missing.reverse());
    } catch {
      const parent = dirname(at);
      if (parent === at) return p;
      missing.push(at.slice(parent.length).replace(/^[\\/]+/, ''));
      at = parent;
    }
  }
}

/** `~` and `~/x` expanded to the home directory, then resolved against `cwd`. */
export function expandPath(p: string, cwd: string, home: string = homedir()): string {
  const expanded = p === '~' || p.startsWith('~/') || p.startsWith('~\\') ? join(home, p.slice(1)) : p;
  return resolve(cwd, expanded);
}

export function isWithin(p: string, root: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
