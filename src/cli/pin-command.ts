// `warden pin` and `warden verify`: record what each server shows the model in a lockfile, and
// later check that it still shows the same. Both connect the way `scan --connect` does (same
// consent, scope and identity options) and group servers by the lockfile that governs them.
import { dirname, relative } from 'node:path';
import type { ServerDecl, ServerInspection } from '../core/types.js';
import { discover } from '../discover/discover.js';
import { diffLock, formatDrift, type DriftEntry } from '../inspect/drift.js';
import { buildLock, readLockfile, writeLockfile } from '../inspect/lockfile.js';
import { groupByLockfile, type LockTargets } from '../inspect/pins.js';
import { buildIgnore } from '../scan/ignore.js';
import { escapeInvisible } from '../detect/unicode.js';
import { connectSettings, inspectWithConsent, lockTargets, type ConnectCliOptions } from './connect.js';
import { writeOutput } from './output.js';
import { resolveTargets, type ScanCliOptions } from './scan-command.js';

export interface PinCliOptions extends ConnectCliOptions, Pick<ScanCliOptions, 'home' | 'os' | 'systemRoot' | 'exclude' | 'walkHome'> {
  update?: boolean;
  strict?: boolean;
  format?: 'text' | 'json';
  output?: string;
}

interface Connected {
  decls: ServerDecl[];
  inspections: ServerInspection[];
  locks: LockTargets;
}

async function discoverAndConnect(paths: string[], o: PinCliOptions): Promise<Connected> {
  const targets = resolveTargets(paths, { ...o, color: false, inlineSuppressions: true, walkHome: Boolean(o.walkHome) } as ScanCliOptions);
  const isIgnored = buildIgnore([...targets.projects, ...targets.homes.map((h) => h.path)], o.exclude ?? [], []);
  const discovery = discover({ ...targets, walkHomes: Boolean(o.walkHome), ...(isIgnored ? { isIgnored } : {}) });
  const decls = discovery.servers.map((s) => s.decl);
  const inspections = await inspectWithConsent(decls, connectSettings(o));
  return { decls, inspections, locks: lockTargets(o, targets, Boolean(o.home)) };
}

/** A path as the user would type it: relative below the current directory, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return escapeInvisible(rel && !rel.startsWith('..') ? rel : path);
}

function reportUninspected(inspections: readonly ServerInspection[]): void {
  for (const i of inspections.filter((x) => x.status !== 'ok')) {
    process.stderr.write(`warden: ${i.status === 'failed' ? 'could not inspect' : 'skipped'} ${i.client}/${escapeInvisible(i.server)}: ${escapeInvisible(i.reason ?? '')}\n`);
  }
}

/** Drift that `pin` without --update refuses to overwrite: anything but a server not yet pinned. */
const blocksPin = (d: DriftEntry) => d.drift && d.kind !== 'unpinned-server';

export async function runPin(paths: string[], o: PinCliOptions): Promise<number> {
  const { decls, inspections, locks } = await discoverAndConnect(paths, o);
  reportUninspected(inspections);
  if (decls.length === 0) {
    process.stderr.write('warden: no MCP servers found; nothing to pin\n');
    return 0;
  }
  let refused = 0;
  for (const [path, g] of groupByLockfile(inspections, decls, locks)) {
    const previous = readLockfile(path);
    if (!previous && !g.inspections.some((i) => i.status === 'ok')) continue;
    // Paths in the lockfile are written relative to its folder, so a committed one has no home paths.
    const options = { root: dirname(path), ...(locks.home !== undefined ? { home: locks.home } : {}) };
    if (previous && !o.update) {
      const drift = (await diffLock(previous, g.inspections, g.decls, options)).filter(blocksPin);
      if (drift.length > 0) {
        process.stdout.write(`${shown(path)}:\n${formatDrift(drift)}`);
        process.stderr.write(`warden: ${shown(path)} not changed: ${drift.length} pinned definition${drift.length === 1 ? '' : 's'} drifted; review the diff, then accept with \`warden pin --update\`\n`);
        refused++;
        continue;
      }
    }
    const lock = await buildLock(g.inspections, g.decls, previous, options);
    writeLockfile(path, lock);
    const servers = Object.values(lock.servers);
    const defs = servers.reduce((n, s) => n + Object.keys(s.definitions).length, 0);
    process.stderr.write(`warden: pinned ${servers.length} server${servers.length === 1 ? '' : 's'} (${defs} definitions) in ${shown(path)}\n`);
  }
  return refused > 0 ? 1 : 0;
}

export async function runVerify(paths: string[], o: PinCliOptions): Promise<number> {
  const { decls, inspections, locks } = await discoverAndConnect(paths, o);
  reportUninspected(inspections);
  const drift: DriftEntry[] = [];
  let lockfiles = 0;
  for (const [path, g] of groupByLockfile(inspections, decls, locks)) {
    const lock = readLockfile(path);
    if (!lock) continue;
    lockfiles++;
    drift.push(...(await diffLock(lock, g.inspections, g.decls, { root: dirname(path), ...(locks.home !== undefined ? { home: locks.home } : {}) })));
  }
  if (lockfiles === 0) {
    process.stderr.write('warden: no lockfile governs these servers; create one with `warden pin`\n');
    return 1;
  }
  // A server that could not be reached has not been shown to be unchanged: --strict fails on it.
  const failing = drift.filter((d) => d.drift || (o.strict && d.kind === 'not-checked'));
  writeOutput(o.output, o.format === 'json' ? `${JSON.stringify({ drift }, null, 2)}\n` : formatDrift(drift));
  return failing.length > 0 ? 1 : 0;
}
