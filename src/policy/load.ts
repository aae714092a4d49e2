// Reading `warden.yaml`: every problem is reported at once with file:line:column and the field at
// fault (a policy is edited by hand and a CI run that shows one error at a time wastes an hour),
// unknown keys are errors (a misspelt `efect:` must not silently allow), and every `when`
// condition is compiled here, so an invalid policy never reaches the evaluator: it stops start-up.
import { createHash } from 'node:crypto';
import { isObject } from '../core/json.js';
import { parseConfig, ConfigParseError, type ConfigDocument, type PathSegment } from '../parse/document.js';
import { ACTION_KINDS, EFFECTS, type ActionKind, type Effect } from './types.js';
import { compileCondition, type CompiledCondition } from './cel.js';
import {
  compilePolicy, INJECTION_HANDLING, MODES, SECRET_HANDLING,
  type ArgumentChecks, type MatchDocument, type Mode, type PolicyDocument, type PolicySpec, type RateLimitDocument, type ResponsePolicy, type RuleDocument,
} from './compile.js';
import type { PolicyProblem } from './load-errors.js';

export const POLICY_VERSION = 1;
export { MODES, SECRET_HANDLING, INJECTION_HANDLING, compilePolicy } from './compile.js';
export { PolicyError, type PolicyProblem } from './load-errors.js';
export type { Mode, NameMatcher, CompiledRule, RateLimit, ArgumentChecks, ResponsePolicy, PolicySpec, PolicyDocument, RuleDocument } from './compile.js';

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a map' : `${typeof v} ${JSON.stringify(v)}`);

const DURATION = /^(\d{1,9})\s*(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

class Reader {
  readonly problems: PolicyProblem[] = [];
  constructor(private readonly doc: ConfigDocument) {}

  problem(path: readonly PathSegment[], message: string): void {
    const pos = this.doc.locate(path);
    const where = path.length ? `${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '')}: ` : '';
    this.problems.push({ file: this.doc.path, line: pos.line, column: pos.column, message: `${where}${message}` });
  }

  /** Unknown keys are errors: a typo must not change what the policy means. */
  keys(obj: Record<string, unknown>, path: readonly PathSegment[], allowed: readonly string[]): void {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) this.problem([...path, k], `unknown key; expected one of ${allowed.join(', ')}`);
  }

  oneOf<T extends string>(v: unknown, path: readonly PathSegment[], choices: readonly T[]): T | undefined {
    if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
    this.problem(path, `expected one of ${choices.join(', ')}, found ${describe(v)}`);
    return undefined;
  }

  strings(v: unknown, path: readonly PathSegment[]): string[] | undefined {
    if (v === undefined) return undefined;
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && x.length > 0)) {
      this.problem(path, `expected a name or a list of names, found ${describe(v)}`);
      return undefined;
    }
    return list as string[];
  }
}

function readMatch(r: Reader, v: unknown, path: PathSegment[]): MatchDocument {
  if (v === undefined) return {};
  if (!isObject(v)) {
    r.problem(path, `expected a map of kind, client, agent, server, tool, capabilities; found ${describe(v)}`);
    return {};
  }
  r.keys(v, path, ['kind', 'client', 'agent', 'server', 'tool', 'capabilities']);
  const kinds = r.strings(v['kind'], [...path, 'kind']);
  for (const [i, k] of (kinds ?? []).entries()) {
    if (!(ACTION_KINDS as readonly string[]).includes(k)) r.problem([...path, 'kind', ...(Array.isArray(v['kind']) ? [i] : [])], `unknown action kind "${k}"; expected ${ACTION_KINDS.join(', ')}`);
  }
  const out: MatchDocument = {};
  if (kinds) out.kind = kinds as ActionKind[];
  for (const key of ['client', 'agent', 'server', 'tool', 'capabilities'] as const) {
    const list = r.strings(v[key], [...path, key]);
    if (list) out[key] = list;
  }
  return out;
}

