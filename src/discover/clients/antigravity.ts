import type { ClientSpec } from '../spec.js';

// Google Antigravity (an agentic IDE, VS Code fork, sharing ~/.gemini with the Gemini CLI).
// `mcpServers` in ~/.gemini/antigravity/mcp_config.json (remote servers use `serverUrl`); the
// editor's settings.json can also carry VS Code's `mcp.servers`. v1 keeps its user data in
// "Antigravity", v2 in "Antigravity IDE". Global context comes from ~/.gemini/GEMINI.md; the
// workspace reads AGENTS.md / GEMINI.md. Skills in ~/.gemini/antigravity/skills, ~/.gemini/skills
// and the workspace .agent/skills; workflows (slash commands) in .agent/workflows and
// ~/.gemini/antigravity/global_workflows.
// Verified against: snyk/agent-scan:src/agent_scan/agents/vscode/antigravity.py (which cites the
// Antigravity MCP docs page and Google's codelab). Antigravity's docs site is client-rendered and
// was not readable here, so none of these paths is checked against a Google page; no workspace
// MCP file is listed because none is documented.
export const antigravity: ClientSpec = {
  id: 'antigravity',
  name: 'Antigravity',
  installMarkers: [
    { path: '{home}/.gemini/antigravity' },
    { path: '{userData}/Antigravity' },
    { path: '{userData}/Antigravity IDE' },
    { os: ['macos'], path: '{system}/Applications/Antigravity.app' },
  ],
  configs: [
    { scope: 'user', path: '{home}/.gemini/antigravity/mcp_config.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'user', path: '{userData}/Antigravity/User/settings.json', format: 'jsonc', servers: { at: [['mcp', 'servers']] }, settings: true },
    { scope: 'user', path: '{userData}/Antigravity IDE/User/settings.json', format: 'jsonc', servers: { at: [['mcp', 'servers']] }, settings: true },
  ],
  instructions: [
    { scope: 'user', path: '{home}/.gemini/GEMINI.md', kind: 'gemini-md' },
    { scope: 'user', path: '{home}/.gemini/antigravity/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.gemini/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.agents/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.gemini/antigravity/global_workflows/*.md', kind: 'command' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
    { scope: 'project', path: 'GEMINI.md', kind: 'gemini-md' },
    { scope: 'project', path: '.agent/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.agents/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.agent/workflows/*.md', kind: 'command' },
  ],
  versions: [{ os: ['macos'], path: '{system}/Applications/Antigravity.app/Contents/Info.plist', kind: 'plist-version' }],
};
