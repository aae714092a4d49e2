// Starting `warden hook` fast. An agent starts a new process for every action, so the hook's
// start-up is its latency: its code is one CommonJS bundle (dist/hook.cjs) compiled through V8's
// code cache, kept in Warden's cache folder and keyed by the bundle's size and time, so from the
// second call on V8 skips parsing and compiling it (Node 22 has module.enableCompileCache; Node 20,
// which Warden supports, does not). Without the bundle (running from the unbundled build, in
// tests) the hook module is imported directly.
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { VERSION } from '../core/version.js';
import { wardenHome } from '../core/warden-home.js';

type HookMain = (args: readonly string[], build: string) => Promise<void>;

function saveCodeCache(dir: string, name: string, data: Buffer): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, join(dir, name));
    // Caches of earlier builds are dead weight.
    for (const old of readdirSync(dir)) if (old.startsWith('hook-') && old.endsWith('.v8') && old !== name) unlinkSync(join(dir, old));
  } catch {
    // No cache: the next hook compiles the bundle again, nothing else.
  }
}

export async function runHookCommand(args: readonly string[]): Promise<void> {
  // Beside the `warden` script Node was started with (dist/warden.cjs).
  const bundle = join(dirname(realpathSync(process.argv[1] ?? '.')), 'hook.cjs');
  let build: string;
  try {
    const st = statSync(bundle);
    build = `${VERSION}-${st.size}-${Math.floor(st.mtimeMs)}`;
  } catch {
    const { hookMain } = await import('../hooks/main.js');
    return hookMain(args, VERSION);
  }
  const cacheDir = join(wardenHome(), 'cache');
  const cacheName = `hook-${build}.v8`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(join(cacheDir, cacheName));
  } catch {
    cachedData = undefined;
  }
  const source = readFileSync(bundle, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {} as { hookMain?: HookMain } };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
  await mod.exports.hookMain!(args, build);
  // Produced after the run, so it holds the functions the run compiled, not only the top level.
  if (!cachedData || script.cachedDataRejected) saveCodeCache(cacheDir, cacheName, script.createCachedData());
}