function readRule(r: Reader, v: unknown, i: number, seen: Set<string>, doc: ConfigDocument, conditions: Map<string, CompiledCondition>): RuleDocument | undefined {
  const path: PathSegment[] = ['rules', i];
  if (!isObject(v)) {
    r.problem(path, `expected a rule (a map with id, match, when, effect, reason), found ${describe(v)}`);
    return undefined;
  }
  r.keys(v, path, ['id', 'match', 'when', 'effect', 'reason', 'redact', 'owasp']);
  const id = v['id'];
  if (typeof id !== 'string' || !/^[A-Za-z0-9][\w.-]{0,80}$/.test(id)) r.problem([...path, 'id'], `expected an id (letters, digits, "-", "_", "."), found ${describe(id)}`);
  else if (seen.has(id)) r.problem([...path, 'id'], `duplicate rule id "${id}"`);
  else seen.add(id);
  const effect = r.oneOf<Effect>(v['effect'], [...path, 'effect'], EFFECTS);
  const reason = v['reason'];
  if (typeof reason !== 'string' || reason.trim() === '') r.problem([...path, 'reason'], 'every rule needs a reason a human can read (it is what the agent and the audit log show)');
  let when: string | undefined;
  if (v['when'] !== undefined) {
    if (typeof v['when'] !== 'string') r.problem([...path, 'when'], `expected a CEL expression, found ${describe(v['when'])}`);
    else {
      const compiled = compileCondition(v['when']);
      if (compiled.ok) {
        when = v['when'];
        conditions.set(when, compiled.condition);
      }
      else r.problem([...path, 'when'], `invalid condition: ${compiled.error.message}${compiled.error.offset !== undefined ? ` (at character ${compiled.error.offset + 1})` : ''}`);
    }
  }
  const redact = r.strings(v['redact'], [...path, 'redact']) ?? [];
  if (effect === 'redact' && redact.length === 0) r.problem([...path, 'redact'], 'a redact rule names the argument pointers to redact, e.g. ["/password"]');
  for (const [j, p] of redact.entries()) if (!p.startsWith('/')) r.problem([...path, 'redact', j], `expected a JSON pointer starting with "/", found "${p}"`);
  const owasp = r.strings(v['owasp'], [...path, 'owasp']) ?? [];
  for (const [j, o] of owasp.entries()) if (!/^ASI(?:0[1-9]|10)$/.test(o)) r.problem([...path, 'owasp', j], `expected an OWASP Agentic id ASI01..ASI10, found "${o}"`);
  const match = readMatch(r, v['match'], [...path, 'match']);
  if (typeof id !== 'string' || !effect || typeof reason !== 'string') return undefined;
  return { id, match, ...(when !== undefined ? { when } : {}), effect, reason: reason.trim(), redact, owasp, line: doc.locate(path).line };
}

function readDefaults(r: Reader, v: unknown, base: Record<ActionKind, Effect>): Record<ActionKind, Effect> {
  const out = { ...base };
  if (v === undefined) return out;
  if (!isObject(v)) {
    r.problem(['defaults'], `expected a map from action kind to effect, found ${describe(v)}`);
    return out;
  }
  for (const [k, e] of Object.entries(v)) {
    if (!(ACTION_KINDS as readonly string[]).includes(k)) {
      r.problem(['defaults', k], `unknown action kind; expected ${ACTION_KINDS.join(', ')}`);
      continue;
    }
    const effect = r.oneOf<Effect>(e, ['defaults', k], EFFECTS);
    if (effect) out[k as ActionKind] = effect;
  }
  return out;
}

