// What `warden install --hooks AGENT` writes for each coding agent, as data: where the file is
// per scope and operating system, which events call Warden, and the exact entry each event
// gets. ./hooks.ts does the reading, editing, backups and undo; nothing there branches on an
// agent id. Protocol details and sources: docs/HOOK-PROTOCOLS.md.
//
// Timeouts. `warden hook` keeps its own deadline and answers with a deny when a decision takes
// longer (10 s by default). Every agent below treats its own hook timeout as a hook failure and
// lets the action through (Cursor too, unless failClosed). So the agent's timeout is set well
// above Warden's: a slow decision must end as Warden's deny, never as the agent's fail-open timeout.
import { isObject } from '../core/json.js';
import type { OsName } from '../core/types.js';
import { hookCommand, runsWardenHook, type HookCommand } from './hook-command.js';
import type { Launcher } from './wrap.js';

export const HOOK_TIMEOUT_SECONDS = 30;

export type HookScope = 'user' | 'project' | 'managed';

export type HookAgentId = 'claude-code' | 'cursor' | 'gemini' | 'codex' | 'copilot';

/** One event Warden listens to; `matcher` only where the agent filters that event by tool name. */
export interface HookEvent {
  event: string;
  matcher?: string;
}

/** Where the user-scope file is: `<home>/<dir>/<file>`, or `$<env>/<file>` when the agent honours such a variable. */
export interface UserLocation {
  dir: string;
  file: string;
  env?: string;
}

export interface HookAgent {
  id: HookAgentId;
  name: string;
  user: UserLocation;
  /** Relative to the project folder. */
  project: string;
  /** Admin-only files per OS (`{system}` is the machine's root, or --system-root), or why there is none. */
  managed: Partial<Record<OsName, string>> | { unsupported: string };
  /** Format of the managed file when it is not JSON (Codex's requirements.toml). */
  managedFormat?: 'toml';
  /**
   * `groups`: each event holds matcher groups `{matcher?, hooks: [handler]}` (Claude Code, Gemini,
   * Codex). `flat`: each event holds the handlers themselves (Cursor, Copilot).
   */
  layout: 'groups' | 'flat';
  events: readonly HookEvent[];
  /** The command names the event (`warden hook copilot preToolUse`): the payload does not. */
  eventArgument?: boolean;
  /** The handler (groups) or entry (flat) that runs Warden. */
  handler(command: HookCommand): Record<string, unknown>;
  /** Top-level members a new file starts with besides `hooks`. */
  skeleton?: Record<string, unknown>;
  /** Top-level settings written with --managed (and restored by uninstall). */
  managedSettings?: Record<string, unknown>;
  /** Fields of a handler that hold a command line, and the shell that reads each. */
  commandFields: ReadonlyArray<{ key: string; shell: 'posix' | 'powershell' }>;
  /** A handler carrying this `name` is Warden's even if its command was edited. */
  handlerName?: string;
  /** Things in the edited file that would keep the hooks from running, worth telling the user. */
  warnings?(data: Record<string, unknown>): string[];
  /** What the user has to do before the agent runs the new hooks, per scope. */
  hints: Partial<Record<HookScope, string>>;
}

const POSIX_COMMAND = [{ key: 'command', shell: 'posix' }] as const;
const ALL_TOOLS = '*';

/**
 * Claude Code. `*` matches every tool, MCP tools (`mcp__server__tool`) included. PermissionRequest
 * lets Warden answer the prompts Claude Code would show; SessionStart and UserPromptSubmit have no
 * tool to match. --managed adds `allowManagedHooksOnly`, so user, project and plugin hooks (a
 * repository's .claude/settings.json runs code) are ignored while the managed ones, Warden's, run.
 * The Windows managed folder is Program Files since Claude Code 2.1.75 (see the catalogue entry,
 * src/discover/clients/claude-code.ts): ProgramData is no longer read.
 */
