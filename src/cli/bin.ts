// The `warden` executable (bundled to dist/warden.js).
import { main } from './main.js';

// A reader that stops early (`warden scan | head`) closes the pipe; that is not an error of the
// scan, and must not turn into exit code 1, which CI reads as "findings".
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') return;
  process.stderr.write(`warden: cannot write output: ${err.message}\n`);
  process.exitCode = 3;
});

main(process.argv).then((code) => {
  if (process.exitCode !== 3) process.exitCode = code;
});
