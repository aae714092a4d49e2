import type { ClientSpec } from '../spec.js';

// Cursor (VS Code fork). MCP servers in `mcpServers` of ~/.cursor/mcp.json and
// <project>/.cursor/mcp.json; rules in .cursor/rules (*.mdc), legacy .cursorrules and AGENTS.md;
// skills in ~/.cursor/skills and .cursor/skills plus the cross-agent ~/.agents/skills and
// ~/.claude/skills; hooks in hooks.json; CLI permissions in ~/.cursor/cli-config.json.
// Verified against: cursor.com/docs/context/mcp, cursor.com/docs/context/skills;
// snyk/agent-scan:src/agent_scan/agents/vscode/cursor.py (plugins, compat skill folders).
// Not verified first-hand: hooks.json, cli-config.json and .cursor/commands (Cursor's hooks, CLI
// permissions and commands pages).
export const cursor: ClientSpec = {
  id: 'cursor',
  name: 'Cursor',
  installMarkers: [
    { path: '{home}/.cursor' },
    { path: '{userData}/Cursor' },
    { os: ['macos'], path: '{system}/Applications/Cursor.app' },
    { os: ['windows'], path: '{localAppData}/Programs/cursor' },
  ],
  configs: [
    { scope: 'user', path: '{home}/.cursor/mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'user', path: '{userData}/Cursor/User/settings.json', format: 'jsonc', settings: true },
    { scope: 'user', path: '{home}/.cursor/cli-config.json', format: 'json', settings: true },
    { scope: 'user', path: '{home}/.cursor/hooks.json', format: 'json', settings: true },
    { scope: 'plugin', path: '{home}/.cursor/plugins/**/.mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'project', path: '.cursor/mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'project', path: '.cursor/hooks.json', format: 'json', settings: true },
  ],
  instructions: [
    { scope: 'user', path: '{home}/.cursor/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.agents/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.claude/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.cursor/commands/*.md', kind: 'command' },
    { scope: 'project', path: '.cursorrules', kind: 'cursorrules' },
    { scope: 'project', path: '.cursor/rules/*.mdc', kind: 'cursor-rule' },
    { scope: 'project', path: '.cursor/rules/*.md', kind: 'cursor-rule' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
    { scope: 'project', path: '.cursor/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.cursor/commands/*.md', kind: 'command' },
  ],
  versions: [
    { os: ['macos'], path: '{system}/Applications/Cursor.app/Contents/Resources/app/package.json', kind: 'json-field', field: 'version' },
    { os: ['linux'], path: '{system}/usr/share/cursor/resources/app/package.json', kind: 'json-field', field: 'version' },
    { os: ['windows'], path: '{localAppData}/Programs/cursor/resources/app/package.json', kind: 'json-field', field: 'version' },
  ],
};
