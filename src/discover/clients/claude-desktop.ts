import type { ClientSpec } from '../spec.js';

// Anthropic's desktop app. Linux has no official build; community builds use the same layout.
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
  ],
  versions: [
    { os: ['macos'], path: '{system}/Applications/Claude.app/Contents/Info.plist', kind: 'plist-version' },
    { os: ['windows'], path: '{localAppData}/AnthropicClaude', kind: 'dir-name' },
  ],
};
