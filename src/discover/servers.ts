// Turns the servers a config declares into ServerDecls. Clients spell the same fields many ways
// (`env`/`envs`/`environment`, `url`/`uri`/`serverUrl`/`httpUrl`, Zed's `command.path`,
// OpenCode's command array); those spellings are one table here, so a client module only says
// where its servers sit.
import { isObject } from '../core/json.js';
import type { Scope, ServerDecl, Transport } from '../core/types.js';
import type { ConfigDocument, PathSegment } from '../parse/document.js';
import { toPointer } from '../parse/document.js';
import type { ServerShape } from './spec.js';
import type { ServerField } from '../rules/rule.js';

/** Alternate spellings, most common first. A path of several keys reaches into a nested object. */
const FIELD_PATHS = {
  command: [['command'], ['cmd'], ['command', 'path'], ['transport', 'command']],
  args: [['args'], ['command', 'args'], ['transport', 'args']],
  env: [['env'], ['envs'], ['environment'], ['command', 'env'], ['transport', 'env']],
  cwd: [['cwd'], ['workingDirectory']],
  url: [['url'], ['uri'], ['serverUrl'], ['httpUrl'], ['transport', 'url']],
  headers: [['headers'], ['http_headers'], ['requestInit', 'headers'], ['transport', 'headers']],
  type: [['type'], ['transport'], ['transportType'], ['transport', 'type']],
} as const satisfies Record<string, ReadonlyArray<readonly string[]>>;

/** Where each value of one declared server was written, so findings point at the exact line. */
export interface ServerSources {
  base: readonly PathSegment[];
  command?: readonly PathSegment[];
  args: Array<readonly PathSegment[]>;
  env: Record<string, readonly PathSegment[]>;
  headers: Record<string, readonly PathSegment[]>;
  url?: readonly PathSegment[];
  cwd?: readonly PathSegment[];
}

export interface ExtractedServer {
  decl: ServerDecl;
  sources: ServerSources;
}

export function extractServers(doc: ConfigDocument, shape: ServerShape, client: string, scope: Scope): ExtractedServer[] {
  const out: ExtractedServer[] = [];
  for (const at of shape.at) {
    const wild = at.includes('*');
    // A file that may be a bare map or wrapped (`{mcpServers: {...}}`) is read both ways; the
    // wrapper key itself is then not a server.
    const claimed = new Set(shape.at.filter((q) => q.length > at.length && at.every((k, i) => q[i] === k)).map((q) => q[at.length]!));
    for (const { value, path } of expand(doc.data, at, [])) {
      const entryScope = wild && shape.wildcardScope ? shape.wildcardScope : scope;
      if (shape.layout === 'list') {
        if (!Array.isArray(value)) continue;
        value.forEach((entry, i) => {
          if (!isObject(entry)) return;
          const name = typeof entry.name === 'string' ? entry.name : `#${i}`;
          out.push(buildServer(doc, client, entryScope, name, entry, [...path, i]));
        });
      } else if (isObject(value)) {
        for (const [name, entry] of Object.entries(value)) {
          if (!isObject(entry) || claimed.has(name)) continue;
          out.push(buildServer(doc, client, entryScope, name, entry, [...path, name]));
        }
      }
    }
  }
  return out;
}

function* expand(node: unknown, pattern: readonly string[], path: PathSegment[]): Generator<{ value: unknown; path: PathSegment[] }> {
  if (pattern.length === 0) {
    yield { value: node, path };
    return;
  }
  if (!isObject(node)) return;
  const [head, ...rest] = pattern as [string, ...string[]];
  if (head === '*') {
    for (const [k, v] of Object.entries(node)) yield* expand(v, rest, [...path, k]);
  } else if (Object.prototype.hasOwnProperty.call(node, head)) {
    yield* expand(node[head], rest, [...path, head]);
  }
}

function pick(entry: Record<string, unknown>, alternatives: ReadonlyArray<readonly string[]>, accept: (v: unknown) => boolean) {
  for (const alt of alternatives) {
    let v: unknown = entry;
    for (const k of alt) v = isObject(v) && Object.prototype.hasOwnProperty.call(v, k) ? v[k] : undefined;
    if (v !== undefined && accept(v)) return { value: v, rel: alt };
  }
  return undefined;
}

