// Which of a tool call's arguments are file paths: string values (or lists of them) under keys
// named like one (`path`, `file_path`, `target_dir`, `src`). A filesystem server's read_file of
// ~/.aws/credentials is the same secret as an agent's own Read of it, so the gateway and the hooks
// give these paths the same classes.
import { expandPath, realLocation } from '../core/real-path.js';
import { classifyPath } from './path-classes.js';

/** Keys whose string values are paths even without a leading `/` (`src/app.ts`). */
export const PATH_KEY = /(?:^|_|-|\b)(?:path|paths|file|files|filename|dir|directory|folder|cwd|root|dest|destination|src|source|target)$/i;

/** At most this many values are looked at: a call with a million arguments is not walked whole. */
const MAX_VALUES = 100;

/** The path-like values among the top-level arguments. */
export function pathArguments(args: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [key, v] of Object.entries(args)) {
    if (out.length >= MAX_VALUES) break;
    if (!PATH_KEY.test(key)) continue;
    if (typeof v === 'string' && v !== '') out.push(v);
    else if (Array.isArray(v)) for (const x of v.slice(0, MAX_VALUES - out.length)) if (typeof x === 'string' && x !== '') out.push(x);
  }
  return out;
}

export interface ResolvedPath {
  /** As written, `~` expanded and made absolute. */
  written: string;
  /** Symlinks resolved. */
  real: string;
}

export function resolvePath(p: string, cwd: string, home: string): ResolvedPath {
  const written = expandPath(p, cwd, home);
  return { written, real: p.includes('\0') ? written : realLocation(written) };
}

/** The classes of a path: of the name used and of the file it really reaches (a link named `notes` can point at `~/.ssh/id_rsa`). */
export function resolvedPathClasses(p: ResolvedPath, home: string): string[] {
  return [...new Set([...classifyPath(p.written, { home }), ...classifyPath(p.real, { home })])].sort();
}

/** The real paths a call's arguments name, and their classes. */
export function argumentPaths(args: Readonly<Record<string, unknown>>, cwd: string, home: string): { paths: string[]; classes: string[] } {
  const resolved = pathArguments(args).map((p) => resolvePath(p, cwd, home));
  return { paths: resolved.map((r) => r.real), classes: [...new Set(resolved.flatMap((r) => resolvedPathClasses(r, home)))].sort() };
}
