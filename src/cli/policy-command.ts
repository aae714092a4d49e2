// `warden policy init|validate|test|explain`: write a policy from a preset, check one (errors with
// file:line:column), run a table of actions against it in CI, and show which rule decides an
// action and why.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { parseConfig, ConfigParseError } from '../parse/document.js';
import { actionFrom, ActionError } from '../policy/action.js';
import { classifyAction } from '../policy/classify.js';
import { explain, type Explanation } from '../policy/evaluate.js';
import { selfProtection } from '../policy/self-protection.js';
import { wardenHome } from '../core/warden-home.js';
import { PolicyError, type PolicySpec } from '../policy/load.js';
import { PRESETS, type PresetName } from '../policy/presets.js';
import { POLICY_FILE, readPolicyFile, resolvePolicy } from '../policy/resolve.js';
import { EFFECTS, type Action, type Effect } from '../policy/types.js';
import { escapeInvisible as safe } from '../detect/unicode.js';
import { writeFileAtomic, writeOutput } from './output.js';

export interface PolicySelection {
  policy?: string;
  preset?: string;
}

/** The policy a command enforces, or a usage error listing every problem of an invalid file. */
export function policyFor(o: PolicySelection): PolicySpec {
  try {
    return resolvePolicy({ ...(o.policy !== undefined ? { policy: o.policy } : {}), ...(o.preset !== undefined ? { preset: o.preset } : {}), home: homedir() });
  } catch (err) {
    if (err instanceof PolicyError) throw new UsageError(err.message);
    throw err;
  }
}

export function runPolicyInit(o: { preset?: string; output?: string; force?: boolean }): number {
  const preset = (o.preset ?? 'balanced') as PresetName;
  if (!(preset in PRESETS)) throw new UsageError(`--preset: unknown preset "${preset}"; expected ${Object.keys(PRESETS).join(', ')}`);
  const path = resolve(o.output ?? POLICY_FILE);
  if (existsSync(path) && !o.force) throw new UsageError(`${path} exists; pass --force to replace it`);
  writeFileAtomic(path, PRESETS[preset]);
  process.stderr.write(`warden: wrote the ${preset} policy to ${path}; check it with \`warden policy validate\`\n`);
  return 0;
}

