// Gemini CLI: `hook_event_name`, `session_id`, `cwd`; BeforeTool/AfterTool carry `tool_name`,
// `tool_input` (AfterTool adds `tool_response`), BeforeAgent the user's `prompt`. Anything on
// stdout that is not JSON counts as allow, so Warden prints exactly one object or nothing, and
// logs only to stderr. See docs/HOOK-PROTOCOLS.md §4.
import { block, because, say, silent } from './answer.js';
import { phaseIn, readRequest, requiredString, SNAKE_CASE } from './payload.js';
import type { AgentProtocol, HookAnswer, HookRequest, Phase, Verdict } from './types.js';

const PHASES: Readonly<Record<string, Phase>> = { BeforeTool: 'pre-tool', AfterTool: 'post-tool', BeforeAgent: 'prompt' };
const phaseOf = phaseIn(PHASES);

export const gemini: AgentProtocol = {
  id: 'gemini',
  read(payload) {
    const event = requiredString(payload, 'hook_event_name');
    return readRequest(payload, event, phaseOf(event), SNAKE_CASE);
  },
  answer(req: HookRequest, v: Verdict): HookAnswer {
    const reason = because(v.reason, v.rule);
    switch (req.phase) {
      case 'pre-tool':
        if (v.effect === 'deny') return block({ decision: 'deny', reason }, reason);
        if (v.effect === 'ask') return say({ decision: 'ask', reason, systemMessage: reason });
        if (v.updatedInput) return say({ hookSpecificOutput: { hookEventName: 'BeforeTool', tool_input: v.updatedInput } });
        return silent;
      case 'post-tool':
        if (v.effect === 'deny') return block({ decision: 'deny', reason }, reason);
        // AfterTool's deny replaces the result with its reason: the redacted text.
        if (v.updatedText !== undefined) return say({ decision: 'deny', reason: v.updatedText, ...(v.context ? { hookSpecificOutput: { hookEventName: 'AfterTool', additionalContext: v.context } } : {}) });
        if (v.context) return say({ hookSpecificOutput: { hookEventName: 'AfterTool', additionalContext: v.context } });
        return silent;
      case 'prompt':
        if (v.effect === 'deny') return block({ decision: 'deny', reason }, reason);
        if (v.effect === 'ask') return say({ systemMessage: reason });
        return silent;
      default:
        return silent;
    }
  },
  failClosed(event, reason) {
    return this.answer({ event: event ?? 'BeforeTool', phase: phaseOf(event), cwd: '' }, { effect: 'deny', reason, rule: 'hook:error' });
  },
};
