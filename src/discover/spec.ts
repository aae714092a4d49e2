// The catalogue's vocabulary: what one agent client looks like on disk. Each client is a data
// module in ./clients/<id>.ts; discovery code walks these tables and never branches on a client id.
import type { ConfigFormat, InstructionKind, OsName, Scope } from '../core/types.js';

/**
 * A path template. Variables, resolved per OS by ./paths.ts:
 *   {home}      the home directory
 *   {userData}  Electron-style app data: ~/.config (Linux), ~/Library/Application Support (macOS), ~/AppData/Roaming (Windows)
 *   {xdgConfig} ~/.config on Linux and macOS (CLIs that follow XDG there), ~/AppData/Roaming on Windows
 *   {localAppData} ~/AppData/Local (Windows only)
 *   {system}    the system root for managed scope: / (or --system-root); C:/ProgramData style paths are spelled out
 * Globs: `*` matches within one path segment, `**` any depth. Project-scope paths are relative to a project root.
 */
export type PathTemplate = string;

export interface ConfigSpec {
  scope: Scope;
  /** Operating systems where this path applies; all three when absent. Ignored for project scope. */
  os?: readonly OsName[];
  path: PathTemplate;
  format: ConfigFormat;
  /** How MCP servers are laid out in this file; absent when the file declares none (settings only). */
  servers?: ServerShape;
  /** The file also holds agent settings (permissions, approvals, hooks) that privilege rules read. */
  settings?: boolean;
  /** Keys of the object at this path are project folders the client has opened (Claude Code's `projects`). */
  projectRootsAt?: readonly string[];
}

/**
 * Where servers sit in a parsed config. `at` is a path from the document root; a `*` segment
 * matches every key there (e.g. Claude Code's `projects.*.mcpServers`). Servers are either an
 * object keyed by name (`map`) or an array of objects with a `name` field (`list`).
 */
export interface ServerShape {
  at: ReadonlyArray<readonly string[]>;
  layout?: 'map' | 'list';
  /** Scope for servers found under a path containing `*`, when it differs from the file's. */
  wildcardScope?: Scope;
}

export interface InstallMarker {
  os?: readonly OsName[];
  path: PathTemplate;
}

export interface VersionSource {
  os?: readonly OsName[];
  /** package.json / product.json (json-field), an app bundle's Info.plist, or a folder whose entries are version names. */
  path: PathTemplate;
  kind: 'json-field' | 'plist-version' | 'dir-name';
  /** For json-field: the key holding the version (e.g. "version"). */
  field?: string;
}

export interface InstructionSpec {
  scope: Scope;
  path: PathTemplate;
  kind: InstructionKind;
  os?: readonly OsName[];
}

export interface ClientSpec {
  id: string;
  name: string;
  /** Existence of any of these means the client is installed even when it has no config. */
  installMarkers: readonly InstallMarker[];
  configs: readonly ConfigSpec[];
  instructions?: readonly InstructionSpec[];
  versions?: readonly VersionSource[];
}
