// Agent settings that switch the human out of the loop: Claude Code's bypassPermissions and blanket
// Bash grants, Codex's danger-full-access sandbox and never-ask approvals, Gemini CLI's YOLO mode
// and trusted servers, VS Code's global auto-approve, Cursor's allow-everything shell rules, and
// the same switches passed on the command line of a server or a hook (--dangerously-skip-permissions).
// Each client's keys are one table; the check only walks it.
import { defineRule, type RuleHit } from './rule.js';
import type { Severity } from '../core/types.js';
import type { PathSegment } from '../parse/document.js';
import { classifyHostPath, commandLineCommands, assessCommand, describeHostPath, hookCommands, serverRiskHits, shellGrantReach, toolGrantReach } from '../detect/commands.js';

interface SafetySetting {
  clients: readonly string[];
  /** Path from the document root; `*` matches every key or index there. */
  path: readonly string[];
  severity: Severity;
  /** What is wrong with this value, or undefined when it is fine. `key` is the last path segment. */
  problem: (value: unknown, key: PathSegment) => string | undefined;
}

const CLAUDE = ['claude-code'];
const CODEX = ['codex'];
const GEMINI = ['gemini-cli'];
const VSCODE = ['vscode'];
const CURSOR = ['cursor'];
const ZED = ['zed'];

const is = (expected: unknown, problem: string) => (v: unknown) => (v === expected ? problem : undefined);
const grant = (tools: readonly string[], wordPrefix: boolean) => (v: unknown) => {
  const reach = typeof v === 'string' ? toolGrantReach(v, tools, wordPrefix) : undefined;
  return reach && `lets the agent run ${reach} without asking`;
};
/** VS Code terminal rules are `"command or /regex/": true | false | {approve: bool}`, keyed by the grant. */
const approvedKey = (v: unknown, key: PathSegment) => {
  const approved = v === true || (typeof v === 'object' && v !== null && (v as { approve?: unknown }).approve === true);
  const reach = approved && typeof key === 'string' ? shellGrantReach(key, true) : undefined;
  return reach && `auto-approves ${reach} in the terminal`;
};
const wideDirectory = (v: unknown) => {
  const kind = typeof v === 'string' ? classifyHostPath(v) : undefined;
  return kind && kind !== 'container-socket' ? `gives the agent ${describeHostPath(kind)}` : undefined;
};
/** VS Code settings sit at the root of settings.json and under `settings` in a .code-workspace file. */
const vscode = (key: string, severity: Severity, problem: SafetySetting['problem'], rest: string[] = []): SafetySetting[] => [
  { clients: VSCODE, path: [key, ...rest], severity, problem },
  { clients: VSCODE, path: ['settings', key, ...rest], severity, problem },
];

