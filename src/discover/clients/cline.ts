import type { ClientSpec } from '../spec.js';

// Cline, a VS Code extension (saoudrizwan.claude-dev) that also runs inside VS Code forks
// (Insiders, Cursor, Windsurf, VSCodium, Kiro...), plus the standalone `cline` CLI. The extension
// keeps `mcpServers` in globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json of
// whichever editor hosts it, hence the `*` over editor folders; the CLI uses
// ~/.cline/data/settings/cline_mcp_settings.json. Remote servers use `type: "streamableHttp"`.
// Rules: .clinerules (a file, or a folder of .md files), global rules in ~/Documents/Cline/Rules
// (~/Cline/Rules on some Linux systems) and ~/.cline/rules; Cline also loads .cursorrules,
// .windsurfrules and AGENTS.md. Workflows are slash commands.
// Verified against: docs.cline.bot/mcp/configuring-mcp-servers, docs.cline.bot/cli/configuration
// (~/.cline layout: data/settings, rules, skills), docs.cline.bot/features/cline-rules (global rules
// folder per OS), docs.cline.bot/customization/cline-rules (.cursorrules, .windsurfrules, AGENTS.md);
// trailofbits/mcp-context-protector:src/contextprotector/mcp_json_config.py (the Cursor-hosted copy).
// Not verified: Documents/Cline/Workflows and .clinerules/workflows as command folders.
export const cline: ClientSpec = {
  id: 'cline',
  name: 'Cline',
  installMarkers: [
    { path: '{home}/.cline' },
    { path: '{userData}/Code/User/globalStorage/saoudrizwan.claude-dev' },
    { path: '{userData}/Cursor/User/globalStorage/saoudrizwan.claude-dev' },
    { path: '{userData}/Windsurf/User/globalStorage/saoudrizwan.claude-dev' },
    { path: '{home}/Documents/Cline' },
  ],
  configs: [
    {
      scope: 'user',
      path: '{userData}/*/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      format: 'json',
      servers: { at: [['mcpServers']] },
    },
    { scope: 'user', path: '{home}/.cline/data/settings/cline_mcp_settings.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'user', path: '{home}/.cline/data/settings/global-settings.json', format: 'json', settings: true },
  ],
  instructions: [
    { scope: 'user', path: '{home}/Documents/Cline/Rules/*.md', kind: 'clinerules' },
    { scope: 'user', os: ['linux'], path: '{home}/Cline/Rules/*.md', kind: 'clinerules' },
    { scope: 'user', path: '{home}/.cline/rules/*.md', kind: 'clinerules' },
    { scope: 'user', path: '{home}/.cline/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/Documents/Cline/Workflows/*.md', kind: 'command' },
    { scope: 'project', path: '.clinerules', kind: 'clinerules' },
    { scope: 'project', path: '.clinerules/*.md', kind: 'clinerules' },
    { scope: 'project', path: '.clinerules/workflows/*.md', kind: 'command' },
    { scope: 'project', path: '.cline/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.cursorrules', kind: 'cursorrules' },
    { scope: 'project', path: '.windsurfrules', kind: 'windsurfrules' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
  ],
};
