// Which policy applies: `--policy FILE`, else `--preset NAME`, else the project's `warden.yaml`,
// else the user's, else the `balanced` preset. An invalid policy file is an error that stops the
// command (fail closed), never a silent fall-back to a preset.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readExactUtf8 } from '../parse/text.js';
import { parsePolicy, PolicyError, type PolicySpec } from './load.js';
import { PRESETS, presetPolicy, type PresetName } from './presets.js';

export const POLICY_FILE = 'warden.yaml';
/** A policy is a page of YAML; a megabyte is already a mistake. */
const MAX_POLICY_BYTES = 1024 * 1024;

/** The user's policy: `~/.config/warden/warden.yaml` (XDG), `%APPDATA%\warden\warden.yaml` on Windows. */
export function userPolicyFile(home: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32' && env['APPDATA']) return join(env['APPDATA'], 'warden', POLICY_FILE);
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'warden', POLICY_FILE);
}

export function readPolicyFile(path: string): PolicySpec {
  const r = readExactUtf8(path, MAX_POLICY_BYTES);
  if (!r.ok) {
    const message = r.problem === 'too-large' ? `${r.bytes} bytes; a policy may be at most ${MAX_POLICY_BYTES}` : r.detail;
    throw new PolicyError([{ file: path, line: 1, column: 1, message }]);
  }
  const text = r.text;
  const { policy, problems } = parsePolicy(path, text);
  if (!policy) throw new PolicyError(problems);
  return policy;
}

export interface PolicyChoice {
  policy?: string;
  preset?: string;
  cwd?: string;
  home: string;
}

export function resolvePolicy(o: PolicyChoice): PolicySpec {
  if (o.policy !== undefined) return readPolicyFile(resolve(o.cwd ?? process.cwd(), o.policy));
  if (o.preset !== undefined) {
    if (!(o.preset in PRESETS)) throw new PolicyError([{ file: '--preset', line: 1, column: 1, message: `unknown preset "${o.preset}"; expected ${Object.keys(PRESETS).join(', ')}` }]);
    return presetPolicy(o.preset as PresetName);
  }
  for (const candidate of [join(o.cwd ?? process.cwd(), POLICY_FILE), userPolicyFile(o.home)]) {
    if (existsSync(candidate)) return readPolicyFile(candidate);
  }
  return presetPolicy('balanced');
}
