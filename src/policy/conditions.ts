// Compiling a lazily loaded policy's conditions, only those an action can reach. The CEL compiler
// is imported here, on demand: a hook judging `ls` under a policy whose shell rules match on
// capability classes never loads it.
import type { PolicySpec } from './compile.js';
import type { ActionKind } from './types.js';

export async function prepareConditions(policy: PolicySpec, kind: ActionKind): Promise<void> {
  const pending = policy.rules.filter((r) => r.when && !r.when.condition && (!r.kinds || r.kinds.has(kind)));
  if (pending.length === 0) return;
  const { compileCondition } = await import('./cel.js');
  for (const rule of pending) {
    const when = rule.when!;
    const compiled = compileCondition(when.source);
    // The document was validated before it was cached, so this does not fail; if it ever does,
    // the evaluator's fail-closed path reports it as the rule's error.
    when.condition = compiled.ok ? compiled.condition : () => ({ ok: false, error: compiled.error.message });
  }
}
