// Compiling the policy that applies (locate.ts finds it: `--policy`, `--preset`, the project's
// warden.yaml, the user's, else `balanced`) in full, conditions included: for commands that live
// longer than one decision. An invalid policy stops the command (fail closed).
import { readPolicyText, locatePolicy, POLICY_FILE, userPolicyFile, type PolicyChoice } from './locate.js';
import { parsePolicy, PolicyError, type PolicySpec } from './load.js';
import { PRESETS, type PresetName } from './presets.js';

export { POLICY_FILE, userPolicyFile, type PolicyChoice };

const compiledPresets = new Map<PresetName, PolicySpec>();

/** A preset, compiled once. The presets are tested to compile; a failure here is a bug. */
export function presetPolicy(name: PresetName): PolicySpec {
  let p = compiledPresets.get(name);
  if (!p) {
    const { policy, problems } = parsePolicy(`preset:${name}`, PRESETS[name]);
    if (!policy) throw new PolicyError(problems);
    p = policy;
    compiledPresets.set(name, p);
  }
  return p;
}

function compile(source: string, text: string): PolicySpec {
  const { policy, problems } = parsePolicy(source, text);
  if (!policy) throw new PolicyError(problems);
  return policy;
}

export function readPolicyFile(path: string): PolicySpec {
  const { source, text } = readPolicyText(path);
  return compile(source, text);
}

export function resolvePolicy(o: PolicyChoice): PolicySpec {
  const found = locatePolicy(o);
  return found.preset ? presetPolicy(found.preset) : compile(found.source, found.text);
}
