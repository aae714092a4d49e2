// The lockfile of pinned servers (`warden.lock.json`): for every server Warden connected to, how
// it is launched, who it says it is, and a hash plus the canonical text of every tool, prompt and
// resource it showed. It is meant to be committed and reviewed, so it is plain, sorted,
// pretty-printed JSON that diffs line by line, and it holds no credential: env and header values
// are never written (only their names), and secrets in arguments and URLs are redacted.
//
// `warden pin` builds it (buildLock), `warden verify` and `warden scan --connect` compare live
// servers against it (diffLock, in drift.ts). Nothing here opens a connection: callers pass the
// inspections.
//
// Keying. A server is keyed `<client>/<name>` (`claude-code/github`, `cursor/github`), not by name
// alone and not by its launch spec:
// - each client starts its own process from its own declaration, and the declarations drift apart
//   (Cursor's `github` left on an old version, each `filesystem` server given other roots), so a
//   name-only key would make one entry flip between two servers, and a drift report must name the
//   client whose config to fix;
// - a launch spec in the key would turn a version bump into "server removed + server added" and
//   lose the "launch spec changed" diff that review needs;
// - client ids and server names are the same on every machine, so a repository's lockfile means the
//   same thing in every checkout, with no paths in its keys.
// The price is that a server declared in both `.mcp.json` and `.cursor/mcp.json` is pinned twice;
// a change then shows under both clients, which is true: both will load it. When one client
// declares a name twice (user and project scope, or two nested project configs), those entries
// are told apart by scope, then by declaring file. Entries are matched to servers by their fields
// (client, name, scope, file), not by re-deriving the key, so such a disambiguation never orphans
// an entry.
//
// Format changes, including any change to the canonical form in canonical.ts, bump
// `lockfileVersion`: readers check every stored hash against its stored definition.
import { statSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { homedir } from 'node:os';
import type { DefinitionKind, ProtocolEra, Scope, ServerDecl, ServerInspection, Transport } from '../core/types.js';
import { UsageError } from '../core/errors.js';
import { ConfigParseError, parseConfig, type ConfigDocument, type PathSegment } from '../parse/document.js';
import { describeFsError, formatBytes, readTextFile } from '../parse/text.js';
import { launchPackages, type Ecosystem, type PackageRef } from '../detect/packages.js';
import { redactArgs, redactUrl, redactUrlsIn } from '../detect/redact.js';
import { scanTextForSecrets } from '../detect/secrets.js';
import { escapeInvisible } from '../detect/unicode.js';
import { writeFileAtomically } from './atomic-file.js';
import {
  SHA256_REF,
  canonicalDefinition,
  canonicalHash,
  dataObject,
  exceedsLimits,
  serializeCanonical,
  textHash,
  type JsonObject,
  type JsonValue,
} from './canonical.js';

export const LOCKFILE_VERSION = 1;
export const LOCKFILE_NAME = 'warden.lock.json';
/** readLockfile refuses larger files, and writeLockfile never writes one it would refuse. */
export const MAX_LOCKFILE_BYTES = 50 * 1024 * 1024;
/**
 * A definition larger or deeper than this is pinned by hash only: a hostile server can send a
 * 10 MB description or a schema 10,000 levels deep, and the lockfile must stay readable, reviewable
 * and under MAX_LOCKFILE_BYTES. Real schemas nest a dozen levels and weigh a few KB.
 */
export const STORE_LIMITS = { maxDepth: 64, maxChars: 256 * 1024 } as const;

// ---------------------------------------------------------------------------------------------
// Format
// ---------------------------------------------------------------------------------------------

export interface Lockfile {
  lockfileVersion: typeof LOCKFILE_VERSION;
  /** Keyed `<client>/<name>`; a prototype-less record (a server may be called `__proto__`). */
  servers: Record<string, LockedServer>;
}

export interface LockedServer {
  /** The server's name in its client's config. */
  name: string;
  client: string;
  scope: Scope;
  /** The declaring config: relative to the lockfile's root, `~/…` under the home, else absolute. Informational. */
  file?: string;
  launch: LockedLaunch;
  identity: LockedIdentity;
  /** `sha256:<hex>` of the server's `instructions` text, when it sent any. */
  instructionsSha256?: string;
  /** The instructions themselves, for review and diffs; absent when over STORE_LIMITS. */
  instructions?: string;
  /** Keyed `tool:<name>`, `prompt:<name>`, `resource:<uri>`, `resource-template:<uriTemplate>`. */
  definitions: Record<string, LockedDefinition>;
}

/** How the server is started, with no credential in it. */
export interface LockedLaunch {
  transport: Transport;
  command?: string;
  /** Secrets redacted (`--api-key sk-p…(51 chars)`, `-e TOKEN=ghp_…(40 chars)`, URL tokens). */
  args: string[];
  /** Userinfo passwords and credential query parameters redacted. */
  url?: string;
  /** Names only: values never leave the machine. */
  envNames: string[];
  /** Names only. */
  headerNames: string[];
  /** What the launch fetches (npx/uvx/docker… specs), as written: version, tag, digest or commit. */
  packages: LockedPackage[];
}

/** A package the launch fetches, as written in the config (see detect/packages). */
export type LockedPackage = Pick<PackageRef, 'ecosystem' | 'name' | 'version' | 'tag' | 'digest' | 'commit' | 'pinned'>;

/** Who the server says it is (`serverInfo` from `initialize` or `server/discover`) and how it spoke. */
export interface LockedIdentity {
  name?: string;
  version?: string;
  title?: string;
  protocolVersion?: string;
  era?: ProtocolEra;
}

export interface LockedDefinition {
  sha256: string;
  /** The canonical form (canonical.ts), for review and for showing what changed. */
  definition?: JsonObject;
  /** Why `definition` is not stored (over STORE_LIMITS): drift is then detected by hash alone. */
  omitted?: string;
}

export interface LockOptions {
  /** Directory the lockfile belongs to (the repository); declaring files inside it are recorded relative to it. */
  root?: string;
  /** The user's home (default: os.homedir()); declaring files inside it are recorded as `~/…`. */
  home?: string;
  /**
   * buildLock: drop entries of servers no longer declared by any config in `decls` (default
   * true). Entries of servers still declared but not inspected, or whose inspection failed, are
   * always kept: a server being down must never cost its pins. Pass false when `decls` is a subset.
   */
  prune?: boolean;
}

/** A lockfile that cannot be read: printed as one line naming the file, line, column and field (exit code 2). */
export class LockfileError extends UsageError {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
    readonly field?: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}:${column ?? 1}` : ''}: ${field !== undefined ? `${field}: ` : ''}${reason}`);
    this.name = 'LockfileError';
  }
}

