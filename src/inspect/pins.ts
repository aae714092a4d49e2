// Comparing inspected servers with the lockfiles that pin them. Each server belongs to one
// lockfile (lock-locations); a lockfile that does not exist pins nothing, so it yields no drift.
import type { ScanWarning, ServerDecl, ServerInspection } from '../core/types.js';
import { diffLock, type DriftEntry } from './drift.js';
import { readLockfile } from './lockfile.js';
import { lockfileFor } from './lock-locations.js';
import { dirname } from 'node:path';

export interface LockTargets {
  projects: readonly string[];
  userLock: string;
  /** One lockfile for every server (`--lockfile FILE`). */
  only?: string;
  home?: string;
}

/** Declarations grouped by the lockfile that governs them, with their inspections. */
export function groupByLockfile(inspections: readonly ServerInspection[], decls: readonly ServerDecl[], t: LockTargets): Map<string, { decls: ServerDecl[]; inspections: ServerInspection[] }> {
  const groups = new Map<string, { decls: ServerDecl[]; inspections: ServerInspection[] }>();
  const byId = new Map(decls.map((d) => [d.id, d]));
  for (const d of decls) {
    const path = lockfileFor(d, t);
    const g = groups.get(path) ?? { decls: [], inspections: [] };
    g.decls.push(d);
    groups.set(path, g);
  }
  for (const i of inspections) {
    const d = byId.get(i.serverId);
    if (d) groups.get(lockfileFor(d, t))!.inspections.push(i);
  }
  return groups;
}

/** Drift of every inspected server against its lockfile; unreadable lockfiles become warnings. */
export async function driftAgainstLockfiles(inspections: readonly ServerInspection[], decls: readonly ServerDecl[], t: LockTargets, warnings: ScanWarning[]): Promise<DriftEntry[]> {
  const out: DriftEntry[] = [];
  for (const [path, g] of groupByLockfile(inspections, decls, t)) {
    let lock;
    try {
      lock = readLockfile(path);
    } catch (err) {
      warnings.push({ file: path, message: `lockfile not read: ${(err as Error).message}` });
      continue;
    }
    if (!lock) continue;
    out.push(...(await diffLock(lock, g.inspections, g.decls, { root: dirname(path), ...(t.home !== undefined ? { home: t.home } : {}) })));
  }
  return out;
}