export function runPolicyValidate(file: string | undefined): number {
  const path = resolve(file ?? POLICY_FILE);
  try {
    const p = readPolicyFile(path);
    process.stdout.write(`${path}: valid — ${p.rules.length} rule${p.rules.length === 1 ? '' : 's'}, mode ${p.mode}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    process.stdout.write(`${err.message}\n`);
    process.stderr.write(`warden: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} in ${path}\n`);
    return 1;
  }
}

interface TestCase {
  name: string;
  expect: Effect;
  rule?: string;
  line: number;
  action: ReturnType<typeof actionFrom>;
}

function readCases(file: string): TestCase[] {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`${file}: cannot read the test cases`);
  }
  let doc;
  try {
    doc = parseConfig(path, text, 'yaml');
  } catch (err) {
    if (err instanceof ConfigParseError) throw new UsageError(err.message);
    throw err;
  }
  const data = doc.data as { cases?: unknown } | null;
  const list = Array.isArray(data) ? data : data && typeof data === 'object' ? data.cases : undefined;
  if (!Array.isArray(list)) throw new UsageError(`${path}: expected a list of cases (or {cases: [...]}), each with name, action and expect`);
  const base = Array.isArray(data) ? [] : ['cases'];
  return list.map((c: unknown, i) => {
    const where = `${path}:${doc.locate([...base, i]).line}`;
    if (typeof c !== 'object' || c === null) throw new UsageError(`${where}: expected a case with name, action and expect`);
    const r = c as Record<string, unknown>;
    if (typeof r['expect'] !== 'string' || !(EFFECTS as readonly string[]).includes(r['expect'])) throw new UsageError(`${where}: expect: one of ${EFFECTS.join(', ')}`);
    if (r['rule'] !== undefined && typeof r['rule'] !== 'string') throw new UsageError(`${where}: rule: expected a rule id`);
    let action;
    try {
      action = actionFrom(r['action']);
    } catch (err) {
      if (err instanceof ActionError) throw new UsageError(`${where}: ${err.message}`);
      throw err;
    }
    return { name: typeof r['name'] === 'string' ? r['name'] : `case ${i + 1}`, expect: r['expect'] as Effect, ...(typeof r['rule'] === 'string' ? { rule: r['rule'] } : {}), line: doc.locate([...base, i]).line, action };
  });
}

/**
 * What the gateway and the hooks would decide: the action's classes named first (paths resolved
 * from the current directory), the built-in self-protection rule before the policy's own.
 */
function judged(policy: PolicySpec, raw: Action, now: Date = new Date()): Explanation {
  const action = classifyAction(raw, { cwd: process.cwd() });
  const builtIn = selfProtection(action, action.paths ?? [], wardenHome());
  return builtIn ? { decision: builtIn, trace: [] } : explain(policy, action, now);
}

export function runPolicyTest(casesFile: string, o: PolicySelection & { output?: string; now?: Date }): number {
  const policy = policyFor(o);
  const cases = readCases(casesFile);
  const rows: string[] = [];
  let failed = 0;
  for (const c of cases) {
    const { decision } = judged(policy, c.action, o.now ?? new Date());
    // In monitor mode the test is about what the policy says, not what monitoring lets through.
    const got = decision.wouldHave ?? decision.effect;
    const ok = got === c.expect && (c.rule === undefined || c.rule === decision.rule);
    if (!ok) failed++;
    rows.push(`${ok ? 'pass' : 'FAIL'}  ${safe(c.name)}\n      expected ${c.expect}${c.rule ? ` by ${c.rule}` : ''}, got ${got} by ${decision.rule}${ok ? '' : `: ${safe(decision.reason)}`}`);
  }
  writeOutput(o.output, `${rows.join('\n')}\n\n${cases.length - failed} of ${cases.length} cases pass against ${policy.source}\n`);
  return failed > 0 ? 1 : 0;
}

function actionArg(value: string): unknown {
  const text = value.startsWith('@') ? (() => {
    try {
      return readFileSync(resolve(value.slice(1)), 'utf8');
    } catch {
      throw new UsageError(`--action ${value}: cannot read the file`);
    }
  })() : value;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--action: not JSON (${(err as Error).message})`);
  }
}

export function runPolicyExplain(o: PolicySelection & { action: string; format?: 'text' | 'json'; output?: string }): number {
  const policy = policyFor(o);
  let action;
  try {
    action = actionFrom(actionArg(o.action));
  } catch (err) {
    if (err instanceof ActionError) throw new UsageError(`--action: ${err.message}`);
    throw err;
  }
  const e = judged(policy, action);
  if (o.format === 'json') {
    writeOutput(o.output, `${JSON.stringify({ policy: policy.source, mode: policy.mode, ...e }, null, 2)}\n`);
    return 0;
  }
  const d = e.decision;
  const lines = [
    `${d.wouldHave ? `${d.effect} (monitor mode; enforce would ${d.wouldHave})` : d.effect} — decided by ${d.rule}`,
    `reason: ${safe(d.reason)}`,
    `policy: ${policy.source} (${policy.mode})`,
    '',
    ...e.trace.map((t) => `  ${t.outcome === 'decided' ? '→' : ' '} ${t.rule} (line ${t.line}): ${t.outcome === 'decided' ? 'matched' : t.outcome === 'when-false' ? 'condition false' : t.outcome === 'when-error' ? `condition failed: ${safe(t.detail ?? '')}` : `${t.outcome} does not match`}`),
  ];
  writeOutput(o.output, `${lines.join('\n')}\n`);
  return 0;
}
