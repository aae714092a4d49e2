// The vocabulary of runtime enforcement: what an agent wants to do (an Action), what the policy
// says about it (a Decision), and what a policy condition can see (the CEL context). Shared by
// the gateway, the coding-agent hooks and `warden policy`; no I/O.

/** What kind of thing the agent is doing. `tools/list` is judged per tool as `tool_list`. */
export const ACTION_KINDS = ['tool_call', 'tool_list', 'shell', 'file_read', 'file_write', 'fetch', 'prompt', 'resource_read', 'prompt_get'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const EFFECTS = ['allow', 'deny', 'ask', 'redact'] as const;
export type Effect = (typeof EFFECTS)[number];

/** One thing an agent wants to do now, from a gateway message or a hook payload. */
export interface Action {
  kind: ActionKind;
  /** The agent client (catalogue id: `claude-code`, `cursor`, …) and its own identity when known. */
  client?: string;
  agent?: { id?: string; name?: string; user?: string; host?: string };
  session?: {
    id?: string;
    /** Capabilities of what the session already did: `untrusted-input` once it read a web page. */
    taint?: string[];
    calls?: number;
    /** Tools the session called before this action, oldest first (the last 100): for sequence rules. */
    history?: string[];
  };
  /** MCP server name (tool_call, tool_list, resource_read, prompt_get). */
  server?: string;
  /** Tool name (tool_call, tool_list), or prompt / resource name. */
  tool?: string;
  /** Capability classes of the tool (inspect/capabilities): `egress`, `destructive`, … */
  capabilities?: string[];
  /** Tool arguments, or for built-in actions: `{command}`, `{path}`, `{url}`, `{prompt}`. */
  args?: Record<string, unknown>;
  /** The real locations (symlinks resolved) of the files the action reads or writes: for self-protection. */
  paths?: string[];
}

export interface Decision {
  effect: Effect;
  /** Id of the rule that decided, or `default:<kind>` / `mode:monitor`. */
  rule: string;
  reason: string;
  /** monitor mode: what enforce mode would have done (the effect above is then `allow`). */
  wouldHave?: Effect;
  /** For `redact`: argument paths (JSON pointers) whose values are replaced. */
  redact?: string[];
  /** OWASP ids (Agentic Top 10, MCP Top 10) the deciding rule names. */
  owasp?: string[];
}

/**
 * What a rule's `when` condition sees. Names follow the issue: `agent`, `session`, `server`,
 * `tool` (with its capability classes), `args`, `time`; plus `action` for the kind and client.
 */
export interface PolicyContext {
  action: { kind: ActionKind; client: string };
  agent: { id: string; name: string; user: string; host: string };
  session: { id: string; taint: string[]; calls: number; history: string[] };
  server: { name: string };
  tool: { name: string; capabilities: string[] };
  args: Record<string, unknown>;
  /** `now` as an RFC 3339 timestamp; `hour` (0–23, local) and `weekday` (0 = Sunday) for office-hours rules. */
  time: { now: string; hour: number; weekday: number };
}
