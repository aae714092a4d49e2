// The canonical form of an MCP definition, and its hash. A pinned definition must hash the same
// however the server happens to serialise it (key order, indentation, list order of the tools), and
// differently as soon as anything the model reads or the client enforces changes.
//
// The form is RFC 8785 (JCS) JSON: object keys sorted by UTF-16 code units, no insignificant
// whitespace, numbers as ECMAScript prints them, strings escaped as JSON.stringify does. On top
// of JCS, arrays that JSON Schema gives set semantics (`required`, a `type` list, the lists in
// `dependentRequired`) are sorted, since `["b","a"]` and `["a","b"]` validate the same arguments.
// Every other array keeps its order: `enum` lists, `anyOf` branches and prompt arguments are read
// by the model in the order sent, so a reorder is a (small) change of what it is told.
//
// Whitespace: the "whitespace changes must not be flagged" means the formatting of the
// JSON document (indentation, newlines between tokens, spacing after colons), which this form
// drops by construction. Whitespace inside a string is content and is kept byte for byte: it is
// exactly where payloads hide. Trailing spaces and tabs encode hidden text (whitespace
// steganography), a run of newlines pushes an injected paragraph below what a client's approval
// dialog shows, and `"rm -rf /tmp/x"` and `"rm -rf / tmp/x"` differ by one space. A one-space
// edit therefore changes the hash, and the drift diff makes it visible.
//
// Everything here is iterative: a hostile server can nest a schema 10,000 levels deep (or far
// more), and neither canonicalising nor hashing it may exhaust the stack.
import { createHash, type Hash } from 'node:crypto';
import type { DefinitionKind, McpDefinition } from '../core/types.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A value that has no canonical form (a cycle). JSON input never raises it. */
export class CanonicalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalError';
  }
}

// ---------------------------------------------------------------------------------------------
// Where set semantics apply
// ---------------------------------------------------------------------------------------------

/**
 * What a position in a definition holds, so that set semantics apply only to schema keywords: a
 * property *named* `required` (under `properties`) is a schema, and an `enum` value or a
 * `default` holding `{"required": [...]}` is data.
 */
type Context = 'data' | 'schema' | 'schema-map' | 'set-map' | 'tool';

/** Keywords whose value is a string list with set semantics. */
const SET_KEYWORDS = new Set(['required', 'type']);
/** Keywords whose value is a map of name → schema. */
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is instance data, not a schema. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'example']);
/** The schemas of a tool; prompts and resources carry none. */
const TOOL_SCHEMAS = new Set(['inputSchema', 'outputSchema']);

function childContext(ctx: Context, key: string | number): Context {
  switch (ctx) {
    case 'tool':
      return typeof key === 'string' && TOOL_SCHEMAS.has(key) ? 'schema' : 'data';
    case 'schema':
      if (typeof key === 'number') return 'schema'; // anyOf/allOf/oneOf/prefixItems/items entries
      if (DATA_KEYWORDS.has(key)) return 'data';
      if (SCHEMA_MAP_KEYWORDS.has(key)) return 'schema-map';
      if (key === 'dependentRequired') return 'set-map';
      return 'schema';
    case 'schema-map':
      return 'schema';
    case 'set-map':
    case 'data':
      return 'data';
  }
}

/** Whether the list at `key` of a container in context `parent` is a set of strings. */
function isSetArray(parent: Context, key: string | number, value: unknown[]): boolean {
  const applies = (parent === 'schema' && typeof key === 'string' && SET_KEYWORDS.has(key)) || parent === 'set-map';
  return applies && value.every((v) => typeof v === 'string');
}

// ---------------------------------------------------------------------------------------------
// Canonical value
// ---------------------------------------------------------------------------------------------

/** Marks a non-JSON value (undefined, a function, a symbol): dropped from objects, `null` in arrays, like JSON.stringify. */
const ABSENT = Symbol('absent');

function scalar(v: unknown): JsonValue | typeof ABSENT | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      // JSON has no NaN or Infinity (JSON.stringify writes null); -0 prints as 0 anyway.
      return Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : null;
    case 'bigint':
      return v.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return ABSENT;
    case 'object':
      return v === null ? null : undefined; // undefined: a container, walked by the caller
  }
}