/** Settings that turn approvals or sandboxing off, per client. Verified against each client's settings reference. */
export const SAFETY_SETTINGS: readonly SafetySetting[] = [
  // Claude Code: code.claude.com/docs/en/settings, /iam (permission rules).
  { clients: CLAUDE, path: ['permissions', 'defaultMode'], severity: 'critical', problem: is('bypassPermissions', 'makes Claude Code run every tool without asking') },
  { clients: CLAUDE, path: ['permissions', 'allow', '*'], severity: 'high', problem: grant(['Bash'], false) },
  { clients: CLAUDE, path: ['projects', '*', 'allowedTools', '*'], severity: 'high', problem: grant(['Bash'], false) },
  { clients: CLAUDE, path: ['permissions', 'additionalDirectories', '*'], severity: 'medium', problem: wideDirectory },
  { clients: CLAUDE, path: ['enableAllProjectMcpServers'], severity: 'high', problem: is(true, "starts every MCP server a repository's .mcp.json declares without asking") },
  { clients: CLAUDE, path: ['skipDangerousModePermissionPrompt'], severity: 'medium', problem: is(true, 'skips the warning before bypass-permissions mode starts') },
  // Codex: developers.openai.com/codex/config-reference (top level and [profiles.<name>]).
  { clients: CODEX, path: ['sandbox_mode'], severity: 'high', problem: is('danger-full-access', 'runs Codex commands with no sandbox') },
  { clients: CODEX, path: ['profiles', '*', 'sandbox_mode'], severity: 'high', problem: is('danger-full-access', 'runs Codex commands with no sandbox') },
  { clients: CODEX, path: ['approval_policy'], severity: 'medium', problem: is('never', 'never asks before Codex runs a command') },
  { clients: CODEX, path: ['profiles', '*', 'approval_policy'], severity: 'medium', problem: is('never', 'never asks before Codex runs a command') },
  // Gemini CLI: schemas/settings.schema.json (v2 nested keys) and the v1 flat keys older installs keep.
  { clients: GEMINI, path: ['general', 'defaultApprovalMode'], severity: 'critical', problem: is('yolo', 'approves every tool call (YOLO mode)') },
  { clients: GEMINI, path: ['tools', 'approvalMode'], severity: 'critical', problem: is('yolo', 'approves every tool call (YOLO mode)') },
  { clients: GEMINI, path: ['yolo'], severity: 'critical', problem: is(true, 'approves every tool call (YOLO mode)') },
  { clients: GEMINI, path: ['tools', 'allowed', '*'], severity: 'high', problem: grant(['run_shell_command', 'ShellTool'], true) },
  { clients: GEMINI, path: ['allowedTools', '*'], severity: 'high', problem: grant(['run_shell_command', 'ShellTool'], true) },
  { clients: GEMINI, path: ['tools', 'autoAccept'], severity: 'low', problem: is(true, 'runs tool calls it considers read-only without asking') },
  { clients: GEMINI, path: ['autoAccept'], severity: 'low', problem: is(true, 'runs tool calls it considers read-only without asking') },
  { clients: GEMINI, path: ['mcpServers', '*', 'trust'], severity: 'medium', problem: is(true, "runs this server's tools without confirmation") },
  // VS Code (Copilot agent mode): chat.tools.global.autoApprove, formerly chat.tools.autoApprove.
  ...vscode('chat.tools.global.autoApprove', 'critical', is(true, 'approves every tool call in every workspace')),
  ...vscode('chat.tools.autoApprove', 'critical', is(true, 'approves every tool call in every workspace')),
  ...vscode('chat.tools.terminal.autoApprove', 'high', approvedKey, ['*']),
  // Cursor: cli-config.json / .cursor/cli.json permissions, permissions.json allowlists.
  { clients: CURSOR, path: ['permissions', 'allow', '*'], severity: 'high', problem: grant(['Shell'], true) },
  { clients: CURSOR, path: ['approvalMode'], severity: 'critical', problem: is('unrestricted', 'runs every tool call without asking') },
  { clients: CURSOR, path: ['terminalAllowlist', '*'], severity: 'high', problem: (v) => { const r = typeof v === 'string' ? shellGrantReach(v, true) : undefined; return r && `lets the agent run ${r} without asking`; } },
  // Zed: zed.dev/docs/ai/agent-panel (agent.always_allow_tool_actions; `assistant` in older versions).
  { clients: ZED, path: ['agent', 'always_allow_tool_actions'], severity: 'critical', problem: is(true, 'runs every tool action without confirmation') },
  { clients: ZED, path: ['assistant', 'always_allow_tool_actions'], severity: 'critical', problem: is(true, 'runs every tool action without confirmation') },
  { clients: CURSOR, path: ['mcpAllowlist', '*'], severity: 'medium', problem: (v) => (v === '*' || v === '*:*' ? 'runs every MCP tool without asking' : undefined) },
];

