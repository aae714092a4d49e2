// The agents' built-in tools as data: which Warden action each one is, and which argument holds
// the command, the path or the URL (names from docs/HOOK-PROTOCOLS.md, older names kept for agents
// still in use). A tool that is neither here nor an MCP tool (TodoWrite, Agent, ...) is not judged.
import type { HookAgent } from './types.js';

export interface ToolSpec {
  kind: 'shell' | 'file_read' | 'file_write' | 'fetch';
  /** Argument names that may hold the target, first present wins. */
  fields: readonly string[];
  /** Target when no field is present (Glob and Grep search the working directory). */
  fallback?: 'cwd';
  /** How the field's value becomes targets: one value, a list of paths, URLs in free text, paths in a patch. */
  shape?: 'list' | 'urls-in-text' | 'patch' | 'query';
}

const shell = (...fields: string[]): ToolSpec => ({ kind: 'shell', fields });
const read = (...fields: string[]): ToolSpec => ({ kind: 'file_read', fields });
const write = (...fields: string[]): ToolSpec => ({ kind: 'file_write', fields });
const search = (...fields: string[]): ToolSpec => ({ kind: 'file_read', fields, fallback: 'cwd' });

export const BUILT_IN_TOOLS: Readonly<Record<HookAgent, Readonly<Record<string, ToolSpec>>>> = {
  'claude-code': {
    Bash: shell('command'),
    PowerShell: shell('command'),
    Read: read('file_path'),
    Write: write('file_path'),
    Edit: write('file_path'),
    MultiEdit: write('file_path'),
    NotebookEdit: write('notebook_path'),
    Glob: search('path'),
    Grep: search('path'),
    WebFetch: { kind: 'fetch', fields: ['url'] },
    WebSearch: { kind: 'fetch', fields: ['query'], shape: 'query' },
  },
  cursor: {
    Shell: shell('command'),
    Read: read('file_path', 'path'),
    Write: write('file_path', 'path'),
    Grep: search('file_path', 'path'),
    TabRead: read('file_path'),
    TabWrite: write('file_path'),
  },
  gemini: {
    run_shell_command: shell('command'),
    read_file: read('file_path', 'absolute_path', 'path'),
    read_many_files: { kind: 'file_read', fields: ['include', 'paths'], shape: 'list' },
    list_directory: search('dir_path', 'path'),
    glob: search('dir_path', 'path'),
    grep_search: search('dir_path', 'path'),
    search_file_content: search('dir_path', 'path'),
    write_file: write('file_path', 'absolute_path', 'path'),
    replace: write('file_path', 'absolute_path', 'path'),
    web_fetch: { kind: 'fetch', fields: ['prompt', 'url'], shape: 'urls-in-text' },
    google_web_search: { kind: 'fetch', fields: ['query'], shape: 'query' },
  },
  codex: {
    Bash: shell('command'),
    shell: shell('command'),
    exec_command: shell('cmd', 'command'),
    apply_patch: { kind: 'file_write', fields: ['command', 'patch', 'input'], shape: 'patch' },
  },
  copilot: {
    bash: shell('command'),
    // The VS Code-compatible (PascalCase) payloads name the shell tool this way.
    Bash: shell('command'),
    powershell: shell('command'),
    view: read('path'),
    glob: search('path'),
    grep: search('path'),
    create: write('path'),
    edit: write('path'),
    str_replace: write('path'),
    str_replace_editor: write('path'),
    web_fetch: { kind: 'fetch', fields: ['url'] },
  },
};

/** `mcp__server__tool` (Claude Code, Gemini CLI, Codex), `MCP:tool` (Cursor), `server-tool` (Copilot). */
export function mcpTool(agent: HookAgent, name: string): { server?: string; tool: string } | undefined {
  const claudeStyle = /^mcp__(.+?)__(.+)$/.exec(name);
  if (claudeStyle) return { server: claudeStyle[1]!, tool: claudeStyle[2]! };
  if (agent === 'cursor' && name.startsWith('MCP:')) return { tool: name.slice(4) };
  // Copilot joins server and tool with a hyphen, and either may hold one: the split is a guess,
  // so the whole name is kept as the tool and the guess only names the server.
  if (agent === 'copilot') {
    const dash = name.indexOf('-');
    if (dash > 0 && dash < name.length - 1) return { server: name.slice(0, dash), tool: name.slice(dash + 1) };
  }
  return undefined;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>`)\]]+/gi;
const PATCH_FILE = /^\*\*\* (?:Add|Update|Delete) File: (.+)$|^\*\*\* Move to: (.+)$/gm;

/** The targets a tool call names (paths, URLs or a command), per its spec. */
export function targetsOf(spec: ToolSpec, input: Record<string, unknown>, cwd: string): string[] {
  for (const field of spec.fields) {
    const v = input[field];
    if (spec.shape === 'list' && Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '').slice(0, 100);
    if (typeof v !== 'string' || v === '') continue;
    if (spec.shape === 'urls-in-text') return [...v.matchAll(URL_IN_TEXT)].map((m) => m[0]).slice(0, 20);
    if (spec.shape === 'patch') return [...v.matchAll(PATCH_FILE)].map((m) => (m[1] ?? m[2]!).trim()).slice(0, 100);
    return [v];
  }
  return spec.fallback === 'cwd' ? [cwd] : [];
}