/**
 * A fresh object with no prototype: keys such as `__proto__` or `constructor` are plain data in
 * it, so a hostile definition can neither pollute Object.prototype nor lose a key on the way.
 */
export function dataObject(): JsonObject {
  return Object.create(null) as JsonObject;
}

/** Own enumerable string keys, read through descriptors so no getter (or prototype) is ever invoked. */
function ownEntries(o: object): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const key of Object.keys(o)) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    out.push([key, d && 'value' in d ? d.value : undefined]);
  }
  return out;
}

interface Frame {
  src: object;
  out: JsonObject | JsonValue[];
  entries: Array<[string | number, unknown]>;
  i: number;
  ctx: Context;
}

/**
 * The canonical JSON value of `value`: sorted keys (in fresh prototype-less objects), set-like
 * schema arrays sorted, non-JSON values dropped or nulled as JSON.stringify would. Idempotent.
 * `root` says what the value is: a tool (whose `inputSchema`/`outputSchema` are schemas), a bare
 * schema, or data. Throws CanonicalError on a cycle.
 */
export function canonicalize(value: unknown, root: 'tool' | 'schema' | 'data' = 'data'): JsonValue {
  const top = scalar(value);
  if (top === ABSENT) return null;
  if (top !== undefined) return top;
  // Objects on the path from the root: a repeat is a cycle. Shared (acyclic) references are fine.
  const onPath = new Set<object>();
  const stack: Frame[] = [];
  /** Starts walking a container found at `key` of a `parent` one; a set-like string list is finished at once. */
  const open = (src: object, parent: Context | undefined, key: string | number): JsonValue => {
    if (onPath.has(src)) throw new CanonicalError('the value contains a cycle');
    const ctx = parent === undefined ? root : childContext(parent, key);
    if (Array.isArray(src)) {
      if (parent !== undefined && isSetArray(parent, key, src)) return [...(src as string[])].sort();
      const out: JsonValue[] = [];
      onPath.add(src);
      stack.push({ src, out, entries: src.map((v, i) => [i, v]), i: 0, ctx });
      return out;
    }
    const out = dataObject();
    onPath.add(src);
    const entries = ownEntries(src).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    stack.push({ src, out, entries, i: 0, ctx });
    return out;
  };
  const result = open(value as object, undefined, '');
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.i >= f.entries.length) {
      stack.pop();
      onPath.delete(f.src);
      continue;
    }
    const [key, child] = f.entries[f.i++]!;
    const s = scalar(child);
    const v = s === undefined ? open(child as object, f.ctx, key) : s;
    if (Array.isArray(f.out)) f.out.push(v === ABSENT ? null : v);
    else if (v !== ABSENT) f.out[key as string] = v;
  }
  return result;
}

/**
 * Fields that change without the definition changing: a resource's `size` and its
 * `annotations.lastModified` move whenever the file behind it is touched, and would make every
 * verify of a file server report drift.
 */
const VOLATILE: Partial<Record<DefinitionKind, ReadonlyArray<readonly string[]>>> = {
  resource: [['size'], ['annotations', 'lastModified']],
  'resource-template': [['annotations', 'lastModified']],
};

/** The canonical form of what a server sent for one definition (its `raw` object, volatile fields left out). */
export function canonicalDefinition(def: Pick<McpDefinition, 'kind' | 'raw'>): JsonValue {
  const canon = canonicalize(def.raw, def.kind === 'tool' ? 'tool' : 'data');
  for (const path of VOLATILE[def.kind] ?? []) removePath(canon, path);
  return canon;
}