function* valuesAt(node: unknown, pattern: readonly string[], path: PathSegment[] = []): Generator<{ path: PathSegment[]; value: unknown }> {
  if (pattern.length === 0) {
    yield { path, value: node };
    return;
  }
  const [head, ...rest] = pattern as [string, ...string[]];
  if (Array.isArray(node)) {
    if (head === '*') for (const [i, v] of node.entries()) yield* valuesAt(v, rest, [...path, i]);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const obj = node as Record<string, unknown>;
  if (head === '*') for (const [k, v] of Object.entries(obj)) yield* valuesAt(v, rest, [...path, k]);
  else if (Object.prototype.hasOwnProperty.call(obj, head)) yield* valuesAt(obj[head], rest, [...path, head]);
}

function show(path: readonly PathSegment[], value: unknown): string {
  const p = path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');
  const v = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return `${p} = ${v && v.length > 80 ? v.slice(0, 79) + '…' : v}`;
}

export const agentSafetyDisabled = defineRule({
  meta: {
    id: 'agent-safety-disabled',
    title: 'Agent approvals or sandbox switched off',
    description:
      "An agent's own safety settings are off: Claude Code bypassPermissions or blanket Bash grants, Codex danger-full-access or approval_policy never, Gemini CLI YOLO mode or trusted servers, VS Code global auto-approve or broad terminal auto-approve rules, Cursor allow-everything shell rules, or a server or hook started with --dangerously-skip-permissions and similar switches. Anything that reaches the agent's context (a web page, an issue, a tool result) can then run commands without a human seeing them.",
    severity: 'high',
    category: 'privilege',
    owasp: ['ASI09', 'ASI02'],
    remediation:
      'Keep approvals on and grant narrow rules for the commands you trust (`Bash(npm run test:*)`, `git status`). Use sandboxed modes (Codex workspace-write, Claude Code sandbox) for unattended runs, and never grant a shell, interpreter, sudo or docker as a whole.',
  },
  checkServer: ({ server }) => serverRiskHits(server, ['agent-bypass']),
  checkConfig({ client, doc }) {
    const hits: RuleHit[] = [];
    for (const s of SAFETY_SETTINGS) {
      if (!s.clients.includes(client)) continue;
      for (const { path, value } of valuesAt(doc.data, s.path)) {
        const problem = s.problem(value, path[path.length - 1]!);
        if (!problem) continue;
        const shown = show(path, value);
        hits.push({ message: `${shown} ${problem}`, evidence: shown, severity: s.severity, at: { path }, key: shown });
      }
    }
    for (const hook of hookCommands(doc.data)) {
      for (const r of commandLineCommands(hook.command).flatMap(assessCommand)) {
        if (r.kind !== 'agent-bypass') continue;
        hits.push({ message: `A ${hook.event} hook ${r.message}: "${hook.command}"`, evidence: r.evidence, severity: r.severity, at: { path: hook.path }, key: r.id });
      }
    }
    return hits;
  },
  cases: {
    valid: [
      { name: 'narrow Claude rules', config: { client: 'claude-code', format: 'json', text: '{"permissions":{"defaultMode":"acceptEdits","allow":["Bash(npm run test:*)","Bash(git status)","Read","Edit","WebFetch(domain:github.com)"],"deny":["Bash(curl:*)"]}}' } },
      { name: 'Bash(*) only in deny', config: { client: 'claude-code', format: 'json', text: '{"permissions":{"deny":["Bash(*)"]}}' } },
      { name: 'project directory added', config: { client: 'claude-code', format: 'json', text: '{"permissions":{"additionalDirectories":["../shared-lib"]}}' } },
      { name: 'Claude key in another client', config: { client: 'cursor', format: 'json', text: '{"permissions":{"defaultMode":"bypassPermissions"}}' } },
      { name: 'Codex sandboxed', config: { client: 'codex', format: 'toml', text: 'sandbox_mode = "workspace-write"\napproval_policy = "on-request"\n[profiles.ci]\nsandbox_mode = "read-only"\n' } },
      { name: 'Gemini default mode', config: { client: 'gemini-cli', format: 'json', text: '{"general":{"defaultApprovalMode":"auto_edit"},"tools":{"allowed":["run_shell_command(git status)","read_file"]},"mcpServers":{"x":{"command":"npx","trust":false}}}' } },
      { name: 'VS Code narrow terminal rules', config: { client: 'vscode', format: 'jsonc', text: '{\n // safe ones\n "chat.tools.terminal.autoApprove": {"git status": true, "/^npm (test|run lint)$/": true, "rm": false, "bash": false},\n "chat.tools.global.autoApprove": false\n}' } },
      { name: 'Zed asks', config: { client: 'zed', format: 'jsonc', text: '{"agent": {"always_allow_tool_actions": false}}' } },
      { name: 'Cursor narrow rules', config: { client: 'cursor', format: 'json', text: '{"version":1,"permissions":{"allow":["Shell(ls)","Shell(git)","Read(src/**)"],"deny":["Shell(rm)"]}}' } },
      { name: 'hook without bypass flags', config: { client: 'claude-code', format: 'json', text: '{"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"warden hook claude"}]}]}}' } },
      { name: 'claude server without bypass', server: { command: 'claude', args: ['mcp', 'serve'] } },
      { name: 'npx -y before the gemini package is npx\'s', server: { command: 'npx', args: ['-y', '@google/gemini-cli@0.9.0', '--experimental-acp'] } },
      { name: 'unrelated server with -y', server: { command: 'my-server', args: ['-y', '--yolo'] } },
    ],
    invalid: [
      { name: 'bypassPermissions', config: { client: 'claude-code', format: 'json', text: '{"permissions":{"defaultMode":"bypassPermissions"}}' } },
      { name: 'Bash(*)', config: { client: 'claude-code', format: 'json', text: '{"permissions":{"allow":["Read","Bash(*)"]}}' } },
      { name: 'bare Bash', config: { client: 'claude-code', format: 'json', text: '{"permissions":{"allow":["Bash"]}}' } },
      { name: 'Bash(:*)', config: { client: 'claude-code', format: 'json', text: '{"permissions":{"allow":["Bash(:*)"]}}' } },
      { name: 'Bash(python3:*)', config: { client: 'claude-code', format: 'json', text: '{"permissions":{"allow":["Bash(python3:*)"]}}' } },
      { name: 'Bash(sudo *)', config: { client: 'claude-code', format: 'json', text: '{"permissions":{"allow":["Bash(sudo *)"]}}' } },
      { name: 'allowedTools in ~/.claude.json', config: { client: 'claude-code', format: 'json', text: '{"projects":{"/home/me/app":{"allowedTools":["Bash(bash:*)"]}}}' } },
      { name: 'enableAllProjectMcpServers', config: { client: 'claude-code', format: 'json', text: '{"enableAllProjectMcpServers": true}' } },
      { name: 'skipDangerousModePermissionPrompt', config: { client: 'claude-code', format: 'json', text: '{"skipDangerousModePermissionPrompt": true}' } },
      { name: 'home as additional directory', config: { client: 'claude-code', format: 'json', text: '{"permissions":{"additionalDirectories":["~"]}}' } },
      { name: 'Codex danger-full-access', config: { client: 'codex', format: 'toml', text: 'model = "gpt-5"\nsandbox_mode = "danger-full-access"\n' } },
      { name: 'Codex approval never in a profile', config: { client: 'codex', format: 'toml', text: '[profiles.auto]\napproval_policy = "never"\n' } },
      { name: 'Gemini YOLO default', config: { client: 'gemini-cli', format: 'json', text: '{"tools":{"approvalMode":"yolo"}}' } },
      { name: 'Gemini legacy yolo', config: { client: 'gemini-cli', format: 'json', text: '{"yolo": true}' } },
      { name: 'Gemini shell allowed', config: { client: 'gemini-cli', format: 'json', text: '{"tools":{"allowed":["run_shell_command"]}}' } },
      { name: 'Gemini autoAccept', config: { client: 'gemini-cli', format: 'json', text: '{"tools":{"autoAccept":true}}' } },
      { name: 'Gemini trusted server', config: { client: 'gemini-cli', format: 'json', text: '{"mcpServers":{"db":{"command":"db-mcp","trust":true}}}' } },
      { name: 'VS Code global auto-approve', config: { client: 'vscode', format: 'jsonc', text: '{"chat.tools.global.autoApprove": true}' } },
      { name: 'VS Code old auto-approve', config: { client: 'vscode', format: 'jsonc', text: '{"chat.tools.autoApprove": true}' } },
      { name: 'VS Code regex for everything', config: { client: 'vscode', format: 'jsonc', text: '{"chat.tools.terminal.autoApprove": {"/.*/": true}}' } },
      { name: 'VS Code interpreter approved', config: { client: 'vscode', format: 'jsonc', text: '{"chat.tools.terminal.autoApprove": {"python": {"approve": true, "matchCommandLine": false}}}' } },
      { name: 'VS Code workspace file', config: { client: 'vscode', scope: 'project', format: 'jsonc', text: '{"folders":[],"settings":{"chat.tools.global.autoApprove":true}}' } },
      { name: 'Cursor Shell(*)', config: { client: 'cursor', format: 'json', text: '{"version":1,"permissions":{"allow":["Shell(*)"],"deny":[]}}' } },
      { name: 'Cursor Shell(bash)', config: { client: 'cursor', format: 'json', text: '{"permissions":{"allow":["Shell(bash)"]}}' } },
      { name: 'Cursor terminal allowlist *', config: { client: 'cursor', format: 'json', text: '{"terminalAllowlist":["git","*"]}' } },
      { name: 'Zed always allow', config: { client: 'zed', format: 'jsonc', text: '// Zed\n{"agent": {"always_allow_tool_actions": true}}' } },
      { name: 'Cursor MCP allowlist *:*', config: { client: 'cursor', format: 'json', text: '{"mcpAllowlist":["*:*"]}' } },
      { name: 'hook starts claude without prompts', config: { client: 'claude-code', format: 'json', text: '{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"claude -p \\"review\\" --dangerously-skip-permissions"}]}]}}' } },
      { name: 'server runs claude without prompts', server: { command: 'claude', args: ['mcp', 'serve', '--dangerously-skip-permissions'] } },
      { name: 'server runs codex yolo through npx', server: { command: 'npx', args: ['-y', '@openai/codex@0.40.0', 'mcp', '--sandbox', 'danger-full-access'] } },
      { name: 'server runs gemini --approval-mode=yolo', server: { command: 'gemini', args: ['--approval-mode=yolo', '--experimental-acp'] } },
    ],
  },
});
