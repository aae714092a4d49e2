// One hook call, start to finish: read the payload, turn it into actions, judge each against the
// policy (after the built-in self-protection rule), record what happened, answer in the agent's
// protocol. Every failure on the way (a payload that cannot be read, a policy that does not
// validate, an audit that cannot be written) answers with the agent's deny and a message a person
// can act on: a hook that fails must never let the action through silently.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isObject } from '../core/json.js';
import { uuid7 } from '../core/uuid7.js';
import { writeFileAtomically } from '../inspect/atomic-file.js';
import { prepareConditions } from '../policy/conditions.js';
import { decide } from '../policy/evaluate.js';
import { redactArguments } from '../policy/redact-arguments.js';
import { PolicyError } from '../policy/load-errors.js';
import { selfProtection, severityOf } from '../policy/self-protection.js';
import { loadPolicySnapshot } from '../policy/snapshot.js';
import type { Action, Decision, Effect } from '../policy/types.js';
import type { PolicySpec } from '../policy/compile.js';
import type { AuditEvent, DecisionType } from '../store/audit-event.js';
import { actionsFor } from './action.js';
import { redactArgs, writeHookEvents } from './audit.js';
import { claudeCode } from './claude-code.js';
import { codex } from './codex.js';
import { copilotWith } from './copilot.js';
import { cursor } from './cursor.js';
import { gemini } from './gemini.js';
import { HookInputError, MAX_PAYLOAD_BYTES, parsePayload } from './payload.js';
import { scanOutput, scanPrompt } from './content-scan.js';
import type { AgentProtocol, HookAgent, HookAnswer, HookRequest, Verdict } from './types.js';

export interface HookRun {
  agent: HookAgent;
  /** The event, for agents whose payload does not name it (Copilot). */
  event?: string;
  policy?: string;
  preset?: string;
  stdin: Buffer;
  wardenHome: string;
  /** Identifies this Warden build, for the policy cache. */
  build: string;
  home?: string;
  startedAt?: number;
}

export function protocolFor(agent: HookAgent, event?: string): AgentProtocol {
  switch (agent) {
    case 'claude-code':
      return claudeCode;
    case 'codex':
      return codex;
    case 'cursor':
      return cursor;
    case 'gemini':
      return gemini;
    case 'copilot':
      return copilotWith(event);
  }
}

/** deny > ask > redact > allow: several actions in one call are as strict as the strictest. */
const STRICTNESS: Readonly<Record<Effect, number>> = { allow: 0, redact: 1, ask: 2, deny: 3 };

const DECISION_TYPE: Readonly<Record<Effect, DecisionType>> = { allow: 'allow', deny: 'deny', redact: 'modify', ask: 'audit' };
const OUTCOME: Readonly<Record<Effect, string>> = { allow: 'allowed', deny: 'blocked', redact: 'redacted', ask: 'asked-user' };

interface Judged {
  action: Action;
  decision: Decision;
}

async function judge(policy: PolicySpec, actions: readonly Action[], wardenHome: string): Promise<Judged[]> {
  const out: Judged[] = [];
  for (const action of actions) {
    const builtIn = selfProtection(action, action.paths ?? [], wardenHome);
    if (builtIn) {
      out.push({ action, decision: builtIn });
      continue;
    }
    await prepareConditions(policy, action.kind);
    out.push({ action, decision: decide(policy, action) });
  }
  return out;
}

/** Tool names whose classes the cache keeps (a few KB of JSON). */
const MAX_CACHED_TOOLS = 5000;

/**
 * An MCP tool's capability classes from its name, as the gateway gives a tool whose definition it
 * has not seen (the hook never sees definitions): `delete_repository` is destructive in both.
 * Loading the classifier costs a hook more than everything else it does, so what it said about a
 * tool is kept in the cache folder, per Warden build, and asked again only for new names.
 */
async function classifyTools(actions: Action[], cacheDir: string, build: string): Promise<void> {
  const calls = actions.filter((a) => a.kind === 'tool_call' && a.tool);
  if (calls.length === 0) return;
  const file = join(cacheDir, 'tool-classes.json');
  let cache: { build: string; classes: Record<string, string[]> } = { build, classes: {} };
  try {
    const read = JSON.parse(readFileSync(file, 'utf8'));
    if (read?.build === build && isObject(read.classes)) cache = read;
  } catch {
    // no cache yet
  }
  let changed = false;
  for (const a of calls) {
    const key = `${a.server ?? ''}/${a.tool}`;
    let classes = Object.hasOwn(cache.classes, key) ? cache.classes[key] : undefined;
    if (!Array.isArray(classes)) {
      const { classifyTool } = await import('../inspect/capabilities.js');
      classes = [...classifyTool({ kind: 'tool', name: a.tool!, raw: { name: a.tool! } }, a.server ? { name: a.server } : undefined).capabilities];
      if (Object.keys(cache.classes).length >= MAX_CACHED_TOOLS) cache.classes = {};
      cache.classes[key] = classes;
      changed = true;
    }
    a.capabilities = [...new Set([...classes, ...(a.capabilities ?? [])])].sort();
  }
  if (changed) {
    try {
      writeFileAtomically(file, JSON.stringify(cache));
    } catch {
      // the next call classifies again
    }
  }
}

