import type { ClientSpec } from '../spec.js';

// OpenClaw (formerly Clawdbot, then Moltbot), a self-hosted personal agent. Its JSON5 config
// ~/.openclaw/openclaw.json holds an MCP client registry under `mcp.servers` (stdio `command`,
// `args`, `env`, `cwd`, or `url` with `transport: "streamable-http"` and `headers`; `enabled`).
// Skills load from <workspace>/skills, <workspace>/.agents/skills, ~/.agents/skills and
// ~/.openclaw/skills; the default workspace is ~/.openclaw/workspace, whose AGENTS.md is a
// bootstrap file. The pre-rename state folder ~/.clawdbot is still found on older installs.
// Verified against: openclaw/openclaw:docs/cli/mcp.md (mcp.servers registry and fields),
// docs/gateway/configuration-reference.md (config path, JSON5), the skills docs page (skill roots
// and precedence, commit "Docs: document skill source precedence").
// Not verified first-hand: the workspace AGENTS.md bootstrap file, and whether
// ~/.clawdbot/clawdbot.json ever carried `mcp.servers` (read in case).
// The config is JSON5; it is parsed as JSONC, so unquoted keys would be a parse error.
const MCP = { at: [['mcp', 'servers']] } as const;

export const openclaw: ClientSpec = {
  id: 'openclaw',
  name: 'OpenClaw',
  installMarkers: [{ path: '{home}/.openclaw' }, { path: '{home}/.clawdbot' }],
  configs: [
    { scope: 'user', path: '{home}/.openclaw/openclaw.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'user', path: '{home}/.clawdbot/clawdbot.json', format: 'jsonc', servers: MCP, settings: true },
  ],
  instructions: [
    { scope: 'user', path: '{home}/.openclaw/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.agents/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.openclaw/workspace/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.openclaw/workspace/.agents/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.openclaw/workspace/AGENTS.md', kind: 'agents-md' },
    { scope: 'user', path: '{home}/.clawdbot/skills/*/SKILL.md', kind: 'skill' },
  ],
};
