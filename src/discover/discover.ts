// Discovery: from the catalogue and a set of homes and project trees to an inventory of clients,
// config files, declared servers and instruction files, plus a coverage report that says what
// was probed and what was seen there. Nothing here judges; rules do that later.
import { lstatSync, readdirSync, existsSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import { globSync } from 'tinyglobby';
import { ALL_OS } from '../core/types.js';
import type {
  Client,
  CoverageEntry,
  InstructionFile,
  OsName,
  Scope,
  ScanWarning,
} from '../core/types.js';
import { ConfigParseError, parseConfig, type ConfigDocument } from '../parse/document.js';
import { readTextFile } from '../parse/text.js';
import { CATALOGUE } from './catalogue.js';
import { hasGlob, resolveTemplate, splitGlob, type PathContext } from './paths.js';
import { extractServers, type ExtractedServer } from './servers.js';
import { isObject } from '../core/json.js';
import type { ClientSpec, ConfigSpec, InstructionSpec } from './spec.js';
import { resolveLinkInside, SKIPPED_HOME_DIRS, walkTree } from './walk.js';

export interface HomeTarget {
  path: string;
  /** Layouts to probe: the running OS for the real home, all three for an image or fixture. */
  os: readonly OsName[];
}

export interface DiscoverOptions {
  homes: readonly HomeTarget[];
  /** Project trees to walk in full. */
  projects: readonly string[];
  systemRoot: string | null;
  /** Also walk each home (bounded depth, caches skipped) for project folders. */
  walkHomes?: boolean;
  /** Also probe project folders that clients remember having opened (absolute paths on this machine). */
  followKnownProjects?: boolean;
  catalogue?: readonly ClientSpec[];
  isIgnored?: (absPath: string, isDir: boolean) => boolean;
  onProgress?: (filesSeen: number) => void;
}

export interface LoadedConfig {
  client: string;
  scope: Scope;
  spec: ConfigSpec;
  doc: ConfigDocument;
  mode: number;
}

export interface DiscoveredServer extends ExtractedServer {
  doc: ConfigDocument;
}

export interface LoadedInstruction {
  file: InstructionFile;
  text: string;
}

export interface Discovery {
  clients: Client[];
  configs: LoadedConfig[];
  servers: DiscoveredServer[];
  instructions: LoadedInstruction[];
  coverage: CoverageEntry[];
  warnings: ScanWarning[];
  filesSeen: number;
  filesRead: number;
}

const HOME_WALK_DEPTH = 6;
const PROJECT_WALK_DEPTH = 24;
const KNOWN_ROOT_DEPTH = 4;

/** A project-scope catalogue pattern, split into segments for matching a walked file's path tail. */
interface ProjectPattern {
  client: ClientSpec;
  segments: string[];
  matchers: Array<string | RegExp>;
  config?: ConfigSpec;
  instruction?: InstructionSpec;
}

class PatternIndex {
  private readonly byName = new Map<string, ProjectPattern[]>();
  private readonly byParent = new Map<string, ProjectPattern[]>();
  /** One-segment globs (`*.code-workspace`): tested against every file name, at any depth. */
  private readonly anyName: ProjectPattern[] = [];
  readonly all: ProjectPattern[] = [];

  constructor(catalogue: readonly ClientSpec[]) {
    for (const client of catalogue) {
      for (const config of client.configs) if (config.scope === 'project') this.add({ client, config, ...split(config.path) });
      for (const instruction of client.instructions ?? [])
        if (instruction.scope === 'project') this.add({ client, instruction, ...split(instruction.path) });
    }
  }

  private add(p: ProjectPattern) {
    this.all.push(p);
    const last = p.segments[p.segments.length - 1]!;
    if (!hasGlob(last)) push(this.byName, last, p);
    else if (p.segments.length === 1) this.anyName.push(p);
    else push(this.byParent, p.segments[p.segments.length - 2]!, p);
  }

  /** Whether any pattern could match a file of this name in this directory. */
  wants(dirSegs: readonly string[], name: string): boolean {
    return this.byName.has(name) || this.byParent.has(dirSegs[dirSegs.length - 1] ?? '') || this.anyName.some((p) => (p.matchers[0] as RegExp).test(name));
  }

  /** Patterns whose segments match the tail of `segs`. */
  match(segs: readonly string[]): ProjectPattern[] {
    const name = segs[segs.length - 1]!;
    const parent = segs[segs.length - 2] ?? '';
    const candidates = [...(this.byName.get(name) ?? []), ...(this.byParent.get(parent) ?? []), ...this.anyName];
    return candidates.filter((p) => {
      if (p.segments.length > segs.length) return false;
      const off = segs.length - p.segments.length;
      return p.matchers.every((m, i) => (typeof m === 'string' ? m === segs[off + i] : m.test(segs[off + i]!)));
    });
  }
}

function split(path: string): { segments: string[]; matchers: Array<string | RegExp> } {
  const segments = path.split('/');
  return {
    segments,
    matchers: segments.map((s) => (hasGlob(s) ? new RegExp('^' + s.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '.') + '$') : s)),
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function discover(opts: DiscoverOptions): Discovery {
  const catalogue = opts.catalogue ?? CATALOGUE;
  const state = new DiscoveryState(catalogue);

  for (const home of opts.homes) {
    for (const client of catalogue) state.probeUserScopes(client, home, opts.systemRoot);
  }

  const index = new PatternIndex(catalogue);
  const walkedRoots: string[] = [];
  const walk = (root: string, depth: number, topLevelSkips?: ReadonlySet<string>) => {
    walkedRoots.push(root);
    const found = new Set<ProjectPattern>();
    state.filesSeen += walkTree(root, {
      maxDepth: depth,
      ...(topLevelSkips ? { topLevelSkips } : {}),
      ...(opts.isIgnored ? { isIgnored: opts.isIgnored } : {}),
      warnings: state.warnings,
      wants: (dirSegs, name) => index.wants(dirSegs, name),
      ...(opts.onProgress ? { onProgress: (n: number) => opts.onProgress!(state.filesSeen + n) } : {}),
      onFile: (abs, segs) => {
        for (const p of index.match(segs)) {
          found.add(p);
          state.loadProjectFile(p, abs, root);
        }
      },
    });
    state.reportProjectCoverage(index.all, root, found);
  };

  for (const project of opts.projects) walk(project, PROJECT_WALK_DEPTH);
  if (opts.walkHomes) for (const home of opts.homes) if (!isUnder(home.path, opts.projects)) walk(home.path, HOME_WALK_DEPTH, SKIPPED_HOME_DIRS);
  // Project folders a client remembers (Claude Code's `projects`): probed near their root. Only
  // for the machine's own home: in another home (a disk image) those paths name this machine's files.
  if (opts.followKnownProjects) for (const root of state.knownProjectRoots) {
    if (!isUnder(root, walkedRoots) && existsSync(root)) walk(root, KNOWN_ROOT_DEPTH);
  }

  return state.finish();
}

function isUnder(path: string, roots: readonly string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(r.endsWith(sep) ? r : r + sep));
}

class DiscoveryState {
  readonly warnings: ScanWarning[] = [];
  readonly coverage = new Map<string, CoverageEntry>();
  readonly configs: LoadedConfig[] = [];
  readonly servers: DiscoveredServer[] = [];
  readonly instructions = new Map<string, LoadedInstruction>();
  readonly loadedPaths = new Set<string>();
  readonly serverFiles = new Set<string>();
  readonly knownProjectRoots = new Set<string>();
  readonly installed = new Map<string, { version?: string; files: Set<string> }>();
  filesSeen = 0;
  filesRead = 0;

  constructor(private readonly catalogue: readonly ClientSpec[]) {}

  probeUserScopes(client: ClientSpec, home: HomeTarget, systemRoot: string | null) {
    for (const os of home.os) {
      const ctx: PathContext = { os, home: home.path, systemRoot };
      for (const spec of client.configs) {
        if (spec.scope === 'project' || (spec.os && !spec.os.includes(os))) continue;
        const path = resolveTemplate(spec.path, ctx);
        if (path === null) {
          if (spec.scope === 'managed') this.cover(client.id, spec.scope, os, spec.path, 'skipped', 'system-wide location; pass --system-root to probe it with --home');
          continue;
        }
        for (const file of this.expand(spec.path, path, ctx, client.id, spec.scope, os)) this.loadConfig(client, spec, spec.scope, file, os);
      }
      for (const spec of client.instructions ?? []) {
        if (spec.scope === 'project' || (spec.os && !spec.os.includes(os))) continue;
        const path = resolveTemplate(spec.path, ctx);
        if (path === null) continue;
        for (const file of this.expand(spec.path, path, ctx, client.id, spec.scope, os)) this.loadInstruction(client, spec, file, os);
      }
      for (const marker of client.installMarkers) {
        if (marker.os && !marker.os.includes(os)) continue;
        const path = resolveTemplate(marker.path, ctx);
        if (path !== null && exists(path)) this.markInstalled(client.id);
      }
      for (const v of client.versions ?? []) {
        if (v.os && !v.os.includes(os)) continue;
        const path = resolveTemplate(v.path, ctx);
        const version = path === null ? undefined : readVersion(path, v.kind, v.field);
        if (version) this.markInstalled(client.id).version ??= version;
      }
    }
  }

  /** Concrete files for a resolved template; a glob that matches nothing is recorded as not present. */
  private expand(template: string, path: string, ctx: PathContext, client: string, scope: Scope, os: OsName): string[] {
    if (!hasGlob(template)) return [path];
    // Split the template, not the resolved path: a home named `h[ab]` or `*` is a literal directory.
    const split = splitGlob(template);
    const base = resolveTemplate(split.base, ctx);
    const pattern = split.pattern;
    let matches: string[] = [];
    if (base !== null && exists(base)) {
      try {
        matches = globSync(pattern, { cwd: base, absolute: true, dot: true, followSymbolicLinks: false, onlyFiles: true, expandDirectories: false });
      } catch (err) {
        this.warnings.push({ file: base, message: `cannot list: ${(err as Error).message}` });
      }
    }
    if (matches.length === 0) this.cover(client, scope, os, path, 'not-present');
    return matches.map((m) => join(m)).sort();
  }

  private cover(client: string, scope: Scope, os: OsName | readonly OsName[], path: string, status: CoverageEntry['status'], detail?: string) {
    const key = `${client}\0${scope}\0${path}`;
    const oses = typeof os === 'string' ? [os] : os;
    const prev = this.coverage.get(key);
    if (prev) {
      for (const o of oses) if (!prev.os.includes(o)) prev.os.push(o);
      return;
    }
    this.coverage.set(key, { client, scope, os: [...oses], path, status, ...(detail ? { detail } : {}) });
  }

  private markInstalled(client: string) {
    let entry = this.installed.get(client);
    if (!entry) this.installed.set(client, (entry = { files: new Set() }));
    return entry;
  }

  private loadConfig(client: ClientSpec, spec: ConfigSpec, scope: Scope, path: string, os: OsName | readonly OsName[]) {
    const key = `${client.id}\0${path}`;
    if (this.loadedPaths.has(key)) {
      this.cover(client.id, scope, os, path, 'found');
      return;
    }
    const read = readTextFile(path);
    if (!read.ok) {
      this.cover(client.id, scope, os, path, read.status, read.status === 'not-present' ? undefined : read.detail);
      if (read.status === 'unreadable') this.warnings.push({ file: path, message: read.detail });
      return;
    }
    this.loadedPaths.add(key);
    this.filesRead++;
    if (read.note) this.warnings.push({ file: path, message: read.note });
    let doc: ConfigDocument;
    try {
      doc = parseConfig(path, read.text, spec.format);
    } catch (err) {
      const e = err as ConfigParseError;
      const detail = e instanceof ConfigParseError ? `line ${e.line}, column ${e.column}: ${e.reason}` : String(err);
      this.cover(client.id, scope, os, path, 'parse-error', detail);
      this.warnings.push({ file: path, message: `could not parse (${detail}); skipped` });
      return;
    }
    this.cover(client.id, scope, os, path, 'found');
    this.markInstalled(client.id).files.add(path);
    // One file read by two clients (`.mcp.json`: Claude Code and Copilot CLI) declares its servers once.
    const firstReader = !this.serverFiles.has(path);
    this.serverFiles.add(path);
    if (!firstReader) return;
    this.configs.push({ client: client.id, scope, spec, doc, mode: read.mode });
    if (spec.servers) {
      for (const s of extractServers(doc, spec.servers, client.id, scope)) this.servers.push({ ...s, doc });
    }
    if (spec.projectRootsAt) {
      let node: unknown = doc.data;
      for (const k of spec.projectRootsAt) node = isObject(node) ? node[k] : undefined;
      if (isObject(node)) for (const root of Object.keys(node)) if (isAbsolute(root)) this.knownProjectRoots.add(root);
    }
  }

  private loadInstruction(client: ClientSpec, spec: InstructionSpec, path: string, os: OsName | readonly OsName[]) {
    const scope = spec.scope;
    const existing = this.instructions.get(path);
    if (existing) {
      if (!existing.file.clients.includes(client.id)) existing.file.clients.push(client.id);
      return;
    }
    const read = readTextFile(path);
    if (!read.ok) {
      if (read.status === 'unreadable') this.warnings.push({ file: path, message: read.detail });
      if (read.status === 'not-present') this.cover(client.id, scope, os, path, 'not-present');
      return;
    }
    this.filesRead++;
    if (read.note) this.warnings.push({ file: path, message: read.note });
    this.markInstalled(client.id);
    this.instructions.set(path, {
      file: { path, kind: spec.kind, scope, clients: [client.id], bytes: read.bytes, sha256: read.sha256 },
      text: read.text,
    });
  }

  loadProjectFile(p: ProjectPattern, abs: string, root: string) {
    let path = abs;
    if (isSymlink(abs)) {
      const link = resolveLinkInside(abs, root);
      if (!link.ok) {
        this.warnings.push({ file: abs, message: link.reason });
        return;
      }
      path = link.target;
    }
    if (p.config) {
      if (this.loadedPaths.has(`${p.client.id}\0${path}`)) return;
      this.loadConfig(p.client, p.config, 'project', path, ALL_OS);
    } else if (p.instruction) {
      this.loadInstruction(p.client, p.instruction, path, ALL_OS);
    }
  }

  /** One coverage line per project pattern and walked root: found somewhere under it, or not. */
  reportProjectCoverage(patterns: readonly ProjectPattern[], root: string, found: ReadonlySet<ProjectPattern>) {
    for (const p of patterns) {
      if (!p.config) continue;
      const display = join(root, '**', ...p.segments);
      if (found.has(p)) continue;
      const key = `${p.client.id}\0project\0${display}`;
      if (!this.coverage.has(key)) this.coverage.set(key, { client: p.client.id, scope: 'project', os: [...ALL_OS], path: display, status: 'not-present' });
    }
  }

  finish(): Discovery {
    const clients: Client[] = this.catalogue.map((c) => {
      const inst = this.installed.get(c.id);
      return {
        id: c.id,
        name: c.name,
        installed: inst !== undefined,
        ...(inst?.version ? { version: inst.version } : {}),
        configFiles: inst ? [...inst.files].sort() : [],
      };
    });
    // Project files found by walking are attributed to their client's config list too.
    for (const cfg of this.configs) {
      const c = clients.find((x) => x.id === cfg.client);
      if (c && !c.configFiles.includes(cfg.doc.path)) c.configFiles.push(cfg.doc.path);
    }
    return {
      clients,
      configs: this.configs,
      servers: this.servers,
      instructions: [...this.instructions.values()],
      coverage: [...this.coverage.values()],
      warnings: this.warnings,
      filesSeen: this.filesSeen,
      filesRead: this.filesRead,
    };
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function readVersion(path: string, kind: 'json-field' | 'plist-version' | 'dir-name', field?: string): string | undefined {
  if (kind === 'dir-name') {
    try {
      const names = readdirSync(path).filter((n) => /^\d+(\.\d+)+/.test(n));
      return names.sort(compareVersions).at(-1);
    } catch {
      return undefined;
    }
  }
  const read = readTextFile(path, 1024 * 1024);
  if (!read.ok) return undefined;
  if (kind === 'plist-version') {
    return /<key>CFBundleShortVersionString<\/key>\s*<string>([^<]{1,64})<\/string>/.exec(read.text)?.[1];
  }
  try {
    const data: unknown = JSON.parse(read.text);
    const v = isObject(data) ? data[field ?? 'version'] : undefined;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Every path discovery would probe, for `warden scan --list-locations`. */
export function listLocations(homes: readonly HomeTarget[], systemRoot: string | null, catalogue: readonly ClientSpec[] = CATALOGUE) {
  const rows: Array<{ client: string; scope: Scope; os: OsName; kind: 'config' | 'instructions' | 'install-marker'; path: string }> = [];
  for (const home of homes) {
    for (const os of home.os) {
      const ctx: PathContext = { os, home: home.path, systemRoot };
      for (const client of catalogue) {
        for (const spec of client.configs) {
          if (spec.os && !spec.os.includes(os)) continue;
          const path = spec.scope === 'project' ? join('<project>', spec.path) : resolveTemplate(spec.path, ctx);
          if (path) rows.push({ client: client.id, scope: spec.scope, os, kind: 'config', path });
        }
        for (const spec of client.instructions ?? []) {
          if (spec.os && !spec.os.includes(os)) continue;
          const path = spec.scope === 'project' ? join('<project>', spec.path) : resolveTemplate(spec.path, ctx);
          if (path) rows.push({ client: client.id, scope: spec.scope, os, kind: 'instructions', path });
        }
      }
    }
  }
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = `${r.client}\0${r.kind}\0${r.path}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