function verdictOf(req: HookRequest, results: readonly Judged[]): Verdict {
  let worst: Judged | undefined;
  for (const r of results) if (!worst || STRICTNESS[r.decision.effect] > STRICTNESS[worst.decision.effect]) worst = r;
  if (!worst) return { effect: 'allow', rule: 'hook:not-judged', reason: 'nothing in this call is judged by the policy' };
  const d = worst.decision;
  const v: Verdict = { effect: d.effect, rule: d.rule, reason: d.reason };
  if (d.effect === 'redact' && req.input) v.updatedInput = redactArguments(req.input, d.redact ?? []);
  return v;
}

async function eventsFor(run: HookRun, req: HookRequest, results: readonly Judged[], verdict: Verdict, extra: Partial<AuditEvent>): Promise<AuditEvent[]> {
  const time = new Date().toISOString();
  const latencyMs = run.startedAt !== undefined ? Math.round((Number(process.hrtime.bigint()) / 1e6 - run.startedAt) * 1000) / 1000 : undefined;
  const base = { time, agent: run.agent, ...(req.session ? { session: req.session } : {}), method: req.event, ...(latencyMs !== undefined ? { latencyMs } : {}) };
  if (results.length === 0) {
    return [{ id: uuid7(), ...base, ...(req.tool ? { tool: req.tool } : {}), decision: DECISION_TYPE[verdict.effect], rule: verdict.rule, reason: verdict.reason, outcome: verdict.effect === 'allow' ? 'recorded' : OUTCOME[verdict.effect], ...extra }];
  }
  const events: AuditEvent[] = [];
  for (const { action: a, decision } of results) {
    // Prompts are not kept; arguments lose what the policy redacts, then any secret in them.
    const args = a.kind === 'prompt' ? undefined : await redactArgs(decision.effect === 'redact' ? redactArguments(a.args ?? {}, decision.redact ?? []) : (a.args ?? {}));
    events.push({
      id: uuid7(),
      ...base,
      ...(a.server ? { server: a.server } : {}),
      tool: a.tool ?? a.kind,
      ...(args ? { args } : {}),
      decision: decision.wouldHave ? 'audit' : DECISION_TYPE[decision.effect],
      rule: decision.rule,
      reason: decision.reason,
      ...(decision.owasp?.length ? { owasp: decision.owasp } : {}),
      outcome: decision.wouldHave ? `would-have-${OUTCOME[decision.wouldHave]}` : OUTCOME[decision.effect],
      ...(a.capabilities?.length ? { findings: a.capabilities.map((c) => `class:${c}`) } : {}),
      ...severityOf(decision),
      ...extra,
    });
  }
  return events;
}

/** Reads, judges, records and answers one hook call. Never throws: every failure is the agent's deny. */
export async function runHook(run: HookRun): Promise<HookAnswer> {
  const protocol = protocolFor(run.agent, run.event);
  let req: HookRequest | undefined;
  try {
    if (run.stdin.length > MAX_PAYLOAD_BYTES) throw new HookInputError(`the hook payload is ${run.stdin.length} bytes, over the ${MAX_PAYLOAD_BYTES}-byte limit`);
    req = protocol.read(parsePayload(run.stdin.toString('utf8')));
    const home = run.home ?? homedir();
    const policy = await loadPolicySnapshot({ ...(run.policy ? { policy: run.policy } : {}), ...(run.preset ? { preset: run.preset } : {}), cwd: req.cwd, home }, join(run.wardenHome, 'cache'), run.build);
    let results: Judged[] = [];
    let verdict: Verdict;
    const extra: Partial<AuditEvent> = {};
    if (req.phase === 'post-tool') {
      const scan = await scanOutput(req.output, policy);
      verdict = scan.verdict;
      if (scan.findings.length) extra.findings = scan.findings;
      extra.summary = scan.summary;
    } else if (req.phase !== 'other') {
      const actions = actionsFor(run.agent, req, home);
      if (req.phase === 'prompt' && req.prompt !== undefined) {
        const found = await scanPrompt(req.prompt);
        for (const a of actions) a.capabilities = found;
      }
      await classifyTools(actions, join(run.wardenHome, 'cache'), run.build);
      results = await judge(policy, actions, run.wardenHome);
      verdict = verdictOf(req, results);
    } else {
      verdict = verdictOf(req, []);
    }
    try {
      writeHookEvents(await eventsFor(run, req, results, verdict, extra), run.wardenHome);
    } catch (err) {
      return protocol.failClosed(req.event, `Warden could not write its audit log in ${run.wardenHome} (${(err as Error).message}); nothing runs unrecorded. Fix the folder's permissions or free some space.`);
    }
    return protocol.answer(req, verdict);
  } catch (err) {
    const message =
      err instanceof HookInputError
        ? `Warden could not read the ${run.agent} hook payload: ${err.message}.`
        : err instanceof PolicyError
          ? `Warden's policy is invalid, so nothing is allowed until it is fixed:\n${err.message}`
          : `Warden failed while deciding (${(err as Error)?.message ?? String(err)}); denied to be safe.`;
    return protocol.failClosed(req?.event, message);
  }
}
