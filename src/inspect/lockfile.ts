// The lockfile of pinned servers (`warden.lock.json`): for every server Warden connected to, how
// it is launched, who it says it is, and a hash plus the canonical text of every tool, prompt and
// resource it showed. It is meant to be committed and reviewed, so it is plain, sorted,
// pretty-printed JSON that diffs line by line, and it holds no credential: env and header values
// are never written (only their names), and secrets in arguments and URLs are redacted.
//
// `warden pin` builds it (buildLock), `warden verify` and `warden scan --connect` compare live
// servers against it (diffLock). Nothing here opens a connection: callers pass the inspections.
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
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { homedir } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { DefinitionKind, ProtocolEra, Scope, ServerDecl, ServerInspection, Transport } from '../core/types.js';
import { UsageError } from '../cli/errors.js';
import { ConfigParseError, parseConfig, toPointer, type ConfigDocument, type PathSegment } from '../parse/document.js';
import { describeFsError, formatBytes, readTextFile } from '../parse/text.js';
import { launchPackages, type Ecosystem, type PackageRef } from '../detect/packages.js';
import { redactUrl, redactUrlsIn } from '../detect/redact.js';
import { scanTextForSecrets } from '../detect/secrets.js';
import { escapeInvisible } from '../detect/unicode.js';
import { redactArgs } from '../report/public-inventory.js';
import {
  SHA256_REF,
  canonicalDefinition,
  canonicalHash,
  dataObject,
  exceedsLimits,
  isJsonObject,
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
const PINNED_KINDS: readonly DefinitionKind[] = ['tool', 'prompt', 'resource', 'resource-template'];

function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

// ---------------------------------------------------------------------------------------------
// What a live server shows now
// ---------------------------------------------------------------------------------------------

interface CurrentDefinition {
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

function currentServer(inspection: ServerInspection): CurrentServer {
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
const DUPLICATE_SUFFIX = / \(duplicate \d+\)$/;

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
async function lockedLaunch(decl: ServerDecl): Promise<LockedLaunch> {
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
// Matching servers to entries
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
function matchEntries<T extends ServerRef>(wanted: readonly T[], servers: Record<string, LockedServer>, taken = new Set<string>()): Map<T, string> {
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

function declsById(decls: readonly ServerDecl[]): Map<string, ServerDecl> {
  return new Map(decls.map((d) => [d.id, d]));
}

function declOf(inspection: ServerInspection, byId: Map<string, ServerDecl>): ServerDecl {
  const decl = byId.get(inspection.serverId);
  // A caller bug, not bad input: the inspection was made from a declaration it did not pass.
  if (!decl) throw new Error(`no declaration with id ${inspection.serverId} for the inspection of ${inspection.server}`);
  return decl;
}

type InspectionRef = ServerRef & { inspection: ServerInspection };

function inspectionRefs(inspections: readonly ServerInspection[], byId: Map<string, ServerDecl>, options: LockOptions): InspectionRef[] {
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
 * one) with mode 0600. cli/output.ts has the same technique, but words its errors for `-o`.
 */
export function writeLockfile(path: string, lock: Lockfile): void {
  const text = formatLockfile(lock);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_LOCKFILE_BYTES) {
    throw new LockfileError(path, `the lockfile would be ${formatBytes(bytes)}, over the ${formatBytes(MAX_LOCKFILE_BYTES)} Warden reads back; not written`);
  }
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    fd = openSync(tmp, 'wx', 0o600);
    writeSync(fd, text, null, 'utf8');
    // On disk before the rename: a crash must not leave an empty lockfile behind a valid name.
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was created
    }
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

// ---------------------------------------------------------------------------------------------
// Drift
// ---------------------------------------------------------------------------------------------

export type DriftKind =
  | 'identity-changed'
  | 'launch-changed'
  | 'instructions-changed'
  | 'definition-changed'
  | 'definition-added'
  | 'definition-removed'
  | 'not-checked'
  | 'unpinned-server';

/** One field that differs, by RFC 6901 pointer inside the definition, launch spec or identity. */
export interface FieldChange {
  pointer: string;
  change: 'added' | 'removed' | 'changed';
}

export interface DriftEntry {
  kind: DriftKind;
  /** True for a change; false for `not-checked`, where nothing is known to have changed. */
  drift: boolean;
  /** The lockfile key of the server (for an unpinned server, the key it would get). */
  key: string;
  server: string;
  client: string;
  scope: Scope;
  /** `ServerDecl.id` when the server was inspected in this run: locates the declaration for a finding. */
  serverId?: string;
  /** For definition drift: which definition. */
  definition?: { kind: DefinitionKind; name: string; key: string };
  /** One line, printable (invisible characters escaped). */
  summary: string;
  /** Multi-line plain text showing what changed; '' when there is nothing more to show. */
  diff: string;
  changes: FieldChange[];
}

const KIND_ORDER: readonly DriftKind[] = [
  'unpinned-server',
  'not-checked',
  'identity-changed',
  'launch-changed',
  'instructions-changed',
  'definition-removed',
  'definition-changed',
  'definition-added',
];

/**
 * What differs between the lockfile and the servers inspected now. Servers in the lock that were
 * not inspected (or failed) are `not-checked`; servers inspected `ok` with no entry are
 * `unpinned-server`; a server that failed and was never pinned yields nothing. Formatting and key
 * order never count: definitions compare by canonical hash.
 */
export async function diffLock(
  lock: Lockfile,
  inspections: readonly ServerInspection[],
  decls: readonly ServerDecl[],
  options: Pick<LockOptions, 'root' | 'home'> = {},
): Promise<DriftEntry[]> {
  const byId = declsById(decls);
  const refs = inspectionRefs(inspections, byId, options);
  // Successful inspections claim their entries first: a failed duplicate must not take the entry
  // a working server should be compared with.
  const ordered = [...refs].sort((a, b) => Number(b.inspection.status === 'ok') - Number(a.inspection.status === 'ok'));
  const matched = matchEntries(ordered, lock.servers);
  const out: DriftEntry[] = [];
  for (const ref of refs) {
    const i = ref.inspection;
    const key = matched.get(ref);
    if (key === undefined) {
      if (i.status !== 'ok') continue;
      // The key it would get; when another entry holds the plain one, told apart by scope.
      const plain = `${ref.client}/${ref.name}`;
      out.push(unpinned(plain in lock.servers ? `${plain} (${ref.scope})` : plain, i));
      continue;
    }
    const entry = lock.servers[key]!;
    if (i.status !== 'ok') {
      out.push(notChecked(key, entry, `${i.status === 'failed' ? 'connection failed' : 'skipped'}${i.reason ? `: ${i.reason}` : ''}`, i.serverId));
      continue;
    }
    out.push(...(await compareServer(key, entry, i, declOf(i, byId))));
  }
  const claimed = new Set(matched.values());
  const declared = matchEntries(
    decls.map((d) => ({ client: d.client, name: d.name, scope: d.scope, file: displayFile(d.file, options) })),
    lock.servers,
    new Set(claimed),
  );
  const stillDeclared = new Set(declared.values());
  for (const key of Object.keys(lock.servers)) {
    if (claimed.has(key)) continue;
    const why = stillDeclared.has(key) ? 'not inspected in this run' : 'no config declares it any more (`warden pin --update` drops it)';
    out.push(notChecked(key, lock.servers[key]!, why));
  }
  return out.sort(compareDrift);
}

function compareDrift(a: DriftEntry, b: DriftEntry): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  const k = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  if (k !== 0) return k;
  const ak = a.definition?.key ?? '';
  const bk = b.definition?.key ?? '';
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}

function driftBase(key: string, server: { name: string; client: string; scope: Scope }, serverId?: string): Omit<DriftEntry, 'kind' | 'drift' | 'summary' | 'diff' | 'changes'> {
  return { key, server: server.name, client: server.client, scope: server.scope, ...(serverId !== undefined ? { serverId } : {}) };
}

function notChecked(key: string, entry: LockedServer, why: string, serverId?: string): DriftEntry {
  return { ...driftBase(key, entry, serverId), kind: 'not-checked', drift: false, summary: `not checked: ${printable(why, 200)}`, diff: '', changes: [] };
}

function unpinned(key: string, i: ServerInspection): DriftEntry {
  const now = currentServer(i);
  const counts = new Map<DefinitionKind, number>();
  for (const d of now.definitions.values()) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
  const what = PINNED_KINDS.filter((k) => counts.has(k)).map((k) => plural(counts.get(k)!, KIND_LABEL[k]));
  const lines = [...now.definitions.values()].map((d) => `+ ${printable(d.key, 120)}  ${d.sha256}`);
  if (now.instructions !== undefined) lines.unshift(`+ instructions  ${textHash(now.instructions)}`);
  return {
    ...driftBase(key, { name: i.server, client: i.client, scope: i.scope }, i.serverId),
    kind: 'unpinned-server',
    drift: true,
    summary: `server not in the lockfile${what.length > 0 ? ` (${what.join(', ')})` : ' (no definitions)'}`,
    diff: capLines(lines).join('\n'),
    changes: [],
  };
}

const KIND_LABEL: Record<DefinitionKind, string> = {
  tool: 'tool',
  prompt: 'prompt',
  resource: 'resource',
  'resource-template': 'resource template',
  instructions: 'instructions',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function compareServer(key: string, entry: LockedServer, i: ServerInspection, decl: ServerDecl): Promise<DriftEntry[]> {
  const out: DriftEntry[] = [];
  const now = currentServer(i);
  const at = driftBase(key, { name: i.server, client: i.client, scope: i.scope }, i.serverId);

  const idChanges = diffValues(entry.identity as unknown as JsonValue, now.identity as unknown as JsonValue);
  if (idChanges.length > 0) {
    const parts = idChanges.map((c) => `${c.pointer.slice(1)} ${c.before === undefined ? '(none)' : show(c.before, 40)} -> ${c.after === undefined ? '(none)' : show(c.after, 40)}`);
    out.push({ ...at, kind: 'identity-changed', drift: true, summary: `server identity changed: ${parts.join(', ')}`, diff: renderChanges(idChanges), changes: fieldChanges(idChanges) });
  }

  const launch = await lockedLaunch(decl);
  const launchChanges = diffValues(entry.launch as unknown as JsonValue, launch as unknown as JsonValue);
  if (launchChanges.length > 0) {
    out.push({ ...at, kind: 'launch-changed', drift: true, summary: `launch spec changed: ${pointerList(launchChanges)}`, diff: renderChanges(launchChanges), changes: fieldChanges(launchChanges) });
  }

  const nowSha = now.instructions !== undefined ? textHash(now.instructions) : undefined;
  if (nowSha !== entry.instructionsSha256) {
    out.push({ ...at, kind: 'instructions-changed', drift: true, ...describeInstructions(entry, now.instructions, nowSha) });
  }

  const keys = new Set([...Object.keys(entry.definitions), ...now.definitions.keys()]);
  for (const dkey of [...keys].sort()) {
    const pinned = Object.prototype.hasOwnProperty.call(entry.definitions, dkey) ? entry.definitions[dkey] : undefined;
    const current = now.definitions.get(dkey);
    const duplicate = DUPLICATE_SUFFIX.test(dkey);
    const parsed = current ? { kind: current.kind, name: current.name } : (parseDefinitionKey(dkey.replace(DUPLICATE_SUFFIX, '')) ?? { kind: 'tool' as const, name: dkey });
    const definition = { ...parsed, key: dkey };
    const label = `${KIND_LABEL[parsed.kind]} "${printable(parsed.name, 80)}"${duplicate ? ' (duplicate)' : ''}`;
    if (pinned && !current) {
      out.push({ ...at, definition, kind: 'definition-removed', drift: true, summary: `${label} removed`, diff: outline('-', pinned.definition, pinned.sha256), changes: [{ pointer: '', change: 'removed' }] });
    } else if (!pinned && current) {
      const shown = current.omitted ? undefined : (current.canon as JsonObject);
      out.push({ ...at, definition, kind: 'definition-added', drift: true, summary: `${label} added`, diff: outline('+', shown, current.sha256), changes: [{ pointer: '', change: 'added' }] });
    } else if (pinned && current && pinned.sha256 !== current.sha256) {
      out.push({ ...at, definition, kind: 'definition-changed', drift: true, ...describeDefinitionChange(label, pinned, current) });
    }
  }
  return out;
}

function describeInstructions(entry: LockedServer, now: string | undefined, nowSha: string | undefined): Pick<DriftEntry, 'summary' | 'diff' | 'changes'> {
  const pointer = [{ pointer: '/instructions', change: entry.instructionsSha256 === undefined ? 'added' : nowSha === undefined ? 'removed' : 'changed' } as FieldChange];
  if (entry.instructionsSha256 === undefined) return { summary: 'instructions added', diff: `+ ${show(now ?? '', 300)}`, changes: pointer };
  if (nowSha === undefined) return { summary: 'instructions removed', diff: entry.instructions !== undefined ? `- ${show(entry.instructions, 300)}` : '', changes: pointer };
  if (entry.instructions === undefined || now === undefined || now.length > STORE_LIMITS.maxChars) {
    return { summary: 'instructions changed', diff: `- ${entry.instructionsSha256}\n+ ${nowSha}`, changes: pointer };
  }
  return { summary: 'instructions changed', diff: textDiff(entry.instructions, now).join('\n'), changes: pointer };
}

function describeDefinitionChange(label: string, pinned: LockedDefinition, current: CurrentDefinition): Pick<DriftEntry, 'summary' | 'diff' | 'changes'> {
  if (pinned.definition === undefined || current.omitted) {
    const why = pinned.definition === undefined ? `pinned by hash only${pinned.omitted ? ` (${pinned.omitted})` : ''}` : `now ${current.omitted}`;
    return { summary: `${label} changed (${why})`, diff: `- ${pinned.sha256}\n+ ${current.sha256}`, changes: [{ pointer: '', change: 'changed' }] };
  }
  const changes = diffValues(pinned.definition, current.canon);
  return { summary: `${label} changed: ${pointerList(changes)}`, diff: renderChanges(changes), changes: fieldChanges(changes) };
}

// ---------------------------------------------------------------------------------------------
// Value diffs
// ---------------------------------------------------------------------------------------------

interface ValueChange extends FieldChange {
  before?: JsonValue;
  after?: JsonValue;
}

/** Past this many changed fields, the rest are counted, not listed. */
const MAX_CHANGES = 50;

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return serializeCanonical(a) === serializeCanonical(b);
}

function isScalarList(v: JsonValue[]): boolean {
  return v.every((x) => x === null || typeof x !== 'object');
}

/**
 * Changed fields between two canonical values, by pointer: objects key by key, lists of objects
 * index by index, and lists of plain values (args, `required`, `enum`) as one value, which reads
 * better than index-by-index shifts. Values are at most STORE_LIMITS.maxDepth deep.
 */
function diffValues(before: JsonValue | undefined, after: JsonValue | undefined, path: PathSegment[] = [], out: ValueChange[] = []): ValueChange[] {
  if (sameJson(before, after)) return out;
  const pointer = toPointer(path);
  if (before === undefined) out.push({ pointer, change: 'added', after: after! });
  else if (after === undefined) out.push({ pointer, change: 'removed', before });
  else if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) diffValues(own(before, k), own(after, k), [...path, k], out);
  } else if (Array.isArray(before) && Array.isArray(after) && !(isScalarList(before) && isScalarList(after))) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) diffValues(before[i], after[i], [...path, i], out);
  } else out.push({ pointer, change: 'changed', before, after });
  return out;
}