function buildServer(
  doc: ConfigDocument,
  client: string,
  scope: Scope,
  name: string,
  entry: Record<string, unknown>,
  base: PathSegment[],
): ExtractedServer {
  const sources: ServerSources = { base, args: [], env: {}, headers: {} };
  let command: string | undefined;
  let args: string[] = [];

  const cmd = pick(entry, FIELD_PATHS.command, (v) => typeof v === 'string' || (Array.isArray(v) && v.length > 0));
  if (cmd && typeof cmd.value === 'string') {
    command = cmd.value;
    sources.command = [...base, ...cmd.rel];
  } else if (cmd && Array.isArray(cmd.value)) {
    // OpenCode: "command": ["npx", "-y", "pkg"]
    const parts = cmd.value.map((p) => (typeof p === 'string' ? p : JSON.stringify(p) ?? String(p)));
    command = parts[0];
    sources.command = [...base, ...cmd.rel, 0];
    args = parts.slice(1);
    sources.args = args.map((_, i) => [...base, ...cmd.rel, i + 1]);
  }
  const argv = pick(entry, FIELD_PATHS.args, Array.isArray);
  if (argv && Array.isArray(argv.value)) {
    const start = args.length;
    for (const [i, a] of argv.value.entries()) {
      args.push(typeof a === 'string' ? a : JSON.stringify(a));
      sources.args[start + i] = [...base, ...argv.rel, i];
    }
  }

  const env = stringMap(pick(entry, FIELD_PATHS.env, isObject), base, sources.env);
  const headers = stringMap(pick(entry, FIELD_PATHS.headers, isObject), base, sources.headers);

  const urlPick = pick(entry, FIELD_PATHS.url, (v) => typeof v === 'string');
  const url = urlPick ? String(urlPick.value) : undefined;
  if (urlPick) sources.url = [...base, ...urlPick.rel];

  const cwdPick = pick(entry, FIELD_PATHS.cwd, (v) => typeof v === 'string');
  if (cwdPick) sources.cwd = [...base, ...cwdPick.rel];

  const typePick = pick(entry, FIELD_PATHS.type, (v) => typeof v === 'string');
  const transport = classifyTransport(typePick?.value as string | undefined, command, url);

  const disabled = entry.disabled === true || entry.enabled === false || entry.isActive === false;
  const pos = doc.locate(base);
  const decl: ServerDecl = {
    id: `${client}:${doc.path}${toPointer(base)}`,
    name,
    client,
    scope,
    transport,
    ...(command !== undefined ? { command } : {}),
    args,
    env,
    ...(cwdPick ? { cwd: String(cwdPick.value) } : {}),
    ...(url !== undefined ? { url } : {}),
    headers,
    disabled,
    file: doc.path,
    pointer: toPointer(base),
    line: pos.line,
    column: pos.column,
  };
  return { decl, sources };
}

function stringMap(
  picked: { value: unknown; rel: readonly string[] } | undefined,
  base: readonly PathSegment[],
  into: Record<string, readonly PathSegment[]>,
): Record<string, string> {
  // No prototype: a key named `__proto__` is data here, not a way to lose an entry.
  const out: Record<string, string> = Object.create(null);
  if (!picked || !isObject(picked.value)) return out;
  for (const [k, v] of Object.entries(picked.value)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
    into[k] = [...base, ...picked.rel, k];
  }
  return out;
}

function classifyTransport(type: string | undefined, command: string | undefined, url: string | undefined): Transport {
  const t = type?.toLowerCase().replace(/[-_]/g, '');
  if (t === 'sse') return 'sse';
  if (t === 'http' || t === 'streamablehttp' || t === 'remote' || t === 'streamable') return url ? 'http' : 'unknown';
  if (t === 'stdio' || t === 'local' || t === 'command') return command ? 'stdio' : 'unknown';
  if (command) return 'stdio';
  if (url) return /\/sse\/?($|\?)/.test(url) ? 'sse' : 'http';
  return 'unknown';
}

/** The config path of one field of a server, for locating a finding. */
export function fieldPath(sources: ServerSources, f: ServerField): readonly PathSegment[] {
  switch (f.field) {
    case 'name':
      return sources.base;
    case 'command':
      return sources.command ?? sources.base;
    case 'args':
      return sources.args[f.index] ?? sources.base;
    case 'env':
      return sources.env[f.key] ?? sources.base;
    case 'headers':
      return sources.headers[f.key] ?? sources.base;
    case 'url':
      return sources.url ?? sources.base;
    case 'cwd':
      return sources.cwd ?? sources.base;
  }
}