function readRateLimits(r: Reader, v: unknown): RateLimitDocument[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    r.problem(['rateLimits'], `expected a list, found ${describe(v)}`);
    return [];
  }
  const out: RateLimitDocument[] = [];
  v.forEach((item, i) => {
    const path: PathSegment[] = ['rateLimits', i];
    if (!isObject(item)) return r.problem(path, `expected a map with per, limit, window; found ${describe(item)}`);
    r.keys(item, path, ['per', 'limit', 'window', 'server', 'tool', 'effect']);
    const per = r.oneOf(item['per'], [...path, 'per'], ['agent', 'server', 'tool'] as const);
    const limit = item['limit'];
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) r.problem([...path, 'limit'], `expected a whole number of calls (at least 1), found ${describe(limit)}`);
    const window = typeof item['window'] === 'string' ? DURATION.exec(item['window'].trim()) : null;
    if (!window) r.problem([...path, 'window'], `expected a duration such as 1m, 30s or 1h, found ${describe(item['window'])}`);
    const effect = item['effect'] === undefined ? 'deny' : r.oneOf<Effect>(item['effect'], [...path, 'effect'], ['deny', 'ask']);
    if (per && typeof limit === 'number' && window && effect) {
      const server = r.strings(item['server'], [...path, 'server']);
      const tool = r.strings(item['tool'], [...path, 'tool']);
      out.push({ per, limit, windowMs: Number(window[1]) * UNIT_MS[window[2] as keyof typeof UNIT_MS], ...(server ? { server } : {}), ...(tool ? { tool } : {}), effect });
    }
  });
  return out;
}

const ALL_ALLOW = Object.fromEntries(ACTION_KINDS.map((k) => [k, 'allow'])) as Record<ActionKind, Effect>;

function readArgumentChecks(r: Reader, v: unknown): ArgumentChecks {
  const out: ArgumentChecks = { effect: 'deny', shell: 'allow' };
  if (v === undefined) return out;
  if (!isObject(v)) {
    r.problem(['arguments'], `expected a map with roots, hosts, effect and shell, found ${describe(v)}`);
    return out;
  }
  r.keys(v, ['arguments'], ['roots', 'hosts', 'effect', 'shell']);
  const roots = v['roots'] === undefined ? undefined : r.strings(v['roots'], ['arguments', 'roots']);
  const hosts = v['hosts'] === undefined ? undefined : r.strings(v['hosts'], ['arguments', 'hosts']);
  if (roots) out.roots = roots;
  if (hosts) out.hosts = hosts;
  if (v['effect'] !== undefined) out.effect = r.oneOf<Effect>(v['effect'], ['arguments', 'effect'], ['deny', 'ask']) ?? 'deny';
  if (v['shell'] !== undefined) out.shell = r.oneOf<Effect>(v['shell'], ['arguments', 'shell'], ['allow', 'ask', 'deny']) ?? 'deny';
  return out;
}

function readResponsePolicy(r: Reader, v: unknown): ResponsePolicy {
  const out: ResponsePolicy = { secrets: 'redact', injection: 'flag' };
  if (v === undefined) return out;
  if (!isObject(v)) {
    r.problem(['responses'], `expected a map with secrets and injection, found ${describe(v)}`);
    return out;
  }
  r.keys(v, ['responses'], ['secrets', 'injection']);
  if (v['secrets'] !== undefined) out.secrets = r.oneOf(v['secrets'], ['responses', 'secrets'], SECRET_HANDLING) ?? 'redact';
  if (v['injection'] !== undefined) out.injection = r.oneOf(v['injection'], ['responses', 'injection'], INJECTION_HANDLING) ?? 'block';
  return out;
}

export interface ReadPolicy {
  /** Set exactly when `problems` is empty. */
  document?: PolicyDocument;
  problems: PolicyProblem[];
  /** Every condition of the document, compiled while validating it. */
  conditions: Map<string, CompiledCondition>;
}

/** Parses and compiles a policy; `problems` is empty exactly when `policy` is set. */
export function parsePolicy(path: string, text: string): { policy?: PolicySpec; problems: PolicyProblem[] } {
  const { document, problems, conditions } = readPolicy(path, text);
  if (!document) return { problems };
  return { policy: compilePolicy(document, (source) => conditions.get(source)!), problems: [] };
}

