// Claude Code's hook protocol (also what Codex copies; codex.ts narrows it). Payload: common
// `hook_event_name`, `session_id`, `cwd`; tool events `tool_name`, `tool_input`, post
// `tool_response`; UserPromptSubmit `prompt`. Answers in `hookSpecificOutput`; see
// docs/HOOK-PROTOCOLS.md §2.
import { block, because, say, silent } from './answer.js';
import { phaseIn, readRequest, requiredString, SNAKE_CASE } from './payload.js';
import type { AgentProtocol, HookAnswer, HookRequest, Phase, Verdict } from './types.js';

const PHASES: Readonly<Record<string, Phase>> = {
  PreToolUse: 'pre-tool',
  PostToolUse: 'post-tool',
  PermissionRequest: 'permission',
  UserPromptSubmit: 'prompt',
};

export const phaseOf = phaseIn(PHASES);

export function readClaudeStyle(payload: Record<string, unknown>): HookRequest {
  const event = requiredString(payload, 'hook_event_name');
  return readRequest(payload, event, phaseOf(event), SNAKE_CASE);
}

export const claudeCode: AgentProtocol = {
  id: 'claude-code',
  read: readClaudeStyle,
  answer(req: HookRequest, v: Verdict): HookAnswer {
    const reason = because(v.reason, v.rule);
    switch (req.phase) {
      case 'pre-tool': {
        const out = (decision: string, extra: Record<string, unknown> = {}) => ({ hookSpecificOutput: { hookEventName: req.event, permissionDecision: decision, permissionDecisionReason: reason, ...extra } });
        if (v.effect === 'deny') return block(out('deny'), reason);
        if (v.effect === 'ask') return say(out('ask'));
        if (v.updatedInput) return say(out('allow', { updatedInput: v.updatedInput }));
        return silent;
      }
      case 'permission': {
        if (v.effect === 'deny') return block({ hookSpecificOutput: { hookEventName: req.event, decision: { behavior: 'deny', message: reason } } }, reason);
        if (v.updatedInput) return say({ hookSpecificOutput: { hookEventName: req.event, decision: { behavior: 'allow', updatedInput: v.updatedInput } } });
        // ask and allow: the user's own permission prompt goes ahead; Warden does not approve for them.
        return silent;
      }
      case 'post-tool': {
        if (v.effect === 'deny') return block({ decision: 'block', reason }, reason);
        const mcp = req.tool?.startsWith('mcp__');
        const out: Record<string, unknown> = { hookEventName: req.event };
        if (v.updatedOutput !== undefined) out[mcp ? 'updatedMCPToolOutput' : 'updatedToolOutput'] = v.updatedOutput;
        if (v.context) out['additionalContext'] = v.context;
        return Object.keys(out).length > 1 ? say({ hookSpecificOutput: out }) : silent;
      }
      case 'prompt': {
        if (v.effect === 'deny') return block({ decision: 'block', reason }, reason);
        if (v.effect === 'ask') return say({ systemMessage: reason });
        return silent;
      }
      default:
        return silent;
    }
  },
  failClosed(event, reason) {
    return this.answer({ event: event ?? 'PreToolUse', phase: phaseOf(event), cwd: '' }, { effect: 'deny', reason, rule: 'hook:error' });
  },
};
