import type { ClientSpec } from '../spec.js';

// LM Studio (0.3.17+) acts as an MCP host and follows Cursor's mcp.json notation: `mcpServers` in
// ~/.lmstudio/mcp.json (%USERPROFILE%\.lmstudio\mcp.json on Windows). A bug report says a copy also
// appears in ~/.cache/lm-studio/mcp.json on macOS; that copy is not read here.
// Verified against: lmstudio.ai/docs/app/mcp; lmstudio-ai/lmstudio-bug-tracker#1371.
export const lmStudio: ClientSpec = {
  id: 'lm-studio',
  name: 'LM Studio',
  installMarkers: [
    { path: '{home}/.lmstudio' },
    { os: ['macos'], path: '{system}/Applications/LM Studio.app' },
    { os: ['windows'], path: '{localAppData}/Programs/LM Studio' },
  ],
  configs: [{ scope: 'user', path: '{home}/.lmstudio/mcp.json', format: 'json', servers: { at: [['mcpServers']] } }],
  versions: [{ os: ['macos'], path: '{system}/Applications/LM Studio.app/Contents/Info.plist', kind: 'plist-version' }],
};
