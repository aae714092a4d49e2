// How a client config starts Warden. One function, so that the choice is made in one place.
//
// Today: the absolute path of the Node that runs this command plus the absolute path of Warden's
// script (dist/warden.cjs). Clients launch servers with whatever PATH they were started with, and
// desktop apps often get a minimal one (macOS GUI apps do not see Homebrew's or nvm's `node`), so
// neither `node` nor a `warden` shim on PATH can be relied on; absolute paths can. The price: the
// config names this Node; removing that Node version (nvm) breaks the routed servers until
// `warden install` runs again. A global install could use its `warden` bin instead: change it here.
import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Launcher } from './wrap.js';

export const NODE_FLAGS = '--max-semi-space-size=2';

export type LauncherResult = { ok: true; launcher: Launcher; warning?: string } | { ok: false; reason: string };

/**
 * The launcher for the running Warden, from `process.argv[1]` (the script Node was started with)
 * and `process.execPath`. The script must resolve to a file named `warden`, `warden.js` or `warden.cjs`: when
 * Warden runs embedded in something else there is no command line to point clients at.
 */
export function wardenLauncher(script: string | undefined = process.argv[1], execPath: string = process.execPath): LauncherResult {
  if (!script) return { ok: false, reason: 'cannot tell where the warden command is (no script path); run `warden install` from the warden command' };
  let real: string;
  try {
    real = realpathSync(resolve(script));
  } catch {
    return { ok: false, reason: `cannot resolve the warden script ${script}` };
  }
  if (!/^warden(\.c?js)?$/.test(basename(real))) {
    return { ok: false, reason: `${real} is not the warden command; run \`warden install\` from the warden command` };
  }
  // npx runs packages from a cache it prunes: a config pointing there breaks some day later.
  const warning = /[\\/]_npx[\\/]/.test(real) ? `Warden is running from npx's cache (${real}); install it (npm install -g warden) so that routed servers keep working, then run install again` : undefined;
  // A gateway lives as long as its client and allocates small short-lived objects: a 2 MB young
  // generation collects them as well as V8's default 16 MB and keeps it about 12 MB smaller
  // (bench/gateway.bench.ts). A V8 flag, so it must be on Node's command line.
  return { ok: true, launcher: { command: execPath, args: [NODE_FLAGS, real] }, ...(warning ? { warning } : {}) };
}
