import type { ClientSpec } from '../spec.js';

// OpenAI Codex CLI (also the Codex IDE extension and app, which share the same files). MCP servers
// are `[mcp_servers.<name>]` tables in config.toml at several layers: system (/etc/codex on Unix,
// %ProgramData%\OpenAI\Codex on Windows), the legacy managed_config.toml, the user's
// ~/.codex/config.toml, named profiles (~/.codex/<name>.config.toml) and .codex/config.toml of a
// trusted project. `[projects."<abs path>"]` records projects the user has trusted. Instructions:
// AGENTS.override.md / AGENTS.md in ~/.codex and along the project path. Skills: ~/.agents/skills,
// .agents/skills, /etc/codex/skills and the older ~/.codex/skills.
// Verified against: openai/codex:codex-rs/core/src/config_loader/mod.rs (SYSTEM_CONFIG_TOML_FILE_UNIX,
// DEFAULT_PROGRAM_DATA_DIR_WINDOWS joined with OpenAI/Codex, project .codex folder),
// codex-rs/config/src/loader/layer_io.rs (managed_config.toml), developers.openai.com/codex/mcp,
// developers.openai.com/codex/guides/agents-md, developers.openai.com/codex/skills,
// developers.openai.com/codex/enterprise/managed-configuration (requirements.toml);
// snyk/agent-scan:src/agent_scan/agents/codex.py (profiles, plugins).
// Not verified first-hand: hooks.json, prompts/*.md, the legacy .codex/skills project folder.
const MCP = { at: [['mcp_servers']] } as const;

export const codex: ClientSpec = {
  id: 'codex',
  name: 'OpenAI Codex',
  installMarkers: [{ path: '{home}/.codex' }],
  configs: [
    { scope: 'user', path: '{home}/.codex/config.toml', format: 'toml', servers: MCP, settings: true, projectRootsAt: ['projects'] },
    { scope: 'user', path: '{home}/.codex/*.config.toml', format: 'toml', servers: MCP, settings: true },
    { scope: 'user', path: '{home}/.codex/managed_config.toml', format: 'toml', servers: MCP, settings: true },
    { scope: 'user', path: '{home}/.codex/hooks.json', format: 'json', settings: true },
    { scope: 'plugin', path: '{home}/.codex/plugins/**/.mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'managed', os: ['linux', 'macos'], path: '{system}/etc/codex/config.toml', format: 'toml', servers: MCP, settings: true },
    { scope: 'managed', os: ['linux', 'macos'], path: '{system}/etc/codex/managed_config.toml', format: 'toml', servers: MCP, settings: true },
    { scope: 'managed', os: ['linux', 'macos'], path: '{system}/etc/codex/requirements.toml', format: 'toml', settings: true },
    { scope: 'managed', os: ['windows'], path: '{system}/ProgramData/OpenAI/Codex/config.toml', format: 'toml', servers: MCP, settings: true },
    { scope: 'managed', os: ['windows'], path: '{system}/ProgramData/OpenAI/Codex/requirements.toml', format: 'toml', settings: true },
    { scope: 'project', path: '.codex/config.toml', format: 'toml', servers: MCP, settings: true },
    { scope: 'project', path: '.codex/hooks.json', format: 'json', settings: true },
  ],
  instructions: [
    { scope: 'user', path: '{home}/.codex/AGENTS.md', kind: 'agents-md' },
    { scope: 'user', path: '{home}/.codex/AGENTS.override.md', kind: 'agents-md' },
    { scope: 'user', path: '{home}/.agents/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.codex/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.codex/prompts/*.md', kind: 'command' },
    { scope: 'managed', os: ['linux', 'macos'], path: '{system}/etc/codex/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
    { scope: 'project', path: 'AGENTS.override.md', kind: 'agents-md' },
    { scope: 'project', path: '.agents/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.codex/skills/*/SKILL.md', kind: 'skill' },
  ],
};