const claudeCode: HookAgent = {
  id: 'claude-code',
  name: 'Claude Code',
  user: { dir: '.claude', file: 'settings.json' },
  project: '.claude/settings.json',
  managed: {
    linux: '{system}/etc/claude-code/managed-settings.json',
    macos: '{system}/Library/Application Support/ClaudeCode/managed-settings.json',
    windows: '{system}/Program Files/ClaudeCode/managed-settings.json',
  },
  layout: 'groups',
  events: [
    { event: 'PreToolUse', matcher: ALL_TOOLS },
    { event: 'PostToolUse', matcher: ALL_TOOLS },
    { event: 'PermissionRequest', matcher: ALL_TOOLS },
    { event: 'UserPromptSubmit' },
    { event: 'SessionStart' },
  ],
  handler: (c) => ({ type: 'command', command: c.posix, timeout: HOOK_TIMEOUT_SECONDS }),
  managedSettings: { allowManagedHooksOnly: true },
  commandFields: POSIX_COMMAND,
  warnings: (d) => (d['disableAllHooks'] === true ? ['disableAllHooks is true in this file: Claude Code runs none of its hooks'] : []),
  hints: {
    user: 'new Claude Code sessions run them (`/hooks` lists them)',
    project: 'new Claude Code sessions in this project run them (`/hooks` lists them)',
    managed: 'every user\'s new Claude Code sessions run them; allowManagedHooksOnly turns off user, project and plugin hooks',
  },
};

/**
 * Cursor. `failClosed: true` on every entry: without it a crash, a timeout or an unreadable answer
 * lets the action through. The granular hooks carry the shell command, MCP call and file path;
 * preToolUse adds the tools they miss (writes before they happen). Cursor fires both for one
 * call; `warden hook cursor` judges shell, read and MCP calls in their granular hook only and lets
 * preToolUse pass them. Timeouts are in seconds.
 */
const cursor: HookAgent = {
  id: 'cursor',
  name: 'Cursor',
  user: { dir: '.cursor', file: 'hooks.json' },
  project: '.cursor/hooks.json',
  managed: {
    linux: '{system}/etc/cursor/hooks.json',
    macos: '{system}/Library/Application Support/Cursor/hooks.json',
    windows: '{system}/ProgramData/Cursor/hooks.json',
  },
  layout: 'flat',
  events: [
    { event: 'beforeShellExecution' },
    { event: 'beforeMCPExecution' },
    { event: 'beforeReadFile' },
    { event: 'afterFileEdit' },
    { event: 'beforeSubmitPrompt' },
    { event: 'preToolUse' },
  ],
  handler: (c) => ({ command: c.posix, timeout: HOOK_TIMEOUT_SECONDS, failClosed: true }),
  skeleton: { version: 1 },
  commandFields: POSIX_COMMAND,
  hints: {
    user: 'restart Cursor if Settings > Hooks does not list them',
    project: 'restart Cursor if Settings > Hooks does not list them',
    managed: 'restart Cursor if Settings > Hooks does not list them',
  },
};

/**
 * Gemini CLI. Handlers have a `name`, so Warden's is `warden` (a `hooks.disabled` list names it
 * that way too). Timeouts are in milliseconds.
 */
const gemini: HookAgent = {
  id: 'gemini',
  name: 'Gemini CLI',
  user: { dir: '.gemini', file: 'settings.json' },
  project: '.gemini/settings.json',
  managed: {
    linux: '{system}/etc/gemini-cli/settings.json',
    macos: '{system}/Library/Application Support/GeminiCli/settings.json',
    windows: '{system}/ProgramData/gemini-cli/settings.json',
  },
  layout: 'groups',
  events: [{ event: 'BeforeTool', matcher: ALL_TOOLS }, { event: 'AfterTool', matcher: ALL_TOOLS }, { event: 'BeforeAgent' }],
  handler: (c) => ({ name: 'warden', type: 'command', command: c.posix, timeout: HOOK_TIMEOUT_SECONDS * 1000 }),
  commandFields: POSIX_COMMAND,
  handlerName: 'warden',
  warnings: (d) => {
    const out: string[] = [];
    const hooksConfig = d['hooksConfig'];
    const hooks = d['hooks'];
    if ((isObject(hooksConfig) && hooksConfig['enabled'] === false) || (isObject(hooks) && hooks['enabled'] === false)) {
      out.push('the hook system is disabled in this file (enabled: false): Gemini CLI runs no hooks');
    }
    for (const holder of [hooksConfig, hooks]) {
      if (isObject(holder) && Array.isArray(holder['disabled']) && holder['disabled'].includes('warden')) out.push('"warden" is in a `disabled` list in this file: Gemini CLI skips the hook');
    }
    return out;
  },
  hints: {
    user: 'Gemini CLI runs hooks only with its hook system on (`hooksConfig.enabled` on releases where hooks are still experimental)',
    project: 'Gemini CLI asks to trust new project hooks before running them, and runs hooks only with its hook system on',
    managed: 'Gemini CLI runs hooks only with its hook system on (`hooksConfig.enabled` on releases where hooks are still experimental)',
  },
};

