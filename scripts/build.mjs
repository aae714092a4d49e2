#!/usr/bin/env node
// Builds the CLI (dist/warden.cjs, dist/cli.js and its chunks, dist/hook*.cjs) and, with --tests, transpiles src/, test/ and bench/
// into build/ for `node --test` (Node 20's runner cannot load .ts files). Type checking is
// `npm run typecheck`, kept separate so a test run does not pay for it twice.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const withTests = process.argv.includes('--tests');

function tsFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'fixtures') continue;
      out.push(...tsFiles(p));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** What every bundle shares. */
const bundled = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  // jsonc-parser's default (UMD) entry hides its requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  legalComments: 'none',
  // A native addon: loaded from node_modules at run time, and only by commands that keep an audit store.
  external: ['better-sqlite3'],
  define: { __WARDEN_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

// The CLI: each command's code is a chunk loaded when that command runs (dist/chunks/).
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  ...bundled,
  entryPoints: { cli: join(root, 'src/cli/cli.ts') },
  outdir: join(root, 'dist'),
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __wardenCreateRequire } from 'node:module';\nconst require = __wardenCreateRequire(import.meta.url);" },
});

// The executable: a small CommonJS script (see src/cli/bin.ts) that starts the hook or imports the CLI.
const besideBin = {
  name: 'beside-bin',
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\.js$/ }, () => ({ path: './cli.js', external: true }));
    // Only for the unbundled build (tests): here the hook bundle always exists.
    b.onResolve({ filter: /hooks[\\/]main\.js$/ }, () => ({ path: './hook.cjs', external: true }));
  },
};
await build({
  ...bundled,
  entryPoints: [join(root, 'src/cli/bin.ts')],
  outfile: join(root, 'dist/warden.cjs'),
  format: 'cjs',
  plugins: [besideBin],
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(join(root, 'dist/warden.cjs'), 0o755);
// The executable's name before 0.1: client configs that `warden install` wrote then name it.
writeFileSync(join(root, 'dist/warden.js'), "#!/usr/bin/env node\n// Earlier installs name this file; the executable is warden.cjs.\nimport './warden.cjs';\n", { mode: 0o755 });

// The hook: one CommonJS file (src/cli/hook-loader.ts runs it through V8's code cache, which
// needs a classic script), with what it needs only sometimes in files of their own (each code
// cached the same way), loaded by require when a call needs them: every function bundled into
// hook.cjs costs start-up through the code cache even if it never runs.
const LAZY_HOOK_PARTS = {
  'hook-policy': { entry: 'src/hooks/lazy-policy.ts', modules: [/[\\/]policy[\\/]load\.js$/, /^\.[\\/]load\.js$/] },
  'hook-cel': { entry: 'src/hooks/lazy-cel.ts', modules: [/[\\/]policy[\\/]cel\.js$/, /^\.[\\/]cel\.js$/] },
  'hook-detectors': { entry: 'src/hooks/lazy-detectors.ts', modules: [/response-scan\.js$/, /audit-recorder\.js$/, /secrets\.js$/] },
  'hook-tools': { entry: 'src/hooks/lazy-tools.ts', modules: [/inspect[\\/]capabilities\.js$/] },
};
const lazyHookParts = {
  name: 'lazy-hook-parts',
  setup(b) {
    // `await import('../policy/load.js')` becomes a lazily initialised stub that requires the part
    // (a real import() would not run inside the code-cached script).
    b.onResolve({ filter: /\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      for (const [name, part] of Object.entries(LAZY_HOOK_PARTS)) if (part.modules.some((m) => m.test(args.path))) return { path: name, namespace: 'lazy-hook-part' };
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-hook-part' }, (args) => ({ contents: `module.exports = require("./${args.path}.cjs");`, loader: 'js' }));
  },
};
const hookBuild = { ...bundled, format: 'cjs' };
await build({
  ...hookBuild,
  entryPoints: [join(root, 'src/hooks/main.ts')],
  outfile: join(root, 'dist/hook.cjs'),
  plugins: [lazyHookParts],
  external: [...hookBuild.external, ...Object.keys(LAZY_HOOK_PARTS).map((n) => `./${n}.cjs`)],
});
for (const [name, part] of Object.entries(LAZY_HOOK_PARTS)) await build({ ...hookBuild, entryPoints: [join(root, part.entry)], outfile: join(root, `dist/${name}.cjs`) });

if (withTests) {
  const out = join(root, 'build');
  rmSync(out, { recursive: true, force: true });
  const entries = ['src', 'test', 'bench'].filter((d) => existsSync(join(root, d))).flatMap((d) => tsFiles(join(root, d)));
  await build({
    entryPoints: entries,
    outdir: out,
    outbase: root,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    define: { __WARDEN_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
}
