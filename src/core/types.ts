// Warden's shared vocabulary. This module has no I/O and imports nothing at run time, so every
// other layer (discovery, rules, reports, later the gateway and hooks) can depend on it.

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse. `info` is advisory: it never counts as a detection or fails a CI gate. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
}

export const CATEGORIES = [
  'secret',
  'privilege',
  'supply-chain',
  'injection',
  'config',
  'poisoning',
  'toxic-flow',
  'rug-pull',
  'vulnerability',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** OWASP Top 10 for Agentic Applications (2026). */
export const OWASP_AGENTIC = {
  ASI01: 'Agent Goal Hijack',
  ASI02: 'Tool Misuse and Exploitation',
  ASI03: 'Identity and Privilege Abuse',
  ASI04: 'Agentic Supply Chain Vulnerabilities',
  ASI05: 'Unexpected Code Execution',
  ASI06: 'Memory and Context Poisoning',
  ASI07: 'Insecure Inter-Agent Communication',
  ASI08: 'Cascading Failures',
  ASI09: 'Human-Agent Trust Exploitation',
  ASI10: 'Rogue Agents',
} as const;
export type OwaspId = keyof typeof OWASP_AGENTIC;

export type OsName = 'linux' | 'macos' | 'windows';
export const ALL_OS: readonly OsName[] = ['linux', 'macos', 'windows'];

/** Where a configuration applies: the user's own, one repository, the machine (admin-managed), or a plugin. */
export type Scope = 'user' | 'project' | 'managed' | 'plugin';

export type ConfigFormat = 'json' | 'jsonc' | 'toml' | 'yaml';

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Where a finding or a declaration lives. `file` is absolute; `pointer` is an RFC 6901 JSON pointer inside a config. */
export interface Location {
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
  client?: string;
  server?: string;
  tool?: string;
  /** Kind of the MCP definition `tool` names, when it is not a tool (a prompt, resource, the instructions). */
  definition?: DefinitionKind;
  /** UTF-16 character range inside the string at `pointer` (a definition's text), end exclusive. */
  range?: { start: number; end: number };
}

export interface Client {
  id: string;
  name: string;
  installed: boolean;
  version?: string;
  /** Config files that exist for this client, absolute paths. */
  configFiles: string[];
}

export type Transport = 'stdio' | 'http' | 'sse' | 'unknown';

/** One MCP server as a client declares it. Values are kept in memory for the rules; reports print only names. */
export interface ServerDecl {
  /** Stable identity: client, file and name. */
  id: string;
  name: string;
  client: string;
  scope: Scope;
  transport: Transport;
  command?: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  url?: string;
  headers: Record<string, string>;
  disabled: boolean;
  file: string;
  /** JSON pointer of the server's own entry in `file`; a child pointer locates each value. */
  pointer: string;
  line: number;
  column: number;
}

export type InstructionKind =
  | 'claude-md'
  | 'agents-md'
  | 'gemini-md'
  | 'cursorrules'
  | 'cursor-rule'
  | 'copilot-instructions'
  | 'windsurfrules'
  | 'clinerules'
  | 'skill'
  | 'command';

export interface InstructionFile {
  path: string;
  kind: InstructionKind;
  scope: Scope;
  /** Clients this file steers. */
  clients: string[];
  bytes: number;
  sha256: string;
}

/** What a server shows the model: a tool, a prompt, a resource or template, or its `instructions`. */
export type DefinitionKind = 'tool' | 'prompt' | 'resource' | 'resource-template' | 'instructions';

/**
 * One definition exactly as a server sent it. Detectors read every text inside `raw` (poison hides
 * in schema property descriptions and enum values as often as in the description), and the
 * lockfile hashes its canonical form, so nothing is dropped or normalised here.
 */
export interface McpDefinition {
  kind: DefinitionKind;
  /** `name` for tools and prompts, `uri` for resources, `uriTemplate` for templates, `instructions` for the server's instructions. */
  name: string;
  /** A JSON object. For `instructions`: `{ "instructions": "<text>" }`. */
  raw: Record<string, unknown>;
}

/** 2025-era servers negotiate with `initialize` and sessions; 2026-07-28 servers are stateless (`server/discover`). */
export type ProtocolEra = 'legacy' | 'modern';

/** The outcome of connecting to one declared server and listing what it offers. It never calls a tool. */
export interface ServerInspection {
  /** `ServerDecl.id` of the declaration that was inspected. */
  serverId: string;
  server: string;
  client: string;
  scope: Scope;
  /** `skipped`: not started (no consent, out of `--connect=user`, disabled, no command or URL). */
  status: 'ok' | 'failed' | 'skipped';
  /** Why it failed or was skipped, one line, secrets redacted. */
  reason?: string;
  protocolVersion?: string;
  era?: ProtocolEra;
  /** `serverInfo` from `initialize` or `server/discover`, as the server reports itself. */
  serverInfo?: { name: string; version?: string; title?: string };
  /** Tools, prompts, resources, resource templates, and the server's instructions when it sent any. */
  definitions: McpDefinition[];
  durationMs: number;
}

export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  owasp: OwaspId[];
  title: string;
  message: string;
  location: Location;
  /** Redacted: secrets keep only their first 4 characters. */
  evidence?: string;
  remediation: string;
  /** Stable across runs and machines for the same problem in the same place. */
  fingerprint: string;
  /** Present when an inline suppression or ignore entry silenced this finding. */
  suppressed?: { reason: string; source: string };
}

export type CoverageStatus = 'found' | 'not-present' | 'unreadable' | 'parse-error' | 'skipped';

export interface CoverageEntry {
  client: string;
  scope: Scope;
  /** The operating-system layouts under which this path was probed. */
  os: OsName[];
  path: string;
  status: CoverageStatus;
  detail?: string;
}

export interface Inventory {
  clients: Client[];
  servers: ServerDecl[];
  instructionFiles: InstructionFile[];
  /** With `--connect`: what each server showed the model. */
  inspections?: ServerInspection[];
}

export interface ScanWarning {
  file?: string;
  message: string;
}
