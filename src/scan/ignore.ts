// Paths left out of a walk: `--exclude` globs and each scanned root's `.wardenignore`, both with
// gitignore semantics (security tools' own test fixtures are the classic source of noise).
import ignore, { type Ignore } from 'ignore';
import { join, relative, sep } from 'node:path';
import { readTextFile } from '../parse/text.js';
import type { ScanWarning } from '../core/types.js';

export const IGNORE_FILE = '.wardenignore';

export function buildIgnore(roots: readonly string[], excludes: readonly string[], warnings: ScanWarning[]) {
  let anyRules = excludes.length > 0;
  const matchers = roots
    .map((root) => {
      const ig: Ignore = ignore().add([...excludes]);
      const file = join(root, IGNORE_FILE);
      const read = readTextFile(file, 1024 * 1024);
      if (read.ok) {
        ig.add(read.text);
        anyRules = true;
      } else if (read.status === 'unreadable') warnings.push({ file, message: read.detail });
      return { root, ig };
    })
    .sort((a, b) => b.root.length - a.root.length);
  // No patterns at all: let the walk skip the per-file check entirely.
  if (!anyRules) return undefined;
  return (abs: string, isDir: boolean): boolean => {
    const m = matchers.find((x) => abs === x.root || abs.startsWith(x.root.endsWith(sep) ? x.root : x.root + sep));
    if (!m) return false;
    const rel = relative(m.root, abs).split(sep).join('/');
    if (!rel) return false;
    return m.ig.ignores(isDir ? rel + '/' : rel);
  };
}
