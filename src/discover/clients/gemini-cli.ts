import type { ClientSpec } from '../spec.js';

// Google's Gemini CLI. `mcpServers` in settings.json at four layers: system defaults, user
// (~/.gemini/settings.json on every OS), project (.gemini/settings.json) and system overrides.
// Remote servers use `url` (SSE) or `httpUrl` (streamable HTTP). Extensions bundle servers in
// ~/.gemini/extensions/<name>/gemini-extension.json next to a GEMINI.md context file.
// Verified against: google-gemini/gemini-cli:docs/get-started/configuration.md (settings layers and
// system paths per OS), docs/tools/mcp-server.md (mcpServers, url/httpUrl); geminicli.com/docs/cli/configuration.
// Not verified first-hand: extension folder layout (from snyk/agent-scan's antigravity discoverer),
// commands/*.toml and the skills folders.
const SYSTEM_DIR = {
  linux: '{system}/etc/gemini-cli',
  macos: '{system}/Library/Application Support/GeminiCli',
  windows: '{system}/ProgramData/gemini-cli',
} as const;
const MCP = { at: [['mcpServers']] } as const;

export const geminiCli: ClientSpec = {
  id: 'gemini-cli',
  name: 'Gemini CLI',
  installMarkers: [{ path: '{home}/.gemini/settings.json' }, { path: '{home}/.gemini/tmp' }],
  configs: [
    { scope: 'user', path: '{home}/.gemini/settings.json', format: 'json', servers: MCP, settings: true },
    { scope: 'plugin', path: '{home}/.gemini/extensions/*/gemini-extension.json', format: 'json', servers: MCP },
    { scope: 'managed', os: ['linux'], path: `${SYSTEM_DIR.linux}/settings.json`, format: 'json', servers: MCP, settings: true },
    { scope: 'managed', os: ['linux'], path: `${SYSTEM_DIR.linux}/system-defaults.json`, format: 'json', servers: MCP, settings: true },
    { scope: 'managed', os: ['macos'], path: `${SYSTEM_DIR.macos}/settings.json`, format: 'json', servers: MCP, settings: true },
    { scope: 'managed', os: ['macos'], path: `${SYSTEM_DIR.macos}/system-defaults.json`, format: 'json', servers: MCP, settings: true },
    { scope: 'managed', os: ['windows'], path: `${SYSTEM_DIR.windows}/settings.json`, format: 'json', servers: MCP, settings: true },
    { scope: 'managed', os: ['windows'], path: `${SYSTEM_DIR.windows}/system-defaults.json`, format: 'json', servers: MCP, settings: true },
    { scope: 'project', path: '.gemini/settings.json', format: 'json', servers: MCP, settings: true },
    { scope: 'project', path: '.gemini/extensions/*/gemini-extension.json', format: 'json', servers: MCP },
  ],
  instructions: [
    { scope: 'user', path: '{home}/.gemini/GEMINI.md', kind: 'gemini-md' },
    { scope: 'user', path: '{home}/.gemini/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.gemini/commands/*.toml', kind: 'command' },
    { scope: 'plugin', path: '{home}/.gemini/extensions/*/GEMINI.md', kind: 'gemini-md' },
    { scope: 'project', path: 'GEMINI.md', kind: 'gemini-md' },
    { scope: 'project', path: '.gemini/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.gemini/commands/*.toml', kind: 'command' },
  ],
};
