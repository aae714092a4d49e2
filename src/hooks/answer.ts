// Building answers. A deny is exit code 2 *and* the agent's deny JSON *and* the reason on stderr
// wherever the agent reads exit 2 as blocking: Claude Code has ignored exit 2 when its JSON did not
// validate, and ignored valid JSON in other versions, so Warden never relies on one path alone.
import type { HookAnswer } from './types.js';

export const say = (body: unknown): HookAnswer => ({ stdout: `${JSON.stringify(body)}\n`, stderr: '', exitCode: 0 });

export const silent: HookAnswer = { stdout: '', stderr: '', exitCode: 0 };

/** Blocks through both channels: the deny JSON on stdout and exit 2 with the reason on stderr. */
export const block = (body: unknown, reason: string): HookAnswer => ({ stdout: `${JSON.stringify(body)}\n`, stderr: `${reason}\n`, exitCode: 2 });

/** The reason the model reads, with where it came from so a person can find the rule. */
export const because = (reason: string, rule: string): string => `Warden: ${reason} (rule ${rule})`;
