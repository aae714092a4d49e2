// Deciding one action: the server allowlist, then the rules in order (the first whose match and
// `when` hold decides), then the default for the action's kind. Fails closed: a condition that
// cannot be evaluated denies, naming the rule. In monitor mode the decision is computed the same
// way and returned as `allow`, with what enforce mode would have done in `wouldHave`.
//
// Hot path: matchers are precompiled, and the CEL context is built once per action and only when
// a rule that matched by name has a condition.
import type { Action, Decision, Effect, PolicyContext } from './types.js';
import type { CompiledRule, PolicySpec } from './compile.js';

export interface TraceEntry {
  rule: string;
  line: number;
  /** Why the rule did not decide, or `decided`. */
  outcome: 'kind' | 'client' | 'agent' | 'server' | 'tool' | 'capabilities' | 'when-false' | 'when-error' | 'decided';
  detail?: string;
}

export interface Explanation {
  decision: Decision;
  trace: TraceEntry[];
}

function contextOf(a: Action, now: Date): PolicyContext {
  return {
    action: { kind: a.kind, client: a.client ?? '' },
    agent: { id: a.agent?.id ?? '', name: a.agent?.name ?? '', user: a.agent?.user ?? '', host: a.agent?.host ?? '' },
    session: { id: a.session?.id ?? '', taint: a.session?.taint ?? [], calls: a.session?.calls ?? 0, history: a.session?.history ?? [] },
    server: { name: a.server ?? '' },
    tool: { name: a.tool ?? '', capabilities: a.capabilities ?? [] },
    args: a.args ?? {},
    time: { now: now.toISOString(), hour: now.getHours(), weekday: now.getDay() },
  };
}

function matchFailure(rule: CompiledRule, a: Action): TraceEntry['outcome'] | undefined {
  if (rule.kinds && !rule.kinds.has(a.kind)) return 'kind';
  if (!rule.client(a.client)) return 'client';
  if (!rule.agent(a.agent?.name ?? a.agent?.id)) return 'agent';
  if (!rule.server(a.server)) return 'server';
  if (!rule.tool(a.tool)) return 'tool';
  if (rule.capabilities && !rule.capabilities.some((c) => a.capabilities?.includes(c))) return 'capabilities';
  return undefined;
}

function finish(policy: PolicySpec, effect: Effect, rule: string, reason: string, redact?: string[], owasp?: string[]): Decision {
  const ids = owasp && owasp.length ? { owasp } : {};
  if (policy.mode === 'monitor' && effect !== 'allow') return { effect: 'allow', rule, reason, wouldHave: effect, ...ids };
  return { effect, rule, reason, ...(redact && redact.length ? { redact } : {}), ...ids };
}

/** The rules that can match each action kind, in order: most rules name their kinds, so a decision skips the rest unread. */
const rulesByKind = new WeakMap<PolicySpec, Map<string, CompiledRule[]>>();

function rulesFor(policy: PolicySpec, kind: string): readonly CompiledRule[] {
  let index = rulesByKind.get(policy);
  if (!index) rulesByKind.set(policy, (index = new Map()));
  let list = index.get(kind);
  if (!list) index.set(kind, (list = policy.rules.filter((r) => !r.kinds || r.kinds.has(kind as Action['kind']))));
  return list;
}

function run(policy: PolicySpec, a: Action, now: Date, trace?: TraceEntry[]): Decision {
  if (a.server !== undefined && policy.servers && !policy.servers.allow(a.server) && policy.servers.unknown !== 'allow') {
    return finish(policy, policy.servers.unknown, 'servers.allow', `server "${a.server}" is not in the policy's list of allowed servers`);
  }
  let ctx: PolicyContext | undefined;
  // explain() walks every rule so it can say why each did not decide.
  for (const rule of trace ? policy.rules : rulesFor(policy, a.kind)) {
    const miss = matchFailure(rule, a);
    if (miss) {
      trace?.push({ rule: rule.id, line: rule.line, outcome: miss });
      continue;
    }
    if (rule.when) {
      ctx ??= contextOf(a, now);
      // A condition left for later (a hook's cached policy) that nobody prepared: a bug, judged closed.
      const r = rule.when.condition ? rule.when.condition(ctx) : ({ ok: false, error: 'the condition was not compiled' } as const);
      if (!r.ok) {
        trace?.push({ rule: rule.id, line: rule.line, outcome: 'when-error', detail: r.error });
        // Fail closed: a condition that cannot be judged cannot allow.
        return finish(policy, 'deny', rule.id, `the condition of rule ${rule.id} could not be evaluated (${r.error}); denied`);
      }
      if (!r.value) {
        trace?.push({ rule: rule.id, line: rule.line, outcome: 'when-false' });
        continue;
      }
    }
    trace?.push({ rule: rule.id, line: rule.line, outcome: 'decided' });
    return finish(policy, rule.effect, rule.id, rule.reason, rule.redact, rule.owasp);
  }
  const effect = policy.defaults[a.kind];
  return finish(policy, effect, `default:${a.kind}`, `no rule matched; the default for ${a.kind} is ${effect}`);
}

export function decide(policy: PolicySpec, action: Action, now: Date = new Date()): Decision {
  return run(policy, action, now);
}

/** The decision and, for each rule in order, why it did or did not decide. */
export function explain(policy: PolicySpec, action: Action, now: Date = new Date()): Explanation {
  const trace: TraceEntry[] = [];
  return { decision: run(policy, action, now, trace), trace };
}
