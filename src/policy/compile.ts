// From a validated policy document (plain data, what load.ts reads out of `warden.yaml`) to the
// evaluator's form: name globs become matchers, and `when` conditions are compiled now (the
// gateway, `warden policy`) or later, only for the rules an action reaches (the hooks, which start
// a process per agent action and must not load the CEL compiler to judge an `ls`). Imports nothing
// heavy: the YAML reader and the CEL compiler stay out of a hook's start-up.
import picomatch from 'picomatch';
import type { ActionKind, Effect } from './types.js';
import type { CompiledCondition } from './cel.js';

export const MODES = ['enforce', 'monitor'] as const;
export type Mode = (typeof MODES)[number];

/** Matches a name against the glob list of a `match` field; absent means any. */
export type NameMatcher = (name: string | undefined) => boolean;

/** A rule's `match` as written: each list absent means any. */
export interface MatchDocument {
  kind?: ActionKind[];
  client?: string[];
  agent?: string[];
  server?: string[];
  tool?: string[];
  /** Any of these classes among the action's capabilities (tool classes, shell and path classes). */
  capabilities?: string[];
}

export interface RuleDocument {
  id: string;
  match: MatchDocument;
  when?: string;
  effect: Effect;
  reason: string;
  redact: string[];
  owasp: string[];
  line: number;
}

export interface RateLimitDocument {
  per: 'agent' | 'server' | 'tool';
  limit: number;
  windowMs: number;
  server?: string[];
  tool?: string[];
  effect: Effect;
}

export interface ArgumentChecks {
  /** Paths in arguments must lie within one of these (after `~`, `..` and symlinks are resolved). */
  roots?: string[];
  /** URLs in arguments must point to one of these hosts (globs: `*.example.com`). */
  hosts?: string[];
  /** Effect for a path or URL outside the lists. */
  effect: Effect;
  /** Effect for shell metacharacters in an argument named like a command (`command`, `cmd`, `script`). */
  shell: Effect;
}

export const SECRET_HANDLING = ['redact', 'allow'] as const;
export const INJECTION_HANDLING = ['flag', 'wrap', 'block'] as const;

export interface ResponsePolicy {
  /** Credentials in a tool result: replaced before the model sees them, or left. */
  secrets: (typeof SECRET_HANDLING)[number];
  /** Instructions aimed at the model in a tool result: recorded (and the session tainted), wrapped in a warning, or the result withheld. */
  injection: (typeof INJECTION_HANDLING)[number];
}

/** A policy as validated data: JSON-serialisable, so a hook can keep it in a cache file. */
export interface PolicyDocument {
  /** The file it came from, or `preset:<name>`. */
  source: string;
  /** `sha256:<hex>` of the policy text. */
  version: string;
  mode: Mode;
  defaults: Record<ActionKind, Effect>;
  servers?: { patterns: string[]; unknown: Effect };
  pinning: { lockfile?: string; require: boolean };
  arguments: ArgumentChecks;
  responses: ResponsePolicy;
  rateLimits: RateLimitDocument[];
  rules: RuleDocument[];
}

export interface CompiledRule {
  id: string;
  kinds: ReadonlySet<ActionKind> | undefined;
  client: NameMatcher;
  agent: NameMatcher;
  server: NameMatcher;
  tool: NameMatcher;
  /** Any-of classes the action's capabilities must include; absent means any. */
  capabilities: readonly string[] | undefined;
  /** `condition` is absent until compiled (see prepareConditions in conditions.ts). */
  when?: { source: string; condition?: CompiledCondition };
  effect: Effect;
  reason: string;
  /** For `redact`: JSON pointers into the arguments whose values are replaced. */
  redact: string[];
  owasp: string[];
  /** Where the rule is written, for explain and errors. */
  line: number;
}

export interface RateLimit {
  per: 'agent' | 'server' | 'tool';
  limit: number;
  windowMs: number;
  server: NameMatcher;
  tool: NameMatcher;
  effect: Effect;
}

export interface PolicySpec {
  source: string;
  /** `sha256:<hex>` of the policy text: which policy decided, in receipts and the audit log. */
  version: string;
  mode: Mode;
  defaults: Readonly<Record<ActionKind, Effect>>;
  /** Allowed servers (globs); absent: every server. */
  servers?: { allow: NameMatcher; patterns: string[]; unknown: Effect };
  pinning: { lockfile?: string; require: boolean };
  /** Built-in argument checks (gateway): absent lists switch a check off. */
  arguments: ArgumentChecks;
  /** What the gateway does with what a tool returns. */
  responses: ResponsePolicy;
  rateLimits: RateLimit[];
  rules: CompiledRule[];
}

/** `*` and `**` globs over names (servers, tools, clients, agents); a name is never a path, so `*` crosses `/`. */
export function nameMatcher(patterns: readonly string[] | undefined): NameMatcher {
  if (!patterns || patterns.length === 0 || patterns.includes('*')) return () => true;
  const test = picomatch([...patterns], { dot: true, nonegate: false, bash: true });
  return (name) => name !== undefined && test(name);
}

/**
 * The evaluator's form of a validated document. With `compile`, every condition is compiled now;
 * without it, conditions wait for prepareConditions (a document only reaches here once it has
 * been validated, conditions included, so a later compile cannot fail on a well-formed cache).
 */
export function compilePolicy(doc: PolicyDocument, compile?: (source: string) => CompiledCondition): PolicySpec {
  const rules: CompiledRule[] = doc.rules.map((r) => ({
    id: r.id,
    kinds: r.match.kind ? new Set(r.match.kind) : undefined,
    client: nameMatcher(r.match.client),
    agent: nameMatcher(r.match.agent),
    server: nameMatcher(r.match.server),
    tool: nameMatcher(r.match.tool),
    capabilities: r.match.capabilities && r.match.capabilities.length ? r.match.capabilities : undefined,
    ...(r.when !== undefined ? { when: compile ? { source: r.when, condition: compile(r.when) } : { source: r.when } } : {}),
    effect: r.effect,
    reason: r.reason,
    redact: r.redact,
    owasp: r.owasp,
    line: r.line,
  }));
  return {
    source: doc.source,
    version: doc.version,
    mode: doc.mode,
    defaults: doc.defaults,
    ...(doc.servers ? { servers: { allow: nameMatcher(doc.servers.patterns.length ? doc.servers.patterns : ['\0none']), patterns: doc.servers.patterns, unknown: doc.servers.unknown } } : {}),
    pinning: doc.pinning,
    arguments: doc.arguments,
    responses: doc.responses,
    rateLimits: doc.rateLimits.map((l) => ({ per: l.per, limit: l.limit, windowMs: l.windowMs, server: nameMatcher(l.server), tool: nameMatcher(l.tool), effect: l.effect })),
    rules,
  };
}
