// OpenAI Codex CLI: Claude Code's payloads, a stricter reader of answers. Any field Codex does not
// support makes it discard the whole answer and run the tool, so Warden sends the smallest deny
// there is; Codex cannot ask, so what needs a person is denied with that said; exit 2 blocks only
// with a non-empty stderr, which every deny has. See docs/HOOK-PROTOCOLS.md §5.
import { block, because, say, silent } from './answer.js';
import { phaseOf, readClaudeStyle } from './claude-code.js';
import type { AgentProtocol, HookAnswer, HookRequest, Verdict } from './types.js';

export const codex: AgentProtocol = {
  id: 'codex',
  read: readClaudeStyle,
  answer(req: HookRequest, v: Verdict): HookAnswer {
    const asked = v.effect === 'ask';
    const reason = because(asked ? `${v.reason} This needs a person's approval, which Codex hooks cannot ask for; run it yourself or allow it in warden.yaml.` : v.reason, v.rule);
    switch (req.phase) {
      case 'pre-tool':
        if (v.effect === 'deny' || asked) return block({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } }, reason);
        if (v.updatedInput) return say({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', updatedInput: v.updatedInput } });
        return silent;
      case 'permission':
        // PermissionRequest runs when Codex is about to ask the user: ask leaves that prompt alone.
        if (v.effect === 'deny') return block({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: reason } } }, reason);
        return silent;
      case 'post-tool':
        if (v.effect === 'deny') return block({ decision: 'block', reason }, reason);
        // Codex has no output rewrite; a block's reason replaces the result the model reads.
        if (v.updatedText !== undefined) return say({ decision: 'block', reason: v.updatedText });
        return silent;
      case 'prompt':
        if (v.effect === 'deny' || asked) return block({ decision: 'block', reason }, reason);
        return silent;
      default:
        return silent;
    }
  },
  failClosed(event, reason) {
    return this.answer({ event: event ?? 'PreToolUse', phase: phaseOf(event), cwd: '' }, { effect: 'deny', reason, rule: 'hook:error' });
  },
};