const SCOPES: readonly Scope[] = ['user', 'project', 'managed', 'plugin'];
const TRANSPORTS: readonly Transport[] = ['stdio', 'http', 'sse', 'unknown'];
const ERAS: readonly ProtocolEra[] = ['legacy', 'modern'];
const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'jsr', 'pypi', 'oci', 'go', 'git', 'url'];
/** Definition kinds that get a `definitions` entry; `instructions` is pinned beside them. */
export const PINNED_KINDS: readonly DefinitionKind[] = ['tool', 'prompt', 'resource', 'resource-template'];

function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

// ---------------------------------------------------------------------------------------------
// What a live server shows now (buildLock pins it; diffLock in drift.ts compares it)
// ---------------------------------------------------------------------------------------------

export interface CurrentDefinition {
  key: string;
  kind: DefinitionKind;
  name: string;
  sha256: string;
  canon: JsonValue;
  /** Set when `canon` is over STORE_LIMITS. */
  omitted?: string;
}

interface CurrentServer {
  identity: LockedIdentity;
  instructions?: string;
  definitions: Map<string, CurrentDefinition>;
}

export function definitionKey(kind: DefinitionKind, name: string): string {
  return `${kind}:${name}`;
}

/** `tool:x` → tool "x"; undefined for a key no definition can have. */
export function parseDefinitionKey(key: string): { kind: DefinitionKind; name: string } | undefined {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon) as DefinitionKind;
  return colon > 0 && PINNED_KINDS.includes(kind) ? { kind, name: key.slice(colon + 1) } : undefined;
}

