// Cursor: granular events with flat fields (beforeShellExecution `command`, beforeReadFile
// `file_path`, beforeMCPExecution `tool_name` + `tool_input` as JSON text + the server's `url` or
// `command`, beforeSubmitPrompt `prompt`) and a generic preToolUse/postToolUse with `tool_name`,
// `tool_input`. Hooks are installed with `failClosed: true`, under which an empty answer blocks,
// so every event gets an explicit JSON answer. See docs/HOOK-PROTOCOLS.md §3.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isObject } from '../core/json.js';
import { block, because, say } from './answer.js';
import { cwdOf, optionalString, phaseIn, requiredString, toolInput } from './payload.js';
import type { AgentProtocol, HookAnswer, HookRequest, Phase, Verdict } from './types.js';

/** Granular events name their tool implicitly; they are read as the generic tool they stand for. */
const GRANULAR: Readonly<Record<string, { phase: Phase; tool?: string; field?: string }>> = {
  beforeShellExecution: { phase: 'pre-tool', tool: 'Shell', field: 'command' },
  afterShellExecution: { phase: 'post-tool', tool: 'Shell', field: 'command' },
  beforeReadFile: { phase: 'pre-tool', tool: 'Read', field: 'file_path' },
  beforeTabFileRead: { phase: 'pre-tool', tool: 'TabRead', field: 'file_path' },
  afterFileEdit: { phase: 'post-tool', tool: 'Write', field: 'file_path' },
  afterTabFileEdit: { phase: 'post-tool', tool: 'TabWrite', field: 'file_path' },
  beforeMCPExecution: { phase: 'pre-tool' },
  afterMCPExecution: { phase: 'post-tool' },
  preToolUse: { phase: 'pre-tool' },
  postToolUse: { phase: 'post-tool' },
  beforeSubmitPrompt: { phase: 'prompt' },
};

/** Tools whose own granular hook (beforeShellExecution, beforeReadFile, beforeMCPExecution) also fires: judged there, once. */
const JUDGED_BY_GRANULAR_HOOK = /^(?:Shell|Read|MCP:.*)$/;

const phaseOf = phaseIn(Object.fromEntries(Object.entries(GRANULAR).map(([event, g]) => [event, g.phase])));
/** The only events whose answer can say `ask`. */
const CAN_ASK = new Set(['beforeShellExecution', 'beforeMCPExecution']);

/**
 * The name Cursor's mcp.json (the project's, then the user's) gives the server reached at `reach`
 * (its url, or its command line); else `reach` itself, so that a server allowlist still refuses it.
 */
function serverName(reach: string, cwd: string): string {
  for (const file of [join(cwd, '.cursor', 'mcp.json'), join(homedir(), '.cursor', 'mcp.json')]) {
    let servers: unknown;
    try {
      servers = (JSON.parse(readFileSync(file, 'utf8')) as { mcpServers?: unknown }).mcpServers;
    } catch {
      continue;
    }
    if (!isObject(servers)) continue;
    for (const [name, s] of Object.entries(servers)) {
      if (!isObject(s)) continue;
      const line = [s['command'], ...(Array.isArray(s['args']) ? s['args'] : [])].filter((w) => typeof w === 'string').join(' ');
      if (s['url'] === reach || (line !== '' && line === reach)) return name;
    }
  }
  return reach;
}

export const cursor: AgentProtocol = {
  id: 'cursor',
  read(payload) {
    const event = requiredString(payload, 'hook_event_name');
    const spec = Object.hasOwn(GRANULAR, event) ? GRANULAR[event]! : { phase: 'other' as const };
    const session = optionalString(payload, 'conversation_id') ?? optionalString(payload, 'session_id');
    const req: HookRequest = { event, phase: spec.phase, cwd: cwdOf(payload), ...(session ? { session } : {}) };
    if (spec.tool && spec.field) {
      req.tool = spec.tool;
      req.input = { [spec.field]: requiredString(payload, spec.field) };
      if (spec.phase === 'post-tool') req.output = payload['output'];
    } else if (spec.phase === 'pre-tool' || spec.phase === 'post-tool') {
      req.tool = requiredString(payload, 'tool_name');
      req.input = toolInput(payload, 'tool_input');
      if (event.endsWith('MCPExecution')) {
        // The payload names the server by how it is reached; its name is looked up in mcp.json.
        const reach = optionalString(payload, 'url') ?? optionalString(payload, 'command');
        if (reach !== undefined) req.server = serverName(reach, req.cwd);
      }
      if (spec.phase === 'post-tool') req.output = payload['result_json'] ?? payload['tool_output'];
      if (event === 'preToolUse' && JUDGED_BY_GRANULAR_HOOK.test(req.tool)) req.phase = 'other';
    } else if (spec.phase === 'prompt') req.prompt = requiredString(payload, 'prompt');
    return req;
  },
  answer(req: HookRequest, v: Verdict): HookAnswer {
    const reason = because(v.reason, v.rule);
    // Cursor 3.9 showed the model user_message, not agent_message; the npm types use camelCase.
    const messages = { user_message: reason, agent_message: reason, userMessage: reason, agentMessage: reason };
    switch (req.phase) {
      case 'pre-tool': {
        const effect = v.effect === 'ask' && !CAN_ASK.has(req.event) ? 'deny' : v.effect;
        if (effect === 'deny') return block({ permission: 'deny', ...messages }, reason);
        if (effect === 'ask') return say({ permission: 'ask', ...messages });
        if (v.updatedInput && req.event === 'preToolUse') return say({ permission: 'allow', updated_input: v.updatedInput });
        return say({ permission: 'allow' });
      }
      case 'prompt':
        if (v.effect === 'deny') return block({ continue: false, user_message: reason, userMessage: reason }, reason);
        return say({ continue: true, ...(v.effect === 'ask' ? { user_message: reason } : {}) });
      case 'post-tool':
        if (req.event === 'postToolUse' && v.updatedOutput !== undefined && req.tool?.startsWith('MCP:')) return say({ updated_mcp_tool_output: v.updatedOutput, ...(v.context ? { additional_context: v.context } : {}) });
        return say(v.context && req.event === 'postToolUse' ? { additional_context: v.context } : {});
      default:
        return say(req.event === 'preToolUse' ? { permission: 'allow' } : {});
    }
  },
  failClosed(event, reason) {
    return this.answer({ event: event ?? 'preToolUse', phase: phaseOf(event), cwd: '' }, { effect: 'deny', reason, rule: 'hook:error' });
  },
};
