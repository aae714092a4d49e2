// The rule no policy file can remove: an agent must not switch Warden off. Editing the policy, the
// hook entries in an agent's settings, Warden's store, keys or lockfiles, or killing Warden's
// processes, is denied before the policy is consulted, in every mode (monitor too: observing an
// agent disable the observer observes nothing), and recorded as critical. Reading Warden's state
// is denied as well: the receipt key would let an agent sign its own approvals.
import { isWithin } from '../core/real-path.js';
import type { Action, Decision } from './types.js';

export const SELF_PROTECTION_RULE = 'builtin:self-protection';

/** Shell classes that mean "turning Warden off" (src/detect/shell-classes.ts). */
const TAMPER_CLASSES = ['warden-tamper', 'agent-config-write'];
/** Path classes (src/detect/path-classes.ts) a write must not touch. */
const PROTECTED_PATHS = ['warden', 'agent-config'];
/** Tool capability classes that make an MCP call a write. */
const WRITING_TOOL = ['writes', 'destructive'];

const deny = (reason: string): Decision => ({ effect: 'deny', rule: SELF_PROTECTION_RULE, reason, owasp: ['ASI10'] });

/**
 * The built-in decision for `action`, or undefined when the policy decides. `paths` are the real
 * locations the action touches; `wardenHome` is Warden's state folder (~/.warden).
 */
export function selfProtection(action: Action, paths: readonly string[], wardenHome: string): Decision | undefined {
  const caps = action.capabilities ?? [];
  if (action.kind === 'shell' && caps.some((c) => TAMPER_CLASSES.includes(c))) {
    return deny('This command would change or stop Warden, or the hook settings that run it; an agent may not switch its own guard off. Ask the user to do it.');
  }
  if (paths.some((p) => isWithin(p, wardenHome))) {
    return deny("Warden's own state (audit log, keys, kill switch) is off limits to agents.");
  }
  const writes = action.kind === 'file_write' || (action.kind === 'tool_call' && caps.some((c) => WRITING_TOOL.includes(c)));
  if (writes && caps.some((c) => PROTECTED_PATHS.includes(c))) {
    return deny("Editing Warden's policy or lockfile, or an agent's settings and hook entries, is for the user, not the agent.");
  }
  return undefined;
}

/** The audit severity of a decision: an attempt to switch Warden off is critical. */
export function severityOf(d: Decision): { severity?: 'critical' } {
  return d.rule === SELF_PROTECTION_RULE ? { severity: 'critical' } : {};
}
