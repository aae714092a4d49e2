// Which policy applies, as text: `--policy FILE`, else `--preset NAME`, else the project's
// `warden.yaml`, else the user's, else the `balanced` preset. An unreadable or oversized policy
// file is an error that stops the command (fail closed), never a silent fall-back to a preset.
// Reading only: compiling is resolve.ts (everything at once) or snapshot.ts (a hook, from cache).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readExactUtf8 } from '../parse/exact-read.js';
import { PolicyError } from './load-errors.js';
import { PRESETS, type PresetName } from './presets.js';

export const POLICY_FILE = 'warden.yaml';
/** A policy is a page of YAML; a megabyte is already a mistake. */
const MAX_POLICY_BYTES = 1024 * 1024;

/** The user's policy: `~/.config/warden/warden.yaml` (XDG), `%APPDATA%\warden\warden.yaml` on Windows. */
export function userPolicyFile(home: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32' && env['APPDATA']) return join(env['APPDATA'], 'warden', POLICY_FILE);
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'warden', POLICY_FILE);
}

export interface PolicyChoice {
  policy?: string;
  preset?: string;
  cwd?: string;
  home: string;
}

export interface PolicyText {
  /** The file, or `preset:<name>`. */
  source: string;
  text: string;
  preset?: PresetName;
}

export function readPolicyText(path: string): PolicyText {
  const r = readExactUtf8(path, MAX_POLICY_BYTES);
  if (!r.ok) {
    const message = r.problem === 'too-large' ? `${r.bytes} bytes; a policy may be at most ${MAX_POLICY_BYTES}` : r.detail;
    throw new PolicyError([{ file: path, line: 1, column: 1, message }]);
  }
  return { source: path, text: r.text };
}

export function presetText(name: string): PolicyText {
  if (!Object.hasOwn(PRESETS, name)) throw new PolicyError([{ file: '--preset', line: 1, column: 1, message: `unknown preset "${name}"; expected ${Object.keys(PRESETS).join(', ')}` }]);
  return { source: `preset:${name}`, text: PRESETS[name as PresetName], preset: name as PresetName };
}

export function locatePolicy(o: PolicyChoice): PolicyText {
  if (o.policy !== undefined) return readPolicyText(resolve(o.cwd ?? process.cwd(), o.policy));
  if (o.preset !== undefined) return presetText(o.preset);
  for (const candidate of [join(o.cwd ?? process.cwd(), POLICY_FILE), userPolicyFile(o.home)]) {
    if (existsSync(candidate)) return readPolicyText(candidate);
  }
  return presetText('balanced');
}
