// GitHub Copilot (CLI and cloud agent): camelCase payloads `toolName`, `toolArgs` (JSON text on
// the CLI, an object from the SDK), `toolResult`, `prompt`, and no event name: the installed
// command passes it (`warden hook copilot preToolUse`), else it is inferred from the fields.
// Exit 2 is only a warning for preToolUse, so a deny is the JSON `permissionDecision`, at exit 0.
// Payloads in the VS Code-compatible PascalCase form are read like Claude Code's. See
// docs/HOOK-PROTOCOLS.md §6.
import { because, say, silent } from './answer.js';
import { readClaudeStyle } from './claude-code.js';
import { optionalString, phaseIn, readRequest } from './payload.js';
import type { AgentProtocol, HookAnswer, HookRequest, Phase, Verdict } from './types.js';

const PHASES: Readonly<Record<string, Phase>> = {
  preToolUse: 'pre-tool',
  PreToolUse: 'pre-tool',
  postToolUse: 'post-tool',
  PostToolUse: 'post-tool',
  permissionRequest: 'permission',
  userPromptSubmitted: 'prompt',
  UserPromptSubmit: 'prompt',
};
const phaseOf = phaseIn(PHASES);
const CAMEL_CASE = { session: 'sessionId', tool: 'toolName', input: 'toolArgs', output: 'toolResult' };

function inferEvent(payload: Record<string, unknown>): string {
  if (payload['toolResult'] !== undefined) return 'postToolUse';
  if (payload['toolName'] !== undefined) return 'preToolUse';
  if (payload['prompt'] !== undefined) return 'userPromptSubmitted';
  return 'notification';
}

export function copilotWith(eventArg: string | undefined): AgentProtocol {
  return {
    id: 'copilot',
    read(payload) {
      if (typeof payload['hook_event_name'] === 'string') return readClaudeStyle(payload);
      const event = eventArg ?? optionalString(payload, 'hookEventName') ?? inferEvent(payload);
      return readRequest(payload, event, phaseOf(event), CAMEL_CASE);
    },
    answer(req: HookRequest, v: Verdict): HookAnswer {
      const reason = because(v.reason, v.rule);
      switch (req.phase) {
        case 'pre-tool':
          if (v.effect === 'deny' || v.effect === 'ask') return say({ permissionDecision: v.effect, permissionDecisionReason: reason });
          if (v.updatedInput) return say({ permissionDecision: 'allow', modifiedArgs: v.updatedInput });
          return silent;
        case 'permission':
          if (v.effect === 'deny') return say({ behavior: 'deny', message: reason });
          return silent;
        case 'post-tool':
          if (v.effect === 'deny') return say({ modifiedResult: { resultType: 'denied', textResultForLlm: reason } });
          if (v.updatedText !== undefined) return say({ modifiedResult: { resultType: 'success', textResultForLlm: v.updatedText }, ...(v.context ? { additionalContext: v.context } : {}) });
          return v.context ? say({ additionalContext: v.context }) : silent;
        default:
          // Copilot reads nothing from userPromptSubmitted: a prompt can only be recorded.
          return silent;
      }
    },
    failClosed(event, reason) {
      return this.answer({ event: event ?? eventArg ?? 'preToolUse', phase: phaseOf(event ?? eventArg), cwd: '' }, { effect: 'deny', reason, rule: 'hook:error' });
    },
  };
}
