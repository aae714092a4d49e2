import type { ClientSpec } from '../spec.js';

// OpenCode (sst/opencode, now anomalyco/opencode). V1 keeps servers by name directly under `mcp`
// in opencode.json(c); V2 moves them to `mcp.servers` (and `disabled` replaces `enabled`). Both
// are read, so a V2 file also yields a nameless-looking entry called `servers` until the
// extractor can skip a key another `at` path descends into. An entry is `type: "local"` with
// `command` as an array and `environment`, or `type: "remote"` with `url` and `headers`. The global file follows XDG on every OS
// (xdg-basedir), so it is ~/.config/opencode even on Windows. Project files: opencode.json(c) and
// .opencode/opencode.json(c), found from the working directory up to the git root. Admins can
// place managed files in /etc/opencode or /Library/Application Support/opencode.
// Instructions: AGENTS.md (project) and ~/.config/opencode/AGENTS.md, with CLAUDE.md and
// ~/.claude/CLAUDE.md as fallbacks; skills in .opencode/skills, ~/.config/opencode/skills and the
// Claude and .agents compatibility folders; commands in .opencode/commands.
// Verified against: opencode.ai/docs/config (locations, precedence, managed files), opencode.ai/docs/mcp-servers
// (V1) and opencode.ai/v2/docs/mcp-servers (V2), anomalyco/opencode:packages/web/src/content/docs/skills.mdx
// (six skill roots); snyk/agent-scan:src/agent_scan/agents/opencode.py. Not verified: a Windows managed
// folder (none listed), the CLAUDE.md fallbacks (opencode.ai/docs/rules) and the singular `command` folder.
const MCP = { at: [['mcp'], ['mcp', 'servers']] } as const;
const GLOBAL = '{home}/.config/opencode';

export const opencode: ClientSpec = {
  id: 'opencode',
  name: 'OpenCode',
  installMarkers: [{ path: GLOBAL }, { path: '{home}/.local/share/opencode' }, { path: '{home}/.opencode/bin' }],
  configs: [
    { scope: 'user', path: `${GLOBAL}/opencode.json`, format: 'jsonc', servers: MCP, settings: true },
    { scope: 'user', path: `${GLOBAL}/opencode.jsonc`, format: 'jsonc', servers: MCP, settings: true },
    { scope: 'user', path: `${GLOBAL}/config.json`, format: 'jsonc', servers: MCP, settings: true },
    { scope: 'managed', os: ['linux'], path: '{system}/etc/opencode/opencode.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'managed', os: ['linux'], path: '{system}/etc/opencode/opencode.jsonc', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'managed', os: ['macos'], path: '{system}/Library/Application Support/opencode/opencode.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'managed', os: ['macos'], path: '{system}/Library/Application Support/opencode/opencode.jsonc', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'project', path: 'opencode.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'project', path: 'opencode.jsonc', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'project', path: '.opencode/opencode.json', format: 'jsonc', servers: MCP, settings: true },
    { scope: 'project', path: '.opencode/opencode.jsonc', format: 'jsonc', servers: MCP, settings: true },
  ],
  instructions: [
    { scope: 'user', path: `${GLOBAL}/AGENTS.md`, kind: 'agents-md' },
    { scope: 'user', path: '{home}/.claude/CLAUDE.md', kind: 'claude-md' },
    { scope: 'user', path: `${GLOBAL}/skills/*/SKILL.md`, kind: 'skill' },
    { scope: 'user', path: '{home}/.claude/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: '{home}/.agents/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'user', path: `${GLOBAL}/commands/*.md`, kind: 'command' },
    { scope: 'user', path: `${GLOBAL}/command/*.md`, kind: 'command' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
    { scope: 'project', path: 'CLAUDE.md', kind: 'claude-md' },
    { scope: 'project', path: '.opencode/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.claude/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.agents/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.opencode/commands/*.md', kind: 'command' },
    { scope: 'project', path: '.opencode/command/*.md', kind: 'command' },
  ],
};
