import type { ClientSpec } from '../spec.js';

// Kiro (AWS's agentic IDE, a VS Code fork) and Kiro CLI (successor of the Amazon Q Developer CLI).
// `mcpServers` in ~/.kiro/settings/mcp.json (user) and <workspace>/.kiro/settings/mcp.json; custom
// agents in ~/.kiro/agents/*.json and .kiro/agents/*.json can declare their own `mcpServers` and
// tool permissions; installed Powers ship an mcp.json under ~/.kiro/powers/installed/<name>/.
// Kiro reads AGENTS.md; skills in ~/.kiro/skills and .kiro/skills. Steering files
// (.kiro/steering/*.md, ~/.kiro/steering/*.md) have no InstructionKind yet.
// Verified against: kiro.dev/docs/mcp/configuration (both mcp.json locations, entry fields),
// kiro.dev/docs/cli/chat/configuration (global/project scopes: mcp.json, agents, steering, settings/cli.json).
// From snyk/agent-scan:src/agent_scan/agents/vscode/kiro.py (which cites kiro.dev/docs/skills and the
// Powers docs), not checked first-hand: skills folders, Powers layout, AGENTS.md.
const MCP = { at: [['mcpServers']] } as const;

export const kiro: ClientSpec = {
  id: 'kiro',
  name: 'Kiro',
  installMarkers: [
    { path: '{home}/.kiro' },
    { path: '{userData}/Kiro' },
    { path: '{userData}/kiro' },
    { os: ['macos'], path: '{system}/Applications/Kiro.app' },
    { os: ['windows'], path: '{localAppData}/Programs/Kiro' },
  ],
  configs: [
    { scope: 'user', path: '{home}/.kiro/settings/mcp.json', format: 'json', servers: MCP },
    { scope: 'user', path: '{home}/.kiro/agents/*.json', format: 'json', servers: MCP, settings: true },
    { scope: 'user', path: '{home}/.kiro/settings/cli.json', format: 'json', settings: true },
    { scope: 'plugin', path: '{home}/.kiro/powers/installed/*/mcp.json', format: 'json', servers: MCP },
    { scope: 'project', path: '.kiro/settings/mcp.json', format: 'json', servers: MCP },
    { scope: 'project', path: '.kiro/agents/*.json', format: 'json', servers: MCP, settings: true },
  ],
  instructions: [
    { scope: 'user', path: '{home}/.kiro/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: '.kiro/skills/*/SKILL.md', kind: 'skill' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
  ],
  versions: [{ os: ['macos'], path: '{system}/Applications/Kiro.app/Contents/Info.plist', kind: 'plist-version' }],
};
