import type { ClientSpec } from '../spec.js';

// Anthropic's desktop app. MCP servers live in `mcpServers` of claude_desktop_config.json under
// the app's Electron user-data folder. Linux has no official build; community builds use the
// same layout under ~/.config/Claude. The Microsoft Store (MSIX) build on Windows is virtualised:
// its AppData\Roaming writes land under AppData\Local\Packages\Claude_<publisher>\LocalCache.
// Verified against: modelcontextprotocol.io "Connect to local MCP servers" (config path per OS);
// snyk/agent-scan:src/agent_scan/agents/claude_desktop.py. The MSIX path follows Windows' package
// redirection rules and is not in Anthropic's docs.
// Not expressible yet: installed Desktop Extensions (`Claude Extensions/*/manifest.json`) declare
// a single server at `server.mcp_config`, not a map of servers.
export const claudeDesktop: ClientSpec = {
  id: 'claude-desktop',
  name: 'Claude Desktop',
  installMarkers: [
    { os: ['macos'], path: '{home}/Applications/Claude.app' },
    { os: ['macos'], path: '{system}/Applications/Claude.app' },
    { os: ['windows'], path: '{localAppData}/AnthropicClaude' },
    { path: '{userData}/Claude' },
  ],
  configs: [
    { scope: 'user', path: '{userData}/Claude/claude_desktop_config.json', format: 'json', servers: { at: [['mcpServers']] } },
    {
      scope: 'user',
      os: ['windows'],
      path: '{localAppData}/Packages/Claude_*/LocalCache/Roaming/Claude/claude_desktop_config.json',
      format: 'json',
      servers: { at: [['mcpServers']] },
    },
  ],
  versions: [
    { os: ['macos'], path: '{system}/Applications/Claude.app/Contents/Info.plist', kind: 'plist-version' },
    { os: ['macos'], path: '{home}/Applications/Claude.app/Contents/Info.plist', kind: 'plist-version' },
  ],
};
