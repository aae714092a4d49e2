// Starts an HTTP fixture server (test/fixtures/servers/*.mjs) as a real process and waits for
// the URL it announces. Its stdin is a pipe, so it exits with the test even if a test forgets it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { FIXTURES } from './cli.js';

export interface HttpFixture {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startHttpFixture(file: string, args: string[] = [], env: Record<string, string> = {}): Promise<HttpFixture> {
  const child = spawn(process.execPath, [join(FIXTURES, 'servers', file), ...args], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not announce its URL`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      resolve((JSON.parse(out.slice(0, nl)) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before listening`)));
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
