import type { ClientSpec } from '../spec.js';

// Visual Studio Code (stable and Insiders) with GitHub Copilot agent mode. MCP servers live under
// `servers` in the profile's mcp.json and in <workspace>/.vscode/mcp.json; older setups keep them
// under `mcp.servers` in settings.json; dev containers and .code-workspace files can carry the same
// block. Non-default profiles have their own User/profiles/<id>/ folder. A remote host (SSH, WSL,
// containers) keeps its user data under ~/.vscode-server/data.
// Verified against: microsoft/vscode-docs:docs/copilot/reference/mcp-configuration.md (`servers`,
// `inputs`, user profile), docs/copilot/chat/mcp-servers.md (settings.json `mcp`),
// microsoft/vscode:extensions/configuration-editing/schemas/devContainer.vscode.schema.json
// (`customizations.vscode.mcp`); docs.github.com Copilot custom-instructions pages
// (.github/copilot-instructions.md, .github/instructions/*.instructions.md, skills folders).
// Not verified first-hand: the ~/.vscode-server/data/User/mcp.json remote path, the user
// prompts folder (User/prompts) and AGENTS.md support (a chat.* setting in recent releases).
const MCP = { at: [['servers']] } as const;
const SETTINGS_MCP = { at: [['mcp', 'servers']] } as const;

export const vscode: ClientSpec = {
  id: 'vscode',
  name: 'Visual Studio Code',
  installMarkers: [
    { path: '{userData}/Code' },
    { path: '{userData}/Code - Insiders' },
    { os: ['macos'], path: '{system}/Applications/Visual Studio Code.app' },
    { os: ['macos'], path: '{system}/Applications/Visual Studio Code - Insiders.app' },
    { os: ['windows'], path: '{localAppData}/Programs/Microsoft VS Code' },
    { os: ['linux'], path: '{system}/usr/share/code' },
  ],
  configs: [
    { scope: 'user', path: '{userData}/Code/User/mcp.json', format: 'jsonc', servers: MCP },
    { scope: 'user', path: '{userData}/Code/User/settings.json', format: 'jsonc', servers: SETTINGS_MCP, settings: true },
    { scope: 'user', path: '{userData}/Code/User/profiles/*/mcp.json', format: 'jsonc', servers: MCP },
    { scope: 'user', path: '{userData}/Code/User/profiles/*/settings.json', format: 'jsonc', servers: SETTINGS_MCP, settings: true },
    { scope: 'user', path: '{userData}/Code - Insiders/User/mcp.json', format: 'jsonc', servers: MCP },
    { scope: 'user', path: '{userData}/Code - Insiders/User/settings.json', format: 'jsonc', servers: SETTINGS_MCP, settings: true },
    { scope: 'user', path: '{userData}/Code - Insiders/User/profiles/*/mcp.json', format: 'jsonc', servers: MCP },
    { scope: 'user', path: '{userData}/Code - Insiders/User/profiles/*/settings.json', format: 'jsonc', servers: SETTINGS_MCP, settings: true },
    { scope: 'user', os: ['linux'], path: '{home}/.vscode-server/data/User/mcp.json', format: 'jsonc', servers: MCP },
    { scope: 'project', path: '.vscode/mcp.json', format: 'jsonc', servers: MCP },
    { scope: 'project', path: '.vscode/settings.json', format: 'jsonc', servers: SETTINGS_MCP, settings: true },
    { scope: 'project', path: '.devcontainer/devcontainer.json', format: 'jsonc', servers: { at: [['customizations', 'vscode', 'mcp', 'servers']] } },
    { scope: 'project', path: '.devcontainer/*/devcontainer.json', format: 'jsonc', servers: { at: [['customizations', 'vscode', 'mcp', 'servers']] } },
    { scope: 'project', path: '.devcontainer.json', format: 'jsonc', servers: { at: [['customizations', 'vscode', 'mcp', 'servers']] } },
    { scope: 'project', path: '*.code-workspace', format: 'jsonc', servers: { at: [['settings', 'mcp', 'servers']] }, settings: true },
  ],
  instructions: [
    { scope: 'user', path: '{userData}/Code/User/prompts/*.instructions.md', kind: 'copilot-instructions' },
    { scope: 'user', path: '{userData}/Code/User/prompts/*.prompt.md', kind: 'command' },
    { scope: 'user', path: '{userData}/Code - Insiders/User/prompts/*.instructions.md', kind: 'copilot-instructions' },
    { scope: 'user', path: '{userData}/Code - Insiders/User/prompts/*.prompt.md', kind: 'command' },
    { scope: 'user', path: '{home}/.copilot/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.github/copilot-instructions.md', kind: 'copilot-instructions' },
    { scope: 'project', path: '.github/instructions/*.instructions.md', kind: 'copilot-instructions' },
    { scope: 'project', path: '.github/prompts/*.prompt.md', kind: 'command' },
    { scope: 'project', path: '.github/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
  ],
  versions: [
    { os: ['macos'], path: '{system}/Applications/Visual Studio Code.app/Contents/Info.plist', kind: 'plist-version' },
    { os: ['linux'], path: '{system}/usr/share/code/resources/app/package.json', kind: 'json-field', field: 'version' },
    { os: ['windows'], path: '{localAppData}/Programs/Microsoft VS Code/resources/app/package.json', kind: 'json-field', field: 'version' },
  ],
};
