// The shape of a detector. A rule is one module: metadata, the subjects it checks, and its own
// valid/invalid cases (run by test/unit/rules.test.ts, in the manner of ESLint's RuleTester).
// Rules never format output and never resolve lines: they say *which value* is at fault
// (a server field, a config path, a text offset) and the scan engine turns that into a location.
import type { Category, ConfigFormat, CoverageEntry, DefinitionKind, InstructionKind, McpDefinition, OwaspId, Scope, ServerDecl, ServerInspection, Severity } from '../core/types.js';
import type { DefinitionText } from '../inspect/texts.js';
import type { DriftEntry } from '../inspect/drift.js';
import type { JudgeVerdict } from '../inspect/judge.js';
import type { ConfigDocument, PathSegment } from '../parse/document.js';

export interface RuleMeta {
  id: string;
  title: string;
  /** One paragraph for the README and SARIF `fullDescription`. */
  description: string;
  severity: Severity;
  category: Category;
  owasp: OwaspId[];
  remediation: string;
}

/** A value inside a server declaration, independent of how the client's format spells it. */
export type ServerField =
  | { field: 'name' }
  | { field: 'command' }
  | { field: 'args'; index: number }
  | { field: 'env'; key: string }
  | { field: 'headers'; key: string }
  | { field: 'url' }
  | { field: 'cwd' };

/**
 * Where a hit is: a server field, a config path, a text offset (instruction files, raw config
 * text), or a definition's field by JSON pointer with an optional character range inside it.
 */
export type HitAt =
  | ServerField
  | { path: readonly PathSegment[] }
  | { offset: number; length?: number }
  | { pointer: string; offset?: number; length?: number };

export interface RuleHit {
  message: string;
  /** Already redacted when it may hold a secret (see redact() in detect/secrets). */
  evidence?: string;
  /** Overrides the rule's default severity for this hit. */
  severity?: Severity;
  at?: HitAt;
  /** Distinguishes two hits of one rule at one location, for the fingerprint. */
  key?: string;
}

export interface DefinitionSetHit extends RuleHit {
  /** The definition the hit is anchored at; the message names the others involved. */
  server: string;
  def: McpDefinition;
}

export interface ServerSubject {
  server: ServerDecl;
  /** The set of every server name declared anywhere in this scan (for shadowing/typosquat checks). */
  allServerNames: ReadonlySet<string>;
  /** Organisation allowlist, when one is given: server names and package specs. */
  allowlist?: Allowlist;
}

export interface Allowlist {
  file: string;
  /** Entries: a server name, a package name (`@scope/pkg`), an image (`ghcr.io/x/y`), or a URL prefix. */
  entries: string[];
}

export interface ConfigSubject {
  client: string;
  scope: Scope;
  doc: ConfigDocument;
  /** File mode bits from stat (permissions), for readability checks; 0 when unknown (Windows). */
  mode: number;
}

export interface InstructionSubject {
  path: string;
  kind: InstructionKind;
  scope: Scope;
  text: string;
}

/** One definition a live server showed (or a tools file holds), with its texts already extracted. */
export interface DefinitionSubject {
  def: McpDefinition;
  texts: readonly DefinitionText[];
  /** The definition held more than was extracted (see inspect/texts). */
  truncated?: 'depth' | 'count';
  /** `--judge`: what the model asked for a second opinion answered about this definition. */
  verdict?: JudgeVerdict;
  /** The server that listed it, when known. */
  server?: string;
  client?: string;
  /**
   * Names of the other tools the same server lists: a description may legitimately send the model
   * to a sibling ("call list_channels first"); naming another server's tool is shadowing.
   */
  siblings: ReadonlySet<string>;
}

/** Every definition one client's servers show, together: name collisions and toxic flows are properties of the set. */
export interface DefinitionSetSubject {
  client: string;
  entries: readonly { server: string; def: McpDefinition }[];
}

export interface Rule {
  meta: RuleMeta;
  checkServer?(subject: ServerSubject): RuleHit[] | Promise<RuleHit[]>;
  checkConfig?(subject: ConfigSubject): RuleHit[] | Promise<RuleHit[]>;
  checkInstruction?(subject: InstructionSubject): RuleHit[] | Promise<RuleHit[]>;
  /** Sees what discovery probed: a config that exists but could not be judged is itself a risk. */
  checkCoverage?(entry: CoverageEntry): RuleHit[];
  checkDefinition?(subject: DefinitionSubject): RuleHit[];
  /** Hits name the definition they are about with `definition` (server and name) on the hit. */
  checkDefinitionSet?(subject: DefinitionSetSubject): DefinitionSetHit[];
  /** Sees how connecting to each server went (`scan --connect`). */
  checkInspection?(inspection: ServerInspection): RuleHit[];
  /** Sees each difference between a server and its lockfile entry (rug pulls). */
  checkDrift?(drift: DriftEntry): RuleHit[];
  cases: RuleCases;
}

/** Inputs for a rule's own tests: each `invalid` case must produce at least one hit, each `valid` none. */
export interface RuleCases {
  valid: RuleCase[];
  invalid: RuleCase[];
}

export type RuleCase =
  | { name?: string; server: Partial<ServerDecl>; allowlist?: string[] }
  | { name?: string; config: { client: string; scope?: Scope; format: ConfigFormat; text: string; mode?: number } }
  | { name?: string; instruction: { kind?: InstructionKind; scope?: Scope; text: string } }
  | { name?: string; coverage: Partial<CoverageEntry> }
  | { name?: string; tool: Record<string, unknown>; kind?: DefinitionKind; siblings?: string[]; verdict?: JudgeVerdict }
  | { name?: string; toolset: { server: string; tool: Record<string, unknown> }[] }
  | { name?: string; inspection: Partial<ServerInspection> }
  | { name?: string; drift: Partial<DriftEntry> & Pick<DriftEntry, 'kind'> };

export function defineRule(rule: Rule): Rule {
  return rule;
}
