import type { ClientSpec } from '../spec.js';

export const cursor: ClientSpec = {
  id: 'cursor',
  name: 'Cursor',
  installMarkers: [
    { path: '{home}/.cursor' },
    { path: '{userData}/Cursor' },
    { os: ['macos'], path: '{system}/Applications/Cursor.app' },
    { os: ['windows'], path: '{localAppData}/Programs/cursor' },
  ],
  configs: [
    { scope: 'user', path: '{home}/.cursor/mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'user', path: '{userData}/Cursor/User/settings.json', format: 'jsonc', settings: true },
    { scope: 'plugin', path: '{home}/.cursor/plugins/**/.mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
    { scope: 'project', path: '.cursor/mcp.json', format: 'json', servers: { at: [['mcpServers']] } },
  ],
  instructions: [
    { scope: 'project', path: '.cursorrules', kind: 'cursorrules' },
    { scope: 'project', path: '.cursor/rules/*.mdc', kind: 'cursor-rule' },
    { scope: 'project', path: '.cursor/rules/*.md', kind: 'cursor-rule' },
    { scope: 'user', path: '{home}/.cursor/skills/*/SKILL.md', kind: 'skill' },
  ],
  versions: [
    { os: ['macos'], path: '{system}/Applications/Cursor.app/Contents/Resources/app/package.json', kind: 'json-field', field: 'version' },
    { os: ['linux'], path: '{system}/usr/share/cursor/resources/app/package.json', kind: 'json-field', field: 'version' },
    { os: ['windows'], path: '{localAppData}/Programs/cursor/resources/app/package.json', kind: 'json-field', field: 'version' },
  ],
};
