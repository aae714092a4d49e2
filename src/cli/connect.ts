// Options shared by every command that connects to servers (`scan --connect`, `pin`, `verify`):
// consent, scope, client identity, deadline, parallelism, and which lockfile pins what.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { ServerDecl, ServerInspection } from '../core/types.js';
import { VERSION } from '../core/version.js';
import { clientInfoFor } from '../inspect/client-identities.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, inspectServers } from '../inspect/connect.js';
import { userLockfile } from '../inspect/lock-locations.js';
import type { LockTargets } from '../inspect/pins.js';
import { parseConnectScope, planConnections, terminalAsker, type ConnectScope } from './consent.js';
import { UsageError } from '../core/errors.js';

export interface ConnectCliOptions {
  connect?: string | boolean;
  yes?: boolean;
  identifyAs?: string;
  connectTimeout?: string;
  connectConcurrency?: string;
  lockfile?: string;
  quiet?: boolean;
}

function positiveInt(option: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${option}: expected a whole number from 1 to ${max}, got "${value}"`);
  return n;
}

export interface ConnectSettings {
  scope: ConnectScope;
  yes: boolean;
  timeoutMs: number;
  concurrency: number;
  clientInfo: { name: string; version: string };
  quiet: boolean;
}

export function connectSettings(o: ConnectCliOptions, scopeDefault: string | boolean = true): ConnectSettings {
  let scope: ConnectScope;
  try {
    scope = parseConnectScope(o.connect ?? scopeDefault);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return {
    scope,
    yes: Boolean(o.yes),
    timeoutMs: positiveInt('--connect-timeout', o.connectTimeout, DEFAULT_TIMEOUT_MS, 600_000),
    concurrency: positiveInt('--connect-concurrency', o.connectConcurrency, DEFAULT_CONCURRENCY, 64),
    clientInfo: o.identifyAs ? clientInfoFor(o.identifyAs, VERSION) : { name: 'warden', version: VERSION },
    quiet: Boolean(o.quiet),
  };
}

/** Asks (or honours --yes / --connect=user), connects to what may be run, and returns one inspection per declaration, in order. */
export async function inspectWithConsent(decls: readonly ServerDecl[], s: ConnectSettings): Promise<ServerInspection[]> {
  const ask = terminalAsker();
  const plan = await planConnections(decls, { scope: s.scope, yes: s.yes, ...(ask ? { ask } : {}) });
  const progress = !s.quiet && process.stderr.isTTY && plan.run.length > 0;
  if (progress) process.stderr.write(`connecting to ${plan.run.length} server${plan.run.length === 1 ? '' : 's'}…`);
  let done = 0;
  const inspected = await inspectServers(plan.run, {
    timeoutMs: s.timeoutMs,
    concurrency: s.concurrency,
    clientInfo: s.clientInfo,
    onResult: () => {
      done++;
      if (progress) process.stderr.write(`\rconnecting to servers… ${done}/${plan.run.length}`);
    },
  });
  if (progress) process.stderr.write('\r\x1b[K');
  const byId = new Map([...inspected, ...plan.skipped].map((i) => [i.serverId, i]));
  return decls.map((d) => byId.get(d.id)).filter((i): i is ServerInspection => i !== undefined);
}

/** Where lockfiles live for these targets; `--lockfile FILE` puts every server in one. */
export function lockTargets(o: ConnectCliOptions, targets: { homes: readonly { path: string }[]; projects: readonly string[] }, explicitHome: boolean): LockTargets {
  const home = targets.homes[0]?.path ?? homedir();
  return {
    projects: targets.projects,
    userLock: userLockfile(home, process.env, process.platform, !explicitHome),
    ...(o.lockfile ? { only: resolve(o.lockfile) } : {}),
    home,
  };
}
