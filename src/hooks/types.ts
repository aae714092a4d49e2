// The shape every coding agent's hook call is read into, and what Warden answers. Each agent's
// module (claude-code.ts, cursor.ts, ...) reads its payload into a HookRequest and writes a Verdict
// back in its own protocol; everything between (the action, the policy, the audit) is shared, so an
// identical action gets an identical decision whichever agent asked.
import type { Effect } from '../policy/types.js';

export const HOOK_AGENTS = ['claude-code', 'cursor', 'gemini', 'codex', 'copilot'] as const;
export type HookAgent = (typeof HOOK_AGENTS)[number];

/**
 * Where in the agent's loop the hook runs: before a tool runs (it can be blocked), after it ran
 * (its output can be rewritten where the agent allows), when the agent is about to ask the user
 * for permission, when a prompt is submitted, or anything else (session start, stop: recorded only).
 */
export type Phase = 'pre-tool' | 'post-tool' | 'permission' | 'prompt' | 'other';

export interface HookRequest {
  /** The event name exactly as the agent sent it. */
  event: string;
  phase: Phase;
  session?: string;
  /** The agent's working directory: relative paths and the project policy are found from it. */
  cwd: string;
  /** The agent's own name for the tool (`Bash`, `run_shell_command`, `mcp__github__create_issue`). */
  tool?: string;
  /** The tool's arguments, decoded (Copilot and Cursor send some as JSON text). */
  input?: Record<string, unknown>;
  /** post-tool: what the tool returned, in the agent's shape. */
  output?: unknown;
  /** prompt: the text the user submitted. */
  prompt?: string;
  /** MCP server named by the payload itself (Cursor's beforeMCPExecution gives its url or command). */
  server?: string;
}

export interface Verdict {
  effect: Effect;
  reason: string;
  rule: string;
  /** The arguments to run instead (a `redact` decision), where the protocol can rewrite them. */
  updatedInput?: Record<string, unknown>;
  /** post-tool: the output to show the model instead (secrets redacted), in the agent's shape. */
  updatedOutput?: unknown;
  /** post-tool: `updatedOutput` as plain text, for agents that replace a result with a string. */
  updatedText?: string;
  /** A note for the model (a flagged injection in a result). */
  context?: string;
}

export interface HookAnswer {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface AgentProtocol {
  id: HookAgent;
  /** Reads a payload; throws HookInputError naming the field when a required one is missing or wrong. */
  read(payload: Record<string, unknown>): HookRequest;
  /** The answer for a verdict. An `allow` that no rule asked for says nothing: the agent's own permissions still apply. */
  answer(request: HookRequest, verdict: Verdict): HookAnswer;
  /** The deny to give when the payload could not be read or decided (`event` when it is known). */
  failClosed(event: string | undefined, reason: string): HookAnswer;
}