/** Reads and validates a policy (conditions included) into plain data. */
export function readPolicy(path: string, text: string): ReadPolicy {
  const conditions = new Map<string, CompiledCondition>();
  let doc: ConfigDocument;
  try {
    doc = parseConfig(path, text, 'yaml');
  } catch (err) {
    if (err instanceof ConfigParseError) return { problems: [{ file: err.file, line: err.line, column: err.column, message: err.reason }], conditions };
    throw err;
  }
  const r = new Reader(doc);
  const data = doc.data;
  if (!isObject(data)) {
    r.problem([], `expected a policy (a map with version, mode, defaults, rules), found ${describe(data)}`);
    return { problems: r.problems, conditions };
  }
  r.keys(data, [], ['version', 'mode', 'defaults', 'servers', 'pinning', 'arguments', 'responses', 'rateLimits', 'rules']);
  if (data['version'] !== POLICY_VERSION) r.problem(['version'], `expected version: ${POLICY_VERSION}, found ${describe(data['version'])}`);
  const mode = data['mode'] === undefined ? 'enforce' : r.oneOf<Mode>(data['mode'], ['mode'], MODES);
  const defaults = readDefaults(r, data['defaults'], ALL_ALLOW);

  let servers: PolicyDocument['servers'];
  if (data['servers'] !== undefined) {
    const s = data['servers'];
    if (!isObject(s)) r.problem(['servers'], `expected a map with allow and unknown, found ${describe(s)}`);
    else {
      r.keys(s, ['servers'], ['allow', 'unknown']);
      const patterns = r.strings(s['allow'], ['servers', 'allow']) ?? [];
      const unknown = s['unknown'] === undefined ? 'deny' : r.oneOf<Effect>(s['unknown'], ['servers', 'unknown'], ['deny', 'ask', 'allow']);
      servers = { patterns, unknown: unknown ?? 'deny' };
    }
  }

  const pinning: PolicyDocument['pinning'] = { require: false };
  if (data['pinning'] !== undefined) {
    const p = data['pinning'];
    if (!isObject(p)) r.problem(['pinning'], `expected a map with lockfile and require, found ${describe(p)}`);
    else {
      r.keys(p, ['pinning'], ['lockfile', 'require']);
      if (p['lockfile'] !== undefined) {
        if (typeof p['lockfile'] !== 'string' || p['lockfile'] === '') r.problem(['pinning', 'lockfile'], `expected a path, found ${describe(p['lockfile'])}`);
        else pinning.lockfile = p['lockfile'];
      }
      if (p['require'] !== undefined) {
        if (typeof p['require'] !== 'boolean') r.problem(['pinning', 'require'], `expected true or false, found ${describe(p['require'])}`);
        else pinning.require = p['require'];
      }
    }
  }

  const args = readArgumentChecks(r, data['arguments']);
  const responses = readResponsePolicy(r, data['responses']);

  const rules: RuleDocument[] = [];
  if (data['rules'] !== undefined && !Array.isArray(data['rules'])) r.problem(['rules'], `expected a list of rules, found ${describe(data['rules'])}`);
  else {
    const seen = new Set<string>();
    (data['rules'] as unknown[] | undefined)?.forEach((v, i) => {
      const rule = readRule(r, v, i, seen, doc, conditions);
      if (rule) rules.push(rule);
    });
  }
  const rateLimits = readRateLimits(r, data['rateLimits']);
  if (r.problems.length > 0 || !mode) return { problems: r.problems, conditions };
  const version = `sha256:${createHash('sha256').update(text).digest('hex')}`;
  return { document: { source: path, version, mode, defaults, ...(servers ? { servers } : {}), pinning, arguments: args, responses, rateLimits, rules }, problems: [], conditions };
}