/**
 * OpenAI Codex. hooks.json accepts only `description` and `hooks` at its top level, so nothing else
 * is written there. Managed hooks live in requirements.toml (`[hooks]`, `[[hooks.<Event>]]`):
 * trusted by policy, merged with the user's, and not something a user can switch off.
 */
const codex: HookAgent = {
  id: 'codex',
  name: 'OpenAI Codex',
  user: { dir: '.codex', file: 'hooks.json', env: 'CODEX_HOME' },
  project: '.codex/hooks.json',
  managed: {
    linux: '{system}/etc/codex/requirements.toml',
    macos: '{system}/etc/codex/requirements.toml',
    windows: '{system}/ProgramData/OpenAI/Codex/requirements.toml',
  },
  managedFormat: 'toml',
  layout: 'groups',
  events: [
    { event: 'PreToolUse', matcher: ALL_TOOLS },
    { event: 'PermissionRequest', matcher: ALL_TOOLS },
    { event: 'PostToolUse', matcher: ALL_TOOLS },
    { event: 'UserPromptSubmit' },
  ],
  handler: (c) => ({ type: 'command', command: c.posix, timeout: HOOK_TIMEOUT_SECONDS }),
  commandFields: POSIX_COMMAND,
  hints: {
    user: 'Codex runs a new or changed hook only once you trust it: open Codex and review it with /hooks',
    project: 'Codex loads project hooks only in trusted projects, and runs them once you trust them with /hooks',
    managed: 'Codex trusts managed hooks by policy; cloud or MDM requirements, when present, take precedence over this file',
  },
};

/**
 * GitHub Copilot (CLI and cloud agent): a file of Warden's own in a hooks folder. `bash` and
 * `powershell` each get the command quoted for that shell; the command names the event, since
 * camelCase payloads do not. There is no machine-wide location.
 */
const copilot: HookAgent = {
  id: 'copilot',
  name: 'GitHub Copilot',
  user: { dir: '.copilot', file: 'hooks/warden.json', env: 'COPILOT_HOME' },
  project: '.github/hooks/warden.json',
  managed: {
    unsupported:
      'GitHub Copilot has no machine-wide hook file: it reads the repository\'s .github/hooks (the cloud agent from the default branch) and the user\'s ~/.copilot/hooks. ' +
      'Install with --scope project and protect .github/hooks with branch protection and CODEOWNERS, or --scope user on each machine',
  },
  layout: 'flat',
  events: [{ event: 'preToolUse' }, { event: 'postToolUse' }, { event: 'userPromptSubmitted' }],
  eventArgument: true,
  handler: (c) => ({ type: 'command', bash: c.posix, powershell: c.powershell, timeoutSec: HOOK_TIMEOUT_SECONDS }),
  skeleton: { version: 1 },
  commandFields: [
    { key: 'bash', shell: 'posix' },
    { key: 'powershell', shell: 'powershell' },
    { key: 'command', shell: 'posix' },
  ],
  hints: {
    user: 'new Copilot CLI sessions run them',
    project: 'new Copilot CLI sessions in this repository run them; the cloud agent would need Warden at the same paths',
  },
};

export const HOOK_AGENTS: readonly HookAgent[] = [claudeCode, cursor, gemini, codex, copilot];

export function hookAgent(id: string): HookAgent | undefined {
  return HOOK_AGENTS.find((a) => a.id === id);
}

/** Whether one handler (groups) or entry (flat) is Warden's. */
export function isWardenHandler(agent: HookAgent, handler: unknown): boolean {
  if (!isObject(handler)) return false;
  if (agent.handlerName !== undefined && handler['name'] === agent.handlerName) return true;
  return agent.commandFields.some((f) => runsWardenHook(handler[f.key], agent.id, f.shell));
}

/** The command an event runs. */
export function commandFor(agent: HookAgent, event: HookEvent, launcher: Launcher): HookCommand {
  return hookCommand(launcher, agent.id, agent.eventArgument ? event.event : undefined);
}

/** The item an event's list gets: a matcher group holding the handler, or the entry itself. */
export function wardenItem(agent: HookAgent, event: HookEvent, launcher: Launcher): Record<string, unknown> {
  const handler = agent.handler(commandFor(agent, event, launcher));
  if (agent.layout === 'flat') return handler;
  return { ...(event.matcher !== undefined ? { matcher: event.matcher } : {}), hooks: [handler] };
}
