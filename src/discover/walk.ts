// Walking a project tree for the few files agents read. The walk reads directory listings only;
// files are opened later, and only those a catalogue pattern names. It never follows a symbolic
// link to a directory (so loops cannot happen) and follows a link to a file only when the target
// stays inside the tree being walked.
import { readdirSync, realpathSync, type Dirent } from 'node:fs';
import { join, sep } from 'node:path';
import { describeFsError } from '../parse/text.js';
import type { ScanWarning } from '../core/types.js';

/** Directories that never hold agent configuration but can hold millions of files. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules', '.git', '.hg', '.svn', '.jj', '.venv', 'venv', '__pycache__', '.tox', '.nox', '.mypy_cache',
  '.pytest_cache', '.ruff_cache', '.next', '.nuxt', '.svelte-kit', '.turbo', '.parcel-cache', '.cache', '.gradle',
  '.terraform', 'bower_components', 'Pods', '.yarn', '.pnpm-store', '.direnv',
]);

/**
 * Extra directories skipped at the top of a home: caches, toolchains, OS data, editors' extension
 * stores. The configs that do live there (~/.cursor/mcp.json...) are read through the catalogue.
 */
export const SKIPPED_HOME_DIRS: ReadonlySet<string> = new Set([
  'Library', 'AppData', '.npm', '.cargo', '.rustup', '.pyenv', '.nvm', '.m2', '.local', '.docker', '.Trash', 'snap',
  '.vscode-server', '.cursor-server', '.vscode', '.vscode-insiders', '.cursor', 'go', '.gem', '.conda', 'miniconda3', 'anaconda3', '.android', '.bun',
]);

export interface WalkOptions {
  /** How many directory levels below the root to descend. */
  maxDepth: number;
  /** Directory names to skip at depth 1 only (a home's own caches), in addition to SKIPPED_DIRS. */
  topLevelSkips?: ReadonlySet<string>;
  isIgnored?: (absPath: string, isDir: boolean) => boolean;
  /** Called every few thousand files with the count so far. */
  onProgress?: (files: number) => void;
  /** Cheap pre-filter on the file name and the directories above it. */
  wants?: (dirSegments: readonly string[], name: string) => boolean;
  onFile: (absPath: string, segments: readonly string[]) => void;
  warnings: ScanWarning[];
}

/**
 * Walks `root`, calling onFile with each wanted file's absolute path and its path segments below
 * root. `wants` sees only names, so the 99% of files no pattern names cost no path building.
 */
export function walkTree(root: string, opts: WalkOptions): number {
  try {
    realpathSync(root);
  } catch (err) {
    opts.warnings.push({ file: root, message: `cannot walk: ${describeFsError(err)}` });
    return 0;
  }
  let files = 0;
  const segments: string[] = [];
  const visit = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      opts.warnings.push({ file: dir, message: `cannot read directory: ${describeFsError(err)}` });
      return;
    }
    for (const entry of entries) {
      const name = entry.name;
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(name)) continue;
        if (segments.length === 0 && opts.topLevelSkips?.has(name)) continue;
        if (segments.length + 1 > opts.maxDepth) continue;
        const abs = join(dir, name);
        if (opts.isIgnored?.(abs, true)) continue;
        segments.push(name);
        visit(abs);
        segments.pop();
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if ((++files & 4095) === 0) opts.onProgress?.(files);
        if (opts.wants && !opts.wants(segments, name)) continue;
        const abs = join(dir, name);
        if (opts.isIgnored?.(abs, false)) continue;
        opts.onFile(abs, [...segments, name]);
      }
    }
  };
  visit(root);
  return files;
}

/**
 * For a symbolic link met during a walk: the target when it is a file inside `root`, else a
 * reason it is not followed. Links to directories are never followed.
 */
export function resolveLinkInside(path: string, root: string): { ok: true; target: string } | { ok: false; reason: string } {
  let target: string;
  let realRoot: string;
  try {
    target = realpathSync(path);
    realRoot = realpathSync(root);
  } catch (err) {
    return { ok: false, reason: `broken symbolic link: ${describeFsError(err)}` };
  }
  if (target !== realRoot && !target.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
    return { ok: false, reason: 'symbolic link points outside the scanned tree; not followed' };
  }
  return { ok: true, target };
}
