import type { ClientSpec } from '../spec.js';

// Roo Code, a Cline fork (VS Code extension rooveterinaryinc.roo-cline, also run inside forks).
// Global servers in globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json; project
// servers in <project>/.roo/mcp.json, both under `mcpServers`. Roo also reads AGENTS.md.
// Roo's own rule files (.roorules, .roo/rules/, ~/.roo/rules/) have no InstructionKind yet.
// Verified against: docs.roocode.com/features/mcp/using-mcp-in-roo (global mcp_settings.json and
// project .roo/mcp.json). Not verified against a primary source: the globalStorage folder name
// (community listings and Roo's own settings UI agree on it) and AGENTS.md support.
export const rooCode: ClientSpec = {
  id: 'roo-code',
  name: 'Roo Code',
  installMarkers: [
    { path: '{userData}/Code/User/globalStorage/rooveterinaryinc.roo-cline' },
    { path: '{userData}/Cursor/User/globalStorage/rooveterinaryinc.roo-cline' },
    { path: '{home}/.roo' },
  ],
  configs: [
    {
      scope: 'user',
      path: '{userData}/*/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
      format: 'json',
      servers: { at: [['mcpServers']] },
    },
    { scope: 'project', path: '.roo/mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
  ],
  instructions: [{ scope: 'project', path: 'AGENTS.md', kind: 'agents-md' }],
};
