import type { ClientSpec } from '../spec.js';

// Goose (Block, now the AAIF goose project). `extensions` in config.yaml is a map keyed by
// extension name; each entry has `type` (builtin, platform, stdio, streamable_http; sse on older
// configs), `enabled`, and for stdio `cmd`, `args`, `envs`, for remote `uri` and `headers`.
// builtin/platform entries run in-process and have neither a command nor a URL. The file is
// ~/.config/goose/config.yaml on macOS and Linux and %APPDATA%\Block\goose\config\config.yaml on
// Windows; GOOSE_MODE (approval behaviour) sits at its root, tool permissions in permission.yaml.
// Hints (.goosehints, ~/.config/goose/.goosehints) have no InstructionKind yet.
// Verified against: aaif-goose/goose:documentation/docs/guides/config-files.md (paths per OS,
// extension fields and types), documentation/docs/guides/using-goosehints.md.
const MCP = { at: [['extensions']] } as const;

export const goose: ClientSpec = {
  id: 'goose',
  name: 'Goose',
  installMarkers: [
    { os: ['linux', 'macos'], path: '{home}/.config/goose' },
    { os: ['windows'], path: '{userData}/Block/goose' },
    { os: ['macos'], path: '{system}/Applications/Goose.app' },
  ],
  configs: [
    { scope: 'user', os: ['linux', 'macos'], path: '{home}/.config/goose/config.yaml', format: 'yaml', servers: MCP, settings: true },
    { scope: 'user', os: ['linux', 'macos'], path: '{home}/.config/goose/permission.yaml', format: 'yaml', settings: true },
    { scope: 'user', os: ['windows'], path: '{userData}/Block/goose/config/config.yaml', format: 'yaml', servers: MCP, settings: true },
    { scope: 'user', os: ['windows'], path: '{userData}/Block/goose/config/permission.yaml', format: 'yaml', settings: true },
  ],
  versions: [{ os: ['macos'], path: '{system}/Applications/Goose.app/Contents/Info.plist', kind: 'plist-version' }],
};
