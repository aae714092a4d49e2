// Runs the built `warden` bundle as a user would: a real process, real exit code, real streams.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = join(REPO, 'dist', 'warden.cjs');
export const FIXTURES = join(REPO, 'test', 'fixtures');

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function warden(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string | Buffer } = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'warden-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
