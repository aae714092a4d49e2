import type { ClientSpec } from '../spec.js';

// Roo Code, a Cline fork (VS Code extension rooveterinaryinc.roo-cline, also run inside forks).
// Global servers in globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json; project
// servers in <project>/.roo/mcp.json, both under `mcpServers`. Roo also reads AGENTS.md.
// Roo's own rule files (.roorules, .roo/rules/, ~/.roo/rules/) have no InstructionKind yet.
// Verified against: docs.roocode.com/features/mcp/using-mcp-in-roo (both files),
// docs.roocode.com/features/custom-instructions (rules folders, AGENTS.md).
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
