// The `warden` executable, bundled to dist/warden.cjs: a CommonJS script, because `warden hook`
// must start fast and Node's ES module loader costs a hook several milliseconds before any of its
// code runs. The hook takes that path alone (hook-loader.ts); every other command imports the CLI
// (an ES module bundle, dist/cli.js) and runs it.
import { runHookCommand } from './hook-loader.js';

const fail = (err: unknown) => {
  process.stderr.write(`warden: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 70;
};

if (process.argv[2] === 'hook') runHookCommand(process.argv.slice(3)).catch(fail);
else import('./cli.js').then(({ runCli }) => runCli(process.argv)).catch(fail);
