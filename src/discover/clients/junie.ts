import type { ClientSpec } from '../spec.js';

// JetBrains Junie (the agent in JetBrains IDEs and the Junie CLI). `mcpServers` in
// ~/.junie/mcp/mcp.json (global) and <project>/.junie/mcp/mcp.json; stdio servers only.
// Guidelines: .junie/AGENTS.md (current default), AGENTS.md, and the older .junie/guidelines.md,
// which has no InstructionKind yet.
// Verified against: jetbrains.com/help/junie/model-context-protocol-mcp.html (stdio only, JSON with
// mcpServers), jetbrains.com/help/junie/project-settings.html (guidelines path, AGENTS.md).
// The two mcp.json paths come from the agent-config crate (docs/agents/junie.md), not a JetBrains page.
export const junie: ClientSpec = {
  id: 'junie',
  name: 'JetBrains Junie',
  installMarkers: [{ path: '{home}/.junie' }],
  configs: [
    { scope: 'user', path: '{home}/.junie/mcp/mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'project', path: '.junie/mcp/mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
  ],
  instructions: [
    { scope: 'project', path: '.junie/AGENTS.md', kind: 'agents-md' },
    { scope: 'project', path: 'AGENTS.md', kind: 'agents-md' },
  ],
};