function removePath(value: JsonValue, path: readonly string[]): void {
  let parent: JsonValue = value;
  const chain: JsonObject[] = [];
  for (const key of path.slice(0, -1)) {
    if (!isJsonObject(parent)) return;
    chain.push(parent);
    parent = parent[key] ?? null;
  }
  if (!isJsonObject(parent)) return;
  delete parent[path[path.length - 1]!];
  // `annotations` that held only the volatile field is the same as no annotations.
  if (chain.length > 0 && Object.keys(parent).length === 0) delete chain[chain.length - 1]![path[path.length - 2]!];
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// Serialisation and hashing
// ---------------------------------------------------------------------------------------------

type SerialFrame = { kind: 'object'; obj: JsonObject; keys: string[]; i: number } | { kind: 'array'; arr: JsonValue[]; i: number };

/**
 * Writes the JCS text of a canonical value in chunks, without recursion and without ever holding
 * the whole text: hashing a 100 MB definition costs no 100 MB string.
 */
function serialize(value: JsonValue, sink: (chunk: string) => void): void {
  let buf = '';
  const emit = (s: string): void => {
    buf += s;
    if (buf.length >= 1 << 16) {
      sink(buf);
      buf = '';
    }
  };
  const stack: SerialFrame[] = [];
  const write = (v: JsonValue): void => {
    if (v === null || typeof v !== 'object') {
      emit(JSON.stringify(v));
    } else if (Array.isArray(v)) {
      emit('[');
      stack.push({ kind: 'array', arr: v, i: 0 });
    } else {
      emit('{');
      // Sorted here again: integer-like keys ("10", "9") live in numeric order inside a JS object.
      stack.push({ kind: 'object', obj: v, keys: Object.keys(v).sort(), i: 0 });
    }
  };
  write(value);
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.kind === 'array') {
      if (f.i >= f.arr.length) {
        stack.pop();
        emit(']');
        continue;
      }
      if (f.i > 0) emit(',');
      write(f.arr[f.i++]!);
    } else {
      if (f.i >= f.keys.length) {
        stack.pop();
        emit('}');
        continue;
      }
      const key = f.keys[f.i++]!;
      emit(`${f.i > 1 ? ',' : ''}${JSON.stringify(key)}:`);
      write(f.obj[key]!);
    }
  }
  if (buf) sink(buf);
}

/** The canonical JSON text of any value (see canonicalize). */
export function canonicalJson(value: unknown, root: 'tool' | 'schema' | 'data' = 'data'): string {
  const parts: string[] = [];
  serialize(canonicalize(value, root), (c) => parts.push(c));
  return parts.join('');
}

/** The JCS text of a value that is already canonical (a definition stored in a lockfile). */
export function serializeCanonical(value: JsonValue): string {
  const parts: string[] = [];
  serialize(value, (c) => parts.push(c));
  return parts.join('');
}

function hashOf(feed: (h: Hash) => void): string {
  const h = createHash('sha256');
  feed(h);
  return `sha256:${h.digest('hex')}`;
}

/** `sha256:<hex>` of a value that is already canonical. */
export function canonicalHash(value: JsonValue): string {
  return hashOf((h) => serialize(value, (c) => h.update(c, 'utf8')));
}

/** `sha256:<hex>` of a definition's canonical form: name, title, description, schemas, annotations, `_meta`, everything it sent. */
export function definitionHash(def: Pick<McpDefinition, 'kind' | 'raw'>): string {
  return canonicalHash(canonicalDefinition(def));
}

/** `sha256:<hex>` of a text's UTF-8 bytes, as `printf %s "$text" | sha256sum` would print it. */
export function textHash(text: string): string {
  return hashOf((h) => h.update(text, 'utf8'));
}

export const SHA256_REF = /^sha256:[0-9a-f]{64}$/;

// ---------------------------------------------------------------------------------------------
// Size limits
// ---------------------------------------------------------------------------------------------

/**
 * Why a canonical value is too big to store or show (`nesting deeper than 64 levels`, `over
 * 262144 characters`), or undefined when it fits. Stops walking as soon as a limit is crossed.
 */
export function exceedsLimits(value: JsonValue, limits: { maxDepth: number; maxChars: number }): string | undefined {
  // JSON text length is estimated from string lengths plus punctuation: exact enough for a limit.
  let chars = 0;
  const stack: Array<{ v: JsonValue; depth: number }> = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (depth > limits.maxDepth) return `nesting deeper than ${limits.maxDepth} levels`;
    if (typeof v === 'string') chars += v.length + 2;
    else if (v === null || typeof v !== 'object') chars += String(v).length;
    else if (Array.isArray(v)) {
      chars += 2 + v.length;
      for (const c of v) stack.push({ v: c, depth: depth + 1 });
    } else {
      for (const [k, c] of Object.entries(v)) {
        chars += k.length + 4;
        stack.push({ v: c, depth: depth + 1 });
      }
      chars += 2;
    }
    if (chars > limits.maxChars) return `larger than ${limits.maxChars} characters`;
  }
  return undefined;
}
