// Every `warden` command but `hook`: the CLI proper (bin.ts hands over to it).
import { main } from './main.js';

export async function runCli(argv: readonly string[]): Promise<void> {
  // A reader that stops early (`warden scan | head`) closes the pipe; that is not an error of the
  // scan, and must not turn into exit code 1, which CI reads as "findings".
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return;
    process.stderr.write(`warden: cannot write output: ${err.message}\n`);
    process.exitCode = 3;
  });
  const code = await main([...argv]);
  if (process.exitCode !== 3) process.exitCode = code;
}