function own(o: JsonObject, k: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

function fieldChanges(changes: readonly ValueChange[]): FieldChange[] {
  return changes.map((c) => ({ pointer: c.pointer, change: c.change }));
}

function pointerList(changes: readonly ValueChange[]): string {
  const shown = changes.slice(0, 3).map((c) => `${printable(c.pointer || '(whole)', 80)}${c.change === 'changed' ? '' : ` (${c.change})`}`);
  return shown.join(', ') + (changes.length > 3 ? `, +${changes.length - 3} more` : '');
}

function renderChanges(changes: readonly ValueChange[]): string {
  const lines: string[] = [];
  for (const c of changes.slice(0, MAX_CHANGES)) {
    lines.push(`${printable(c.pointer || '(whole)', 200)}${c.change === 'changed' ? '' : ` (${c.change})`}`);
    const body =
      c.change === 'added'
        ? [`+ ${show(c.after!, 300)}`]
        : c.change === 'removed'
          ? [`- ${show(c.before!, 300)}`]
          : typeof c.before === 'string' && typeof c.after === 'string'
            ? textDiff(c.before, c.after)
            : [`- ${show(c.before!, 300)}`, `+ ${show(c.after!, 300)}`];
    lines.push(...body.map((l) => `  ${l}`));
  }
  if (changes.length > MAX_CHANGES) lines.push(`… and ${changes.length - MAX_CHANGES} more changed fields`);
  return lines.join('\n');
}

/** A whole definition, one top-level field a line, for an added or removed definition. */
function outline(sign: '+' | '-', def: JsonObject | undefined, sha256: string): string {
  if (def === undefined) return `${sign} ${sha256} (too large to show)`;
  return capLines(Object.keys(def).sort().map((k) => `${sign} ${printable(k, 80)}: ${show(def[k]!, 300)}`)).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Text diffs
// ---------------------------------------------------------------------------------------------

/** Above this many LCS cells (about 4 MB), the differing middle is shown as one replacement. */
const MAX_LCS_CELLS = 1_000_000;
const CONTEXT_WORDS = 6;
const MAX_TEXT_LINES = 40;

/** Escaped (no control, bidi or invisible character reaches the terminal) and cut to `max`. */
function printable(s: string, max: number): string {
  return escapeInvisible(clip(s, max));
}

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const half = Math.floor(max / 2);
  return `${s.slice(0, half)}…(${s.length - 2 * half} chars)…${s.slice(s.length - half)}`;
}

/** A value on one line: strings quoted so leading and trailing whitespace shows. */
function show(v: JsonValue, max: number): string {
  if (typeof v === 'string') return `"${printable(v, max)}"`;
  const text = v !== null && typeof v === 'object' ? serializeCanonical(v) : JSON.stringify(v);
  return printable(text, max);
}

function capLines(lines: string[]): string[] {
  return lines.length <= MAX_TEXT_LINES ? lines : [...lines.slice(0, MAX_TEXT_LINES), `… ${lines.length - MAX_TEXT_LINES} more lines`];
}

type Op = { op: '=' | '-' | '+'; items: string[] };

/** Longest-common-subsequence diff of two token lists, trimmed of their common ends first. */
function diffTokens(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = [];
  const push = (op: Op['op'], item: string): void => {
    const last = ops[ops.length - 1];
    if (last && last.op === op) last.items.push(item);
    else ops.push({ op, items: [item] });
  };
  for (const t of a.slice(0, start)) push('=', t);
  const m = endA - start;
  const n = endB - start;
  if (m * n > MAX_LCS_CELLS) {
    for (const t of a.slice(start, endA)) push('-', t);
    for (const t of b.slice(start, endB)) push('+', t);
  } else {
    // lcs[i][j]: common length of a[start+i..endA) and b[start+j..endB).
    const w = n + 1;
    const lcs = new Uint32Array((m + 1) * w);
    for (let i = m - 1; i >= 0; i--) {
      for (let j = n - 1; j >= 0; j--) {
        lcs[i * w + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < m || j < n) {
      if (i < m && j < n && a[start + i] === b[start + j]) {
        push('=', a[start + i]!);
        i++;
        j++;
      } else if (i < m && (j === n || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) push('-', a[start + i++]!);
      else push('+', b[start + j++]!); // removals first on a tie, as diff(1) prints them
    }
  }
  for (const t of a.slice(endA)) push('=', t);
  return ops;
}

/**
 * What changed in a text, compact: short one-liners as `-`/`+`, long ones as one line with
 * `[-removed-]{+added+}` marks and a few words of context, multi-line texts line by line (a line
 * replaced by one line gets the word-level form, `~`).
 */
export function textDiff(before: string, after: string): string[] {
  if (before === after) return [];
  if (!before.includes('\n') && !after.includes('\n')) {
    if (before.length + after.length <= 160) return [`- "${printable(before, 160)}"`, `+ "${printable(after, 160)}"`];
    return [`~ ${wordDiff(before, after)}`];
  }
  const ops = diffTokens(before.split('\n'), after.split('\n'));
  const lines: string[] = [];
  for (let k = 0; k < ops.length; k++) {
    const o = ops[k]!;
    if (o.op === '=') {
      // One line of context after the previous change and before the next; `…` for the rest.
      const lead = k > 0 ? o.items.slice(0, 1) : [];
      const trail = k < ops.length - 1 ? o.items.slice(-1) : [];
      const shown = o.items.length > lead.length + trail.length ? [...lead, null, ...trail] : o.items;
      lines.push(...shown.map((l) => (l === null ? '  …' : `  ${printable(l, 200)}`)));
      continue;
    }
    const next = ops[k + 1];
    if (o.op === '-' && next?.op === '+' && next.items.length === o.items.length) {
      o.items.forEach((l, n) => lines.push(`~ ${wordDiff(l, next.items[n]!)}`));
      k++;
      continue;
    }
    lines.push(...o.items.map((l) => `${o.op} ${printable(l, 200)}`));
  }
  return capLines(lines);
}

/** One line: unchanged words shortened to a little context, removed text in [-…-], added in {+…+}. */
function wordDiff(before: string, after: string): string {
  const words = (s: string): string[] => s.match(/\s+|[^\s]+/g) ?? [];
  const ops = diffTokens(words(before), words(after));
  let out = '';
  ops.forEach((o, k) => {
    const text = o.items.join('');
    if (o.op === '-') out += `[-${printable(text, 300)}-]`;
    else if (o.op === '+') out += `{+${printable(text, 300)}+}`;
    else {
      const first = k === 0;
      const last = k === ops.length - 1;
      const keep = CONTEXT_WORDS * 2; // words and the spaces between them
      if (first && o.items.length > keep) out += `…${printable(o.items.slice(-keep).join(''), 200)}`;
      else if (last && o.items.length > keep) out += `${printable(o.items.slice(0, keep).join(''), 200)}…`;
      else if (!first && !last && o.items.length > keep * 2) {
        out += `${printable(o.items.slice(0, keep).join(''), 200)} … ${printable(o.items.slice(-keep).join(''), 200)}`;
      } else out += printable(text, 400);
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Terminal output
// ---------------------------------------------------------------------------------------------

const LABEL: Record<DriftKind, string> = {
  'identity-changed': 'identity',
  'launch-changed': 'launch',
  'instructions-changed': 'instructions',
  'definition-changed': 'changed',
  'definition-added': 'added',
  'definition-removed': 'removed',
  'not-checked': 'not checked',
  'unpinned-server': 'unpinned',
};

/**
 * `warden verify` output: one block per server, one line per drift with its diff indented
 * beneath, then a count. Plain text; every server-supplied string is already escaped.
 */
export function formatDrift(entries: readonly DriftEntry[]): string {
  if (entries.length === 0) return 'No drift: every inspected server matches the lockfile.\n';
  const lines: string[] = [];
  const sorted = [...entries].sort(compareDrift);
  const width = Math.max(...sorted.map((e) => LABEL[e.kind].length));
  let current: string | undefined;
  for (const e of sorted) {
    if (e.key !== current) {
      if (current !== undefined) lines.push('');
      lines.push(`${printable(e.key, 200)}  (${printable(e.client, 60)}, ${e.scope})`);
      current = e.key;
    }
    lines.push(`  ${LABEL[e.kind].padEnd(width)}  ${e.summary}`);
    if (e.diff) lines.push(...e.diff.split('\n').map((l) => `      ${l}`));
  }
  const changed = sorted.filter((e) => e.drift);
  const servers = new Set(changed.map((e) => e.key)).size;
  const unchecked = new Set(sorted.filter((e) => e.kind === 'not-checked').map((e) => e.key)).size;
  lines.push('');
  const tally = changed.length > 0 ? `${plural(changed.length, 'change')} in ${plural(servers, 'server')}` : 'No drift in the servers checked';
  lines.push(`${tally}${unchecked > 0 ? `; ${plural(unchecked, 'server')} not checked` : ''}.`);
  return `${lines.join('\n')}\n`;
}
