import type { ClientSpec } from '../spec.js';

// Windsurf (Codeium's VS Code fork). Cascade's MCP servers live in `mcpServers` of
// ~/.codeium/windsurf/mcp_config.json on every OS (remote servers use `serverUrl`); Windsurf Next
// uses ~/.codeium/windsurf-next. Rules: .windsurfrules, .windsurf/rules/*.md and the global
// memories/global_rules.md; AGENTS.md is also read. Skills in ~/.codeium/windsurf/skills and
// .windsurf/skills; workflows (slash commands) in .windsurf/workflows.
// Verified against: docs.windsurf.com/windsurf/cascade/mcp (mcp_config.json, serverUrl), the Cascade
// skills docs (~/.codeium/windsurf/skills, .windsurf/skills); snyk/agent-scan:src/agent_scan/agents/vscode/windsurf.py.
// Not verified first-hand: memories/global_rules.md, .windsurf/rules, .windsurf/workflows and
// windsurf-next (Windsurf's memories/workflows pages). There is no project-scope MCP file.
export const windsurf: ClientSpec = {
  id: 'windsurf',
  name: 'Windsurf',
  installMarkers: [
    { path: '{home}/.codeium/windsurf' },
    { path: '{userData}/Windsurf' },
    { os: ['macos'], path: '{system}/Applications/Windsurf.app' },
    { os: ['windows'], path: '{localAppData}/Programs/Windsurf' },
  ],
  configs: [
    { scope: 'user', path: '{home}/.codeium/windsurf/mcp_config.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'user', path: '{home}/.codeium/windsurf-next/mcp_config.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'user', path: '{userData}/Windsurf/User/settings.json', format: 'jsonc', settings: true },
  ],
  instructions: [
    { scope: 'user', path: '{home}/.codeium/windsurf/memories/global_rules.md', kind: 'windsurfrules' },
    { scope: 'user', path: '{home}/.codeium/windsurf/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.windsurfrules', kind: 'windsurfrules' },
    { scope: 'project', path: '.windsurf/rules/*.md', kind: 'windsurfrules' },
    { scope: 'project', path: '.windsurf/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.windsurf/workflows/*.md', kind: 'command' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
  ],
  versions: [{ os: ['macos'], path: '{system}/Applications/Windsurf.app/Contents/Info.plist', kind: 'plist-version' }],
};
