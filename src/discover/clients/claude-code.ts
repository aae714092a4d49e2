import type { ClientSpec } from '../spec.js';

// Claude Code keeps user and per-project ("local") servers in ~/.claude.json, shared project
// servers in <project>/.mcp.json, and permissions and hooks in settings.json files. Admins can
// deploy managed-settings.json / managed-mcp.json (plus a managed-settings.d drop-in folder).
// Plugins declare servers in a `.mcp.json` at the plugin root (a bare name → server map) or
// inline under `mcpServers` in .claude-plugin/plugin.json. Installed plugins are copied to
// ~/.claude/plugins/cache/<marketplace>/<plugin>/<version>/; plugins/marketplaces/ holds every
// plugin a marketplace offers, installed or not, so it is not read.
// Verified against: code.claude.com/docs/en/settings (file locations, managed paths and the
// managed-settings.d drop-in folder; the Windows managed folder is C:\Program Files\ClaudeCode since
// v2.1.75, ProgramData is no longer read), code.claude.com/docs/en/mcp (scopes, managed-mcp.json),
// the plugins reference (plugin .mcp.json as a bare map, plugin.json mcpServers);
// snyk/agent-scan:src/agent_scan/agents/claude_code.py. Not verified first-hand: .claude/rules and the
// managed CLAUDE.md locations (code.claude.com/docs/en/memory).
const MANAGED_DIR = {
  linux: '{system}/etc/claude-code',
  macos: '{system}/Library/Application Support/ClaudeCode',
  windows: '{system}/Program Files/ClaudeCode',
} as const;

export const claudeCode: ClientSpec = {
  id: 'claude-code',
  name: 'Claude Code',
  installMarkers: [
    { path: '{home}/.claude' },
    { path: '{home}/.claude.json' },
    { os: ['linux', 'macos'], path: '{home}/.local/bin/claude' },
    { os: ['windows'], path: '{home}/.local/bin/claude.exe' },
  ],
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
    // Plugin .mcp.json is documented as a bare map; some plugins wrap it in `mcpServers`, so both are read.
    { scope: 'plugin', path: '{home}/.claude/plugins/cache/**/.mcp.json', format: 'json', servers: { at: [['mcpServers'], []] } },
    { scope: 'plugin', path: '{home}/.claude/plugins/cache/**/.claude-plugin/plugin.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'managed', os: ['linux'], path: `${MANAGED_DIR.linux}/managed-mcp.json`, format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'managed', os: ['linux'], path: `${MANAGED_DIR.linux}/managed-settings.json`, format: 'json', settings: true },
    { scope: 'managed', os: ['linux'], path: `${MANAGED_DIR.linux}/managed-settings.d/*.json`, format: 'json', settings: true },
    { scope: 'managed', os: ['macos'], path: `${MANAGED_DIR.macos}/managed-mcp.json`, format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'managed', os: ['macos'], path: `${MANAGED_DIR.macos}/managed-settings.json`, format: 'json', settings: true },
    { scope: 'managed', os: ['macos'], path: `${MANAGED_DIR.macos}/managed-settings.d/*.json`, format: 'json', settings: true },
    { scope: 'managed', os: ['windows'], path: `${MANAGED_DIR.windows}/managed-mcp.json`, format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'managed', os: ['windows'], path: `${MANAGED_DIR.windows}/managed-settings.json`, format: 'json', settings: true },
    { scope: 'managed', os: ['windows'], path: `${MANAGED_DIR.windows}/managed-settings.d/*.json`, format: 'json', settings: true },
    { scope: 'project', path: '.mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'project', path: '.claude/settings.json', format: 'json', settings: true },
    { scope: 'project', path: '.claude/settings.local.json', format: 'json', settings: true },
  ],
  instructions: [
    { scope: 'user', path: '{home}/.claude/CLAUDE.md', kind: 'claude-md' },
    { scope: 'user', path: '{home}/.claude/rules/*.md', kind: 'claude-md' },
    { scope: 'user', path: '{home}/.claude/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.claude/commands/**/*.md', kind: 'command' },
    { scope: 'plugin', path: '{home}/.claude/plugins/cache/**/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'plugin', path: '{home}/.claude/plugins/cache/**/commands/*.md', kind: 'command' },
    { scope: 'managed', os: ['linux'], path: `${MANAGED_DIR.linux}/CLAUDE.md`, kind: 'claude-md' },
    { scope: 'managed', os: ['macos'], path: `${MANAGED_DIR.macos}/CLAUDE.md`, kind: 'claude-md' },
    { scope: 'managed', os: ['windows'], path: `${MANAGED_DIR.windows}/CLAUDE.md`, kind: 'claude-md' },
    { scope: 'project', path: 'CLAUDE.md', kind: 'claude-md' },
    { scope: 'project', path: 'CLAUDE.local.md', kind: 'claude-md' },
    { scope: 'project', path: '.claude/CLAUDE.md', kind: 'claude-md' },
    { scope: 'project', path: '.claude/rules/*.md', kind: 'claude-md' },
    { scope: 'project', path: '.claude/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.claude/commands/*.md', kind: 'command' },
  ],
  // The native installer keeps one folder per version; npm installs have no such folder.
  versions: [{ path: '{home}/.local/share/claude/versions', kind: 'dir-name' }],
};
