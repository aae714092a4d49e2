import type { ClientSpec } from '../spec.js';

// Amp (Sourcegraph's coding agent, CLI and editor extensions). Servers under the literal key
// `amp.mcpServers` in settings.json(c): ~/.config/amp on every OS (%USERPROFILE%\.config\amp on
// Windows), workspace .amp/settings.json (its servers need approval), and an admin-deployed
// managed-settings.json. Instructions: AGENTS.md and ~/.config/amp/AGENTS.md; skills in
// ~/.config/agents/skills, ~/.config/amp/skills and .agents/skills.
// Verified against: a reference of ampcode.com/manual's config files (developersdigest.tech
// /reference/amp/config-files: settings, workspace and managed paths, AGENTS.md), public Amp
// settings examples using `amp.mcpServers`; snyk/agent-scan:src/agent_scan/agents/partial/amp.py
// (skills folders). Not read first-hand on ampcode.com; ~/.config/amp/skills is not verified.
const MCP = { at: [['amp.mcpServers']] } as const;

export const amp: ClientSpec = {
  id: 'amp',
  name: 'Amp',
  installMarkers: [{ path: '{home}/.config/amp' }, { path: '{home}/.amp/bin' }],
  configs: [
    { scope: 'user', path: '{home}/.config/amp/settings.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'user', path: '{home}/.config/amp/settings.jsonc', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'managed', os: ['linux'], path: '{system}/etc/ampcode/managed-settings.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'managed', os: ['macos'], path: '{system}/Library/Application Support/ampcode/managed-settings.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'managed', os: ['windows'], path: '{system}/ProgramData/ampcode/managed-settings.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'project', path: '.amp/settings.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'project', path: '.amp/settings.jsonc', format: 'jsonc', servers: MCP, settings: true },
  ],
  instructions: [
    { scope: 'user', path: '{home}/.config/amp/AGENTS.md', kind: 'agents-md' },
    { scope: 'user', path: '{home}/.config/agents/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.config/amp/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
    { scope: 'project', path: '.agents/skills/*/SKILL.md', kind: 'skill' },
  ],
};