export function currentServer(inspection: ServerInspection): CurrentServer {
  const texts: string[] = [];
  const byKey = new Map<string, CurrentDefinition[]>();
  for (const def of inspection.definitions) {
    if (def.kind === 'instructions') {
      const text = def.raw['instructions'];
      texts.push(typeof text === 'string' ? text : serializeCanonical(canonicalDefinition(def)));
      continue;
    }
    const canon = canonicalDefinition(def);
    // Clipped like identity strings: the name is the server's to choose, the key is a lockfile line.
    const key = definitionKey(def.kind, clipReported(def.name));
    const omitted = exceedsLimits(canon, STORE_LIMITS);
    const entry: CurrentDefinition = { key, kind: def.kind, name: def.name, sha256: canonicalHash(canon), canon, ...(omitted ? { omitted } : {}) };
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  return {
    identity: identityOf(inspection),
    ...(texts.length > 0 ? { instructions: texts.join('\n') } : {}),
    definitions: uniqueDefinitionKeys(byKey),
  };
}

/**
 * A server that lists one name twice (buggy, or hiding a second version of a tool behind the
 * first) keeps both: the copies are ordered by hash, so the listing order does not matter, and
 * all but the first get a ` (duplicate N)` suffix.
 */
export const DUPLICATE_SUFFIX = / \(duplicate \d+\)$/;

function uniqueDefinitionKeys(byKey: Map<string, CurrentDefinition[]>): Map<string, CurrentDefinition> {
  const out = new Map<string, CurrentDefinition>();
  const extra: CurrentDefinition[][] = [];
  for (const [key, defs] of byKey) {
    defs.sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
    out.set(key, defs[0]!);
    if (defs.length > 1) extra.push(defs);
  }
  for (const defs of extra) {
    let n = 2;
    for (const d of defs.slice(1)) {
      while (out.has(`${d.key} (duplicate ${n})`)) n++;
      const key = `${d.key} (duplicate ${n})`;
      out.set(key, { ...d, key });
    }
  }
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

/** A server controls these strings; a 10 MB "version" must not become a 10 MB lockfile line. */
function clipReported(s: string): string {
  if (s.length <= 512) return s;
  return `${s.slice(0, 256)}…(${s.length} chars, ${textHash(s).slice(0, 23)})`;
}

function identityOf(inspection: ServerInspection): LockedIdentity {
  const info = inspection.serverInfo;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? clipReported(v) : undefined);
  const out: LockedIdentity = {};
  const name = str(info?.name);
  const version = str(info?.version);
  const title = str(info?.title);
  const protocolVersion = str(inspection.protocolVersion);
  if (name !== undefined) out.name = name;
  if (version !== undefined) out.version = version;
  if (title !== undefined) out.title = title;
  if (protocolVersion !== undefined) out.protocolVersion = protocolVersion;
  if (inspection.era !== undefined) out.era = inspection.era;
  return out;
}

/** Format- and name-based secret detection, without URL redaction (already done: applying it twice mangles a redacted value). */
async function redactDetected(text: string): Promise<string> {
  let out = text;
  const matches = await scanTextForSecrets(text);
  for (const m of [...matches].sort((a, b) => b.offset - a.offset)) out = out.slice(0, m.offset) + m.redacted + out.slice(m.offset + m.length);
  return out;
}

/**
 * The launch spec as it can be committed: flag- and env-named values (`--token V`, `-e K=V`,
 * `--header "Authorization: …"`) and URL credentials redacted by the report's own rules, then
 * provider-format keys and `NAME=value` secrets anywhere in a word. Redaction is deterministic,
 * so the same declaration gives the same launch spec on every run and drift compares like with
 * like; a rotated key of the same shape is, rightly, no drift.
 */
export async function lockedLaunch(decl: ServerDecl): Promise<LockedLaunch> {
  const args = await Promise.all(redactArgs(decl.args).map(redactDetected));
  const packages: LockedPackage[] = [];
  const seen = new Set<string>();
  for (const p of launchPackages(decl)) {
    const pkg: LockedPackage = { ecosystem: p.ecosystem, name: await redactDetected(redactUrlsIn(p.name)), pinned: p.pinned };
    if (p.version !== undefined) pkg.version = p.version;
    if (p.tag !== undefined) pkg.tag = p.tag;
    if (p.digest !== undefined) pkg.digest = p.digest;
    if (p.commit !== undefined) pkg.commit = p.commit;
    const id = JSON.stringify(pkg);
    if (!seen.has(id)) packages.push(pkg);
    seen.add(id);
  }
  const launch: LockedLaunch = { transport: decl.transport, args, envNames: Object.keys(decl.env).sort(), headerNames: Object.keys(decl.headers).sort(), packages };
  if (decl.command !== undefined) launch.command = await redactDetected(redactUrlsIn(decl.command));
  if (decl.url !== undefined) launch.url = await redactDetected(redactUrl(decl.url));
  return orderedLaunch(launch);
}

/** Fixed field order, so the file reads the same whatever was optional. */
function orderedLaunch(launch: LockedLaunch): LockedLaunch {
  return {
    transport: launch.transport,
    ...(launch.command !== undefined ? { command: launch.command } : {}),
    args: launch.args,
    ...(launch.url !== undefined ? { url: launch.url } : {}),
    envNames: launch.envNames,
    headerNames: launch.headerNames,
    packages: launch.packages.map((p) => ({
      ecosystem: p.ecosystem,
      name: p.name,
      ...(p.version !== undefined ? { version: p.version } : {}),
      ...(p.tag !== undefined ? { tag: p.tag } : {}),
      ...(p.digest !== undefined ? { digest: p.digest } : {}),
      ...(p.commit !== undefined ? { commit: p.commit } : {}),
      pinned: p.pinned,
    })),
  };
}

/** Where a declaration lives, in a form that is the same in every checkout and names no user. */
export function displayFile(file: string, options: Pick<LockOptions, 'root' | 'home'> = {}): string {
  // The home defaults to this user's: a committed lockfile must not carry /home/<name>.
  const home = options.home ?? homedir();
  const inside = (base: string | undefined): string | undefined => {
    if (!base) return undefined;
    const rel = relative(base, file);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : undefined;
  };
  const inRoot = inside(options.root);
  if (inRoot !== undefined) return inRoot;
  const inHome = inside(home);
  return inHome !== undefined ? `~/${inHome}` : file;
}

// ---------------------------------------------------------------------------------------------
// Matching servers to entries (for buildLock and diffLock)
// ---------------------------------------------------------------------------------------------

interface ServerRef {
  client: string;
  name: string;
  scope: Scope;
  file?: string;
}

/**
 * Pairs each wanted server with at most one lock entry of the same client and name, one to one:
 * first entries that also agree on scope and file, then on scope, then any (a server moved
 * between configs is still the same server).
 */
export function matchEntries<T extends ServerRef>(wanted: readonly T[], servers: Record<string, LockedServer>, taken = new Set<string>()): Map<T, string> {
  const out = new Map<T, string>();
  const keys = Object.keys(servers).sort();
  const passes: Array<(w: T, e: LockedServer) => boolean> = [
    (w, e) => e.scope === w.scope && e.file === w.file,
    (w, e) => e.scope === w.scope,
    () => true,
  ];
  for (const agrees of passes) {
    for (const w of wanted) {
      if (out.has(w)) continue;
      const key = keys.find((k) => !taken.has(k) && servers[k]!.client === w.client && servers[k]!.name === w.name && agrees(w, servers[k]!));
      if (key === undefined) continue;
      out.set(w, key);
      taken.add(key);
    }
  }
  return out;
}

/** `<client>/<name>`, told apart by scope and then file when one client declares a name twice. */
function assignKeys(entries: readonly LockedServer[]): Record<string, LockedServer> {
  const groups = new Map<string, LockedServer[]>();
  for (const e of entries) {
    const base = `${e.client}/${e.name}`;
    groups.set(base, [...(groups.get(base) ?? []), e]);
  }
  const out = record<LockedServer>();
  for (const base of [...groups.keys()].sort()) {
    const group = groups.get(base)!;
    if (group.length === 1) {
      out[base] = group[0]!;
      continue;
    }
    const label = (e: LockedServer, withFile: boolean): string => `${base} (${e.scope}${withFile ? `, ${e.file ?? 'unknown file'}` : ''})`;
    const sorted = [...group].sort((a, b) => (label(a, true) < label(b, true) ? -1 : label(a, true) > label(b, true) ? 1 : 0));
    for (const e of sorted) {
      const byScope = group.filter((o) => o.scope === e.scope).length === 1;
      let key = label(e, !byScope);
      for (let n = 2; key in out; n++) key = `${label(e, true)} #${n}`;
      out[key] = e;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// buildLock
// ---------------------------------------------------------------------------------------------

export function declsById(decls: readonly ServerDecl[]): Map<string, ServerDecl> {
  return new Map(decls.map((d) => [d.id, d]));
}

export function declOf(inspection: ServerInspection, byId: Map<string, ServerDecl>): ServerDecl {
  const decl = byId.get(inspection.serverId);
  // A caller bug, not bad input: the inspection was made from a declaration it did not pass.
  if (!decl) throw new Error(`no declaration with id ${inspection.serverId} for the inspection of ${inspection.server}`);
  return decl;
}

type InspectionRef = ServerRef & { inspection: ServerInspection };

export function inspectionRefs(inspections: readonly ServerInspection[], byId: Map<string, ServerDecl>, options: LockOptions): InspectionRef[] {
  return inspections.map((i) => {
    const decl = byId.get(i.serverId);
    return { client: i.client, name: i.server, scope: i.scope, ...(decl ? { file: displayFile(decl.file, options) } : {}), inspection: i };
  });
}

async function lockServer(inspection: ServerInspection, decl: ServerDecl, options: LockOptions): Promise<LockedServer> {
  const now = currentServer(inspection);
  const definitions = record<LockedDefinition>();
  for (const [key, d] of now.definitions) {
    definitions[key] = d.omitted ? { sha256: d.sha256, omitted: d.omitted } : { sha256: d.sha256, definition: d.canon as JsonObject };
  }
  const entry: LockedServer = {
    name: inspection.server,
    client: inspection.client,
    scope: inspection.scope,
    file: displayFile(decl.file, options),
    launch: await lockedLaunch(decl),
    identity: now.identity,
    definitions,
  };
  if (now.instructions !== undefined) {
    entry.instructionsSha256 = textHash(now.instructions);
    if (now.instructions.length <= STORE_LIMITS.maxChars) entry.instructions = now.instructions;
  }
  return entry;
}

/**
 * The lockfile after pinning `inspections`. Servers inspected `ok` get a fresh entry (this is how
 * `pin --update` accepts reviewed drift); a server that failed or was skipped keeps its previous
 * entry; so does a previous entry whose server is still declared but was not inspected. Entries
 * of servers that no config in `decls` declares any more are dropped unless `prune` is false.
 */
export async function buildLock(
  inspections: readonly ServerInspection[],
  decls: readonly ServerDecl[],
  previous?: Lockfile,
  options: LockOptions = {},
): Promise<Lockfile> {
  const byId = declsById(decls);
  const prev = previous?.servers ?? record<LockedServer>();
  const refs = inspectionRefs(inspections, byId, options);
  const taken = new Set<string>();
  const matched = matchEntries(refs, prev, taken);
  const entries: LockedServer[] = [];
  for (const ref of refs) {
    const i = ref.inspection;
    if (i.status === 'ok') entries.push(await lockServer(i, declOf(i, byId), options));
    else if (matched.has(ref)) entries.push(prev[matched.get(ref)!]!);
  }
  const inspected = new Set(inspections.map((i) => i.serverId));
  const uninspected = decls.filter((d) => !inspected.has(d.id)).map((d) => ({ client: d.client, name: d.name, scope: d.scope, file: displayFile(d.file, options) }));
  const stillDeclared = new Set(matchEntries(uninspected, prev, taken).values());
  const claimed = new Set(matched.values());
  for (const key of Object.keys(prev).sort()) {
    if (claimed.has(key)) continue;
    if (stillDeclared.has(key) || options.prune === false) entries.push(prev[key]!);
  }
  return { lockfileVersion: LOCKFILE_VERSION, servers: assignKeys(entries) };
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/** Fixed field order and sorted maps, so an unchanged server is an unchanged block of lines. */
function orderedServer(s: LockedServer): Record<string, unknown> {
  const definitions = dataObject() as Record<string, unknown>;
  for (const key of Object.keys(s.definitions).sort()) {
    const d = s.definitions[key]!;
    definitions[key] = { sha256: d.sha256, ...(d.definition !== undefined ? { definition: d.definition } : {}), ...(d.omitted !== undefined ? { omitted: d.omitted } : {}) };
  }
  const id = s.identity;
  const launch = s.launch;
  return {
    name: s.name,
    client: s.client,
    scope: s.scope,
    ...(s.file !== undefined ? { file: s.file } : {}),
    launch: orderedLaunch(launch),
    identity: {
      ...(id.name !== undefined ? { name: id.name } : {}),
      ...(id.version !== undefined ? { version: id.version } : {}),
      ...(id.title !== undefined ? { title: id.title } : {}),
      ...(id.protocolVersion !== undefined ? { protocolVersion: id.protocolVersion } : {}),
      ...(id.era !== undefined ? { era: id.era } : {}),
    },
    ...(s.instructionsSha256 !== undefined ? { instructionsSha256: s.instructionsSha256 } : {}),
    ...(s.instructions !== undefined ? { instructions: s.instructions } : {}),
    definitions,
  };
}

/** The lockfile's text: 2-space JSON, sorted, with a trailing newline. */
export function formatLockfile(lock: Lockfile): string {
  const servers = dataObject() as Record<string, unknown>;
  for (const key of Object.keys(lock.servers).sort()) servers[key] = orderedServer(lock.servers[key]!);
  return `${JSON.stringify({ lockfileVersion: lock.lockfileVersion, servers }, null, 2)}\n`;
}

/**
 * Writes the lockfile atomically (a reader sees the old file or the new one, never half of
 * one) with mode 0600, by atomic-file.ts. cli/output.ts has the same technique, but words its
 * errors for `-o`.
 */
export function writeLockfile(path: string, lock: Lockfile): void {
  const text = formatLockfile(lock);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_LOCKFILE_BYTES) {
    throw new LockfileError(path, `the lockfile would be ${formatBytes(bytes)}, over the ${formatBytes(MAX_LOCKFILE_BYTES)} Warden reads back; not written`);
  }
  try {
    writeFileAtomically(path, text);
  } catch (err) {
    throw new LockfileError(path, `cannot write the lockfile: ${describeFsError(err)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/** `servers["cursor/github"].definitions["tool:x"].sha256`, printable whatever the keys hold. */
export function fieldName(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${escapeInvisible(JSON.stringify(seg))}]`;
  }
  return out || '(top level)';
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Reads one field after another, failing with the file, line, column and field at fault. */
class ShapeReader {
  constructor(private readonly doc: ConfigDocument) {}

  fail(path: readonly PathSegment[], reason: string): never {
    const pos = this.doc.locate(path);
    throw new LockfileError(this.doc.path, reason, pos.line, pos.column, fieldName(path));
  }

  object(v: unknown, path: readonly PathSegment[]): Record<string, unknown> {
    if (v === undefined) this.fail(path, 'missing; expected an object');
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `expected an object, got ${describeType(v)}`);
    return v as Record<string, unknown>;
  }

  field(o: Record<string, unknown>, key: string): unknown {
    return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
  }

  string(o: Record<string, unknown>, key: string, path: readonly PathSegment[]): string {
    const v = this.field(o, key);
    if (v === undefined) this.fail([...path, key], 'missing; expected a string');
    if (typeof v !== 'string') this.fail([...path, key], `expected a string, got ${describeType(v)}`);
    return v;
  }

  optString(o: Record<string, unknown>, key: string, path: readonly PathSegment[]): string | undefined {
    return this.field(o, key) === undefined ? undefined : this.string(o, key, path);
  }

  oneOf<T extends string>(o: Record<string, unknown>, key: string, path: readonly PathSegment[], allowed: readonly T[]): T {
    const v = this.string(o, key, path);
    if (!allowed.includes(v as T)) this.fail([...path, key], `expected one of ${allowed.join(', ')}, got ${escapeInvisible(JSON.stringify(v))}`);
    return v as T;
  }

  optOneOf<T extends string>(o: Record<string, unknown>, key: string, path: readonly PathSegment[], allowed: readonly T[]): T | undefined {
    return this.field(o, key) === undefined ? undefined : this.oneOf(o, key, path, allowed);
  }

  boolean(o: Record<string, unknown>, key: string, path: readonly PathSegment[]): boolean {
    const v = this.field(o, key);
    if (typeof v !== 'boolean') this.fail([...path, key], v === undefined ? 'missing; expected true or false' : `expected true or false, got ${describeType(v)}`);
    return v;
  }

  array(o: Record<string, unknown>, key: string, path: readonly PathSegment[]): unknown[] {
    const v = this.field(o, key);
    if (!Array.isArray(v)) this.fail([...path, key], v === undefined ? 'missing; expected an array' : `expected an array, got ${describeType(v)}`);
    return v;
  }

  strings(o: Record<string, unknown>, key: string, path: readonly PathSegment[]): string[] {
    const arr = this.array(o, key, path);
    arr.forEach((s, i) => {
      if (typeof s !== 'string') this.fail([...path, key, i], `expected a string, got ${describeType(s)}`);
    });
    return arr as string[];
  }

  sha(o: Record<string, unknown>, key: string, path: readonly PathSegment[]): string {
    const v = this.string(o, key, path);
    if (!SHA256_REF.test(v)) this.fail([...path, key], 'expected "sha256:" and 64 lower-case hex digits');
    return v;
  }
}

/** Parses and checks a lockfile's text. Every shape error names file:line:column and the field. */
export function parseLockfile(text: string, file: string): Lockfile {
  let doc: ConfigDocument;
  try {
    doc = parseConfig(file, text, 'json');
  } catch (err) {
    if (err instanceof ConfigParseError) throw new LockfileError(file, err.reason, err.line, err.column);
    throw err;
  }
  if (doc.data === undefined) throw new LockfileError(file, 'empty file; expected a Warden lockfile (a JSON object with "lockfileVersion": 1)', 1, 1);
  const r: ShapeReader = new ShapeReader(doc);
  const root = r.object(doc.data, []);
  const version = r.field(root, 'lockfileVersion');
  if (version === undefined) r.fail([], 'not a Warden lockfile: "lockfileVersion" is missing');
  if (typeof version !== 'number') r.fail(['lockfileVersion'], `expected a number, got ${describeType(version)}`);
  if (version !== LOCKFILE_VERSION) {
    r.fail(['lockfileVersion'], version > LOCKFILE_VERSION ? `version ${version} is newer than this Warden reads (${LOCKFILE_VERSION}); upgrade Warden` : `unsupported version ${version}`);
  }
  const rawServers = r.object(r.field(root, 'servers'), ['servers']);
  const servers = record<LockedServer>();
  for (const key of Object.keys(rawServers)) servers[key] = readServer(r, rawServers[key], ['servers', key]);
  return { lockfileVersion: LOCKFILE_VERSION, servers };
}

function readServer(r: ShapeReader, v: unknown, path: PathSegment[]): LockedServer {
  const o = r.object(v, path);
  const launchPath = [...path, 'launch'];
  const l = r.object(r.field(o, 'launch'), launchPath);
  const packages = r.array(l, 'packages', launchPath).map((p, i) => readPackage(r, p, [...launchPath, 'packages', i]));
  const launch: LockedLaunch = { transport: r.oneOf(l, 'transport', launchPath, TRANSPORTS), args: r.strings(l, 'args', launchPath), envNames: [], headerNames: [], packages };
  const command = r.optString(l, 'command', launchPath);
  const url = r.optString(l, 'url', launchPath);
  if (command !== undefined) launch.command = command;
  if (url !== undefined) launch.url = url;
  launch.envNames = r.strings(l, 'envNames', launchPath);
  launch.headerNames = r.strings(l, 'headerNames', launchPath);

  const idPath = [...path, 'identity'];
  const id = r.object(r.field(o, 'identity'), idPath);
  const identity: LockedIdentity = {};
  for (const k of ['name', 'version', 'title', 'protocolVersion'] as const) {
    const s = r.optString(id, k, idPath);
    if (s !== undefined) identity[k] = s;
  }
  const era = r.optOneOf(id, 'era', idPath, ERAS);
  if (era !== undefined) identity.era = era;

  const server: LockedServer = {
    name: r.string(o, 'name', path),
    client: r.string(o, 'client', path),
    scope: r.oneOf(o, 'scope', path, SCOPES),
    launch,
    identity,
    definitions: record<LockedDefinition>(),
  };
  const file = r.optString(o, 'file', path);
  if (file !== undefined) server.file = file;
  if (r.field(o, 'instructionsSha256') !== undefined) server.instructionsSha256 = r.sha(o, 'instructionsSha256', path);
  const instructions = r.optString(o, 'instructions', path);
  if (instructions !== undefined) {
    if (server.instructionsSha256 === undefined) r.fail([...path, 'instructions'], 'present without "instructionsSha256"');
    if (textHash(instructions) !== server.instructionsSha256) r.fail([...path, 'instructionsSha256'], 'does not match the instructions stored beside it (edited by hand? re-run `warden pin --update`)');
    server.instructions = instructions;
  }
  const defsPath = [...path, 'definitions'];
  const defs = r.object(r.field(o, 'definitions'), defsPath);
  for (const key of Object.keys(defs)) server.definitions[key] = readDefinition(r, key, defs[key], [...defsPath, key]);
  return server;
}

function readPackage(r: ShapeReader, v: unknown, path: PathSegment[]): LockedPackage {
  const o = r.object(v, path);
  const pkg: LockedPackage = { ecosystem: r.oneOf(o, 'ecosystem', path, ECOSYSTEMS), name: r.string(o, 'name', path), pinned: r.boolean(o, 'pinned', path) };
  for (const k of ['version', 'tag', 'digest', 'commit'] as const) {
    const s = r.optString(o, k, path);
    if (s !== undefined) pkg[k] = s;
  }
  return pkg;
}

function readDefinition(r: ShapeReader, key: string, v: unknown, path: PathSegment[]): LockedDefinition {
  const parsedKey = parseDefinitionKey(key);
  if (!parsedKey) r.fail(path, `a definition key starts with ${PINNED_KINDS.map((k) => `"${k}:"`).join(', ')}`);
  const o = r.object(v, path);
  const out: LockedDefinition = { sha256: r.sha(o, 'sha256', path) };
  const omitted = r.optString(o, 'omitted', path);
  if (omitted !== undefined) out.omitted = omitted;
  const stored = r.field(o, 'definition');
  if (stored === undefined) return out;
  const defPath = [...path, 'definition'];
  r.object(stored, defPath);
  // Warden never stores a definition over the limits; refusing one bounds what reading costs.
  const tooBig = exceedsLimits(stored as JsonValue, { maxDepth: STORE_LIMITS.maxDepth, maxChars: MAX_LOCKFILE_BYTES });
  if (tooBig) r.fail(defPath, `${tooBig}; Warden never writes that`);
  const canon = canonicalDefinition({ kind: parsedKey.kind, raw: stored as Record<string, unknown> });
  // The readable definition is what a reviewer approves; the hash is what verify compares. They
  // must agree, or an edit could show reviewers one text and pin another.
  if (canonicalHash(canon) !== out.sha256) r.fail([...path, 'sha256'], 'does not match the definition stored beside it (edited by hand? re-run `warden pin --update`)');
  out.definition = canon as JsonObject;
  return out;
}

/** The lockfile at `path`, or undefined when there is none. Throws LockfileError for anything unreadable. */
export function readLockfile(path: string): Lockfile | undefined {
  try {
    const st = statSync(path);
    if (st.isFile() && st.size > MAX_LOCKFILE_BYTES) {
      throw new LockfileError(path, `the lockfile is ${formatBytes(st.size)}, over the ${formatBytes(MAX_LOCKFILE_BYTES)} Warden reads; refusing to parse it`);
    }
  } catch (err) {
    if (err instanceof LockfileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new LockfileError(path, describeFsError(err));
  }
  const read = readTextFile(path, MAX_LOCKFILE_BYTES);
  if (!read.ok) {
    if (read.status === 'not-present') return undefined;
    throw new LockfileError(path, read.detail);
  }
  if (read.note) throw new LockfileError(path, `${read.note}; a lockfile is UTF-8 text`);
  return parseLockfile(read.text, path);
}
