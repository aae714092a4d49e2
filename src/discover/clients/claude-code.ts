import type { ClientSpec } from '../spec.js';

// Claude Code keeps user and per-project ("local") servers in ~/.claude.json, shared project
// servers in <project>/.mcp.json, and permissions and hooks in settings.json files.
export const claudeCode: ClientSpec = {
  id: 'claude-code',
  name: 'Claude Code',
  installMarkers: [{ path: '{home}/.claude' }, { path: '{home}/.claude.json' }, { path: '{home}/.local/bin/claude' }],
  configs: [
    {
      scope: 'user',
      path: '{home}/.claude.json',
      format: 'json',
      servers: { at: [['mcpServers'], ['projects', '*', 'mcpServers']], wildcardScope: 'project' },
      settings: true,
      projectRootsAt: ['projects'],
    },
    { scope: 'user', path: '{home}/.claude/settings.json', format: 'json', settings: true },
    { scope: 'user', path: '{home}/.claude/settings.local.json', format: 'json', settings: true },
    { scope: 'plugin', path: '{home}/.claude/plugins/**/.mcp.json', format: 'json', servers: { at: [['mcpServers'], []] } },
    { scope: 'managed', os: ['linux'], path: '{system}/etc/claude-code/managed-mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'managed', os: ['linux'], path: '{system}/etc/claude-code/managed-settings.json', format: 'json', settings: true },
    { scope: 'managed', os: ['macos'], path: '{system}/Library/Application Support/ClaudeCode/managed-mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'managed', os: ['macos'], path: '{system}/Library/Application Support/ClaudeCode/managed-settings.json', format: 'json', settings: true },
    { scope: 'managed', os: ['windows'], path: '{system}/Program Files/ClaudeCode/managed-mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'managed', os: ['windows'], path: '{system}/Program Files/ClaudeCode/managed-settings.json', format: 'json', settings: true },
    { scope: 'project', path: '.mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'project', path: '.claude/settings.json', format: 'json', settings: true },
    { scope: 'project', path: '.claude/settings.local.json', format: 'json', settings: true },
  ],
  instructions: [
    { scope: 'user', path: '{home}/.claude/CLAUDE.md', kind: 'claude-md' },
    { scope: 'user', path: '{home}/.claude/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.claude/commands/**/*.md', kind: 'command' },
    { scope: 'plugin', path: '{home}/.claude/plugins/**/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: 'CLAUDE.md', kind: 'claude-md' },
    { scope: 'project', path: 'CLAUDE.local.md', kind: 'claude-md' },
    { scope: 'project', path: '.claude/CLAUDE.md', kind: 'claude-md' },
    { scope: 'project', path: '.claude/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.claude/commands/*.md', kind: 'command' },
  ],
  versions: [{ path: '{home}/.local/share/claude/versions', kind: 'dir-name' }],
};
