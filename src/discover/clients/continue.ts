import type { ClientSpec } from '../spec.js';

// Continue (VS Code and JetBrains extension, and the `cn` CLI). The global config is
// ~/.continue/config.yaml, whose `mcpServers` is a list of {name, command, args, env} or
// {name, type, url}; the legacy config.json kept a list under
// `experimental.modelContextProtocolServers` with each server's fields inside `transport`.
// Block files in <workspace>/.continue/mcpServers/ (and the user-level ~/.continue/mcpServers/)
// are YAML blocks with their own `mcpServers` list, or Claude-style JSON files with an
// `mcpServers` map. ~/.continue is %USERPROFILE%\.continue on Windows.
// Verified against: continuedev/continue:docs/customize/deep-dives/mcp.mdx (block folder, JSON
// files accepted), docs/reference.mdx (config.yaml mcpServers), docs/reference/json-reference.mdx
// (experimental.modelContextProtocolServers), docs/reference/yaml-migration.mdx.
const LIST = { at: [['mcpServers']], layout: 'list' } as const;
const MAP = { at: [['mcpServers']] } as const;

export const continueDev: ClientSpec = {
  id: 'continue',
  name: 'Continue',
  installMarkers: [{ path: '{home}/.continue' }],
  configs: [
    { scope: 'user', path: '{home}/.continue/config.yaml', format: 'yaml', servers: LIST, settings: true },
    {
      scope: 'user',
      path: '{home}/.continue/config.json',
      format: 'json',
      servers: { at: [['experimental', 'modelContextProtocolServers']], layout: 'list' },
      settings: true,
    },
    { scope: 'user', path: '{home}/.continue/mcpServers/*.yaml', format: 'yaml', servers: LIST },
    { scope: 'user', path: '{home}/.continue/mcpServers/*.json', format: 'json', servers: MAP },
    { scope: 'project', path: '.continue/mcpServers/*.yaml', format: 'yaml', servers: LIST },
    { scope: 'project', path: '.continue/mcpServers/*.json', format: 'json', servers: MAP },
  ],
};
