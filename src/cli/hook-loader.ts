// Starting `warden hook` fast. An agent starts a new process for every action, so the hook's
// start-up is its latency: its code is CommonJS bundles (dist/hook.cjs, and the parts it needs
// only sometimes, dist/hook-*.cjs) compiled through V8's code cache, kept in Warden's cache folder
// per build, so from the second call on V8 skips parsing and compiling them (Node 22 has
// module.enableCompileCache; Node 20, which Warden supports, does not). Without the bundle
// (running from the unbundled build, in tests) the hook module is imported directly.
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { VERSION } from '../core/version.js';
import { wardenHome } from '../core/warden-home.js';

type HookMain = (args: readonly string[], build: string) => Promise<void>;

/** A hook part is a file named like this beside hook.cjs. */
const HOOK_PART = /^\.\/hook-[a-z-]+\.cjs$/;

/** Loads CommonJS bundles through V8's code cache; `save()` writes the caches the run made. */
class CodeCachedLoader {
  readonly #loaded = new Map<string, unknown>();
  readonly #fresh: { name: string; script: Script }[] = [];
  readonly #nodeRequire: NodeJS.Require;

  constructor(
    private readonly dir: string,
    private readonly cacheDir: string,
    private readonly build: string,
  ) {
    this.#nodeRequire = createRequire(join(dir, 'hook.cjs'));
  }

  /** The bundles' `require`: hook parts come through the cache too, everything else from Node. */
  readonly require = ((id: string) => (HOOK_PART.test(id) ? this.load(id.slice(2)) : this.#nodeRequire(id))) as NodeJS.Require;

  load(file: string): unknown {
    if (this.#loaded.has(file)) return this.#loaded.get(file);
    const path = join(this.dir, file);
    const name = `${basename(file, '.cjs')}-${this.build}.v8`;
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(join(this.cacheDir, name));
    } catch {
      cachedData = undefined;
    }
    const source = readFileSync(path, 'utf8');
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: path, ...(cachedData ? { cachedData } : {}) });
    if (!cachedData || script.cachedDataRejected) this.#fresh.push({ name, script });
    const mod = { exports: {} };
    this.#loaded.set(file, mod.exports);
    (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, this.require, mod, path, this.dir);
    this.#loaded.set(file, mod.exports);
    return mod.exports;
  }

  /** Produced after the run, so each cache holds the functions the run compiled, not only the top level. */
  save(): void {
    if (this.#fresh.length === 0) return;
    try {
      mkdirSync(this.cacheDir, { recursive: true, mode: 0o700 });
      for (const { name, script } of this.#fresh) {
        const tmp = join(this.cacheDir, `.${name}.${process.pid}.tmp`);
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, join(this.cacheDir, name));
      }
      // Caches of earlier builds are dead weight.
      for (const old of readdirSync(this.cacheDir)) if (old.startsWith('hook') && old.endsWith('.v8') && !old.endsWith(`-${this.build}.v8`)) unlinkSync(join(this.cacheDir, old));
    } catch {
      // No cache: the next hook compiles the bundles again, nothing else.
    }
  }
}

export async function runHookCommand(args: readonly string[]): Promise<void> {
  // Beside the `warden` script Node was started with (dist/warden.cjs).
  const dir = dirname(realpathSync(process.argv[1] ?? '.'));
  let build: string;
  try {
    const st = statSync(join(dir, 'hook.cjs'));
    build = `${VERSION}-${st.size}-${Math.floor(st.mtimeMs)}`;
  } catch {
    const { hookMain } = await import('../hooks/main.js');
    return hookMain(args, VERSION);
  }
  const loader = new CodeCachedLoader(dir, join(wardenHome(), 'cache'), build);
  const { hookMain } = loader.load('hook.cjs') as { hookMain: HookMain };
  await hookMain(args, build);
  loader.save();
}
