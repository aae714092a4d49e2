// `--judge URL` and its companions, shared by `warden tools` and `warden scan --connect`.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { JudgeError, judgeTarget } from '../inspect/judge.js';
import type { SecondOpinion } from '../scan/second-opinion.js';
import { UsageError } from '../core/errors.js';

export interface JudgeCliOptions {
  judge?: string;
  judgeModel?: string;
  judgeAll?: boolean;
  judgeApiKeyEnv?: string;
}

/** Where cached verdicts live: the platform's cache folder, not the repository. */
export function judgeCacheFile(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32' && env['LOCALAPPDATA']) return join(env['LOCALAPPDATA'], 'warden', 'judge.json');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'warden', 'judge.json');
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'warden', 'judge.json');
}

/** Validates the options before any work, and says out loud when definitions would leave the machine. */
export function judgeSettings(o: JudgeCliOptions): SecondOpinion | undefined {
  if (o.judge === undefined) {
    if (o.judgeModel !== undefined || o.judgeAll || o.judgeApiKeyEnv !== undefined) throw new UsageError('--judge-model, --judge-all and --judge-api-key-env need --judge URL');
    return undefined;
  }
  try {
    const target = judgeTarget(o.judge);
    if (target.warning) process.stderr.write(`warden: ${target.warning}\n`);
  } catch (err) {
    if (err instanceof JudgeError) throw new UsageError(err.message);
    throw err;
  }
  return {
    judge: {
      url: o.judge,
      ...(o.judgeModel !== undefined ? { model: o.judgeModel } : {}),
      ...(o.judgeApiKeyEnv !== undefined ? { apiKeyEnv: o.judgeApiKeyEnv } : {}),
      cacheFile: judgeCacheFile(),
      onWarning: (m) => process.stderr.write(`warden: judge: ${m}\n`),
    },
    all: Boolean(o.judgeAll),
    warn: (m) => process.stderr.write(`warden: ${m}\n`),
  };
}
