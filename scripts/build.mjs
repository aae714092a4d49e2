#!/usr/bin/env node
// Builds the CLI bundle (dist/warden.js) and, with --tests, transpiles src/, test/ and bench/
// into build/ for `node --test` (Node 20's runner cannot load .ts files). Type checking is
// `npm run typecheck`, kept separate so a test run does not pay for it twice.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, chmodSync, existsSync } from 'node:fs';
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

// Split: each command's code is a chunk loaded when that command runs (dist/chunks/).
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: { warden: join(root, 'src/cli/bin.ts') },
  outdir: join(root, 'dist'),
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifyWhitespace: true,
  // jsonc-parser's default (UMD) entry hides its requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  legalComments: 'none',
  // A native addon: loaded from node_modules at run time, and only by commands that keep an audit store.
  external: ['better-sqlite3'],
  define: { __WARDEN_VERSION__: JSON.stringify(pkg.version) },
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __wardenCreateRequire } from 'node:module';\nconst require = __wardenCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync(join(root, 'dist/warden.js'), 0o755);

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
