import type { ClientSpec } from '../spec.js';

// Zed. The anchors disagree (Ramparts reads ~/.config/zed/mcp.json, npm mcp-scan settings.json);
// Zed's own docs and code settle it: MCP servers are `context_servers` in settings.json, and the
// same key is a project setting, so <project>/.zed/settings.json can declare servers too. An
// entry is either flat (`command`, `args`, `env`), the older nested form (`command: {path, args,
// env}`), remote (`url`, `headers`), or an extension-provided server with only `settings`.
// settings.json is under ~/.config/zed on Linux and macOS, and %APPDATA%\Zed on Windows.
// Rules: Zed reads the first of .rules, .cursorrules, .windsurfrules, .clinerules,
// .github/copilot-instructions.md, AGENT.md, AGENTS.md, CLAUDE.md, GEMINI.md at a project root.
// Verified against: zed-industries/zed:docs/src/ai/mcp.md (settings file, entry forms),
// the project settings content struct in crates/settings (`context_servers` is a project setting),
// crates/prompt_store/src/prompts.rs (RULES_FILE_NAMES), crates/paths/src/paths.rs (config_dir per OS).
const MCP = { at: [['context_servers']] } as const;

export const zed: ClientSpec = {
  id: 'zed',
  name: 'Zed',
  installMarkers: [
    { os: ['linux', 'macos'], path: '{home}/.config/zed' },
    { os: ['windows'], path: '{userData}/Zed' },
    { os: ['macos'], path: '{system}/Applications/Zed.app' },
    { os: ['linux'], path: '{home}/.local/zed.app' },
    { os: ['windows'], path: '{localAppData}/Programs/Zed' },
  ],
  configs: [
    { scope: 'user', os: ['linux', 'macos'], path: '{home}/.config/zed/settings.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'user', os: ['windows'], path: '{userData}/Zed/settings.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'project', path: '.zed/settings.json', format: 'jsonc', servers: MCP, settings: true },
  ],
  instructions: [
    { scope: 'project', path: '.cursorrules', kind: 'cursorrules' },
    { scope: 'project', path: '.windsurfrules', kind: 'windsurfrules' },
    { scope: 'project', path: '.clinerules', kind: 'clinerules' },
    { scope: 'project', path: '.github/copilot-instructions.md', kind: 'copilot-instructions' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
    { scope: 'project', path: 'CLAUDE.md', kind: 'claude-md' },
    { scope: 'project', path: 'GEMINI.md', kind: 'gemini-md' },
  ],
  versions: [{ os: ['macos'], path: '{system}/Applications/Zed.app/Contents/Info.plist', kind: 'plist-version' }],
};
