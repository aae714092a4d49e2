// Reads a connected server's tools, prompts, resources and resource templates exactly as the
// server sent them.
//
// The SDK's `listTools()` & co. are not used, on purpose:
// - they parse every item with the SDK's schemas, which drop fields the schema does not know
//   (a tool's unknown top-level keys vanish), while detectors must see every text the server
//   sent and the lockfile must hash it unchanged;
// - on a 2026-07-28 HTTP connection `listTools()` silently removes tools whose `x-mcp-header`
//   declarations are invalid (SEP-2243), and logs a warning to the console; a scanner must report
//   such a tool, not lose it;
// - they write the aggregate to a response cache (a second copy of a list that may be megabytes)
//   and print `console.debug` lines when a capability is missing.
// So each page is fetched with `client.request` and a pass-through result schema, and this module
// does the checks that matter itself: the shapes a definition needs to be named, and a walk that
// ends (a page cap, a cursor that must not come back, a cap on the number of definitions).
import { isObject } from '../core/json.js';
import { SdkErrorCode, type Client, type StandardSchemaV1 } from '@modelcontextprotocol/client';
import type { DefinitionKind, McpDefinition } from '../core/types.js';

interface ListSpec {
  kind: Exclude<DefinitionKind, 'instructions'>;
  method: 'tools/list' | 'prompts/list' | 'resources/list' | 'resources/templates/list';
  /** Where the items are in the result. */
  key: 'tools' | 'prompts' | 'resources' | 'resourceTemplates';
  /** The item field that names a definition. */
  nameField: 'name' | 'uri' | 'uriTemplate';
  /** The server capability that advertises the list. */
  capability: 'tools' | 'prompts' | 'resources';
  /** Answered "Method not found" means "none": templates came later than resources, many servers never added them. */
  missingIsEmpty: boolean;
}

export const LISTS: readonly ListSpec[] = [
  { kind: 'tool', method: 'tools/list', key: 'tools', nameField: 'name', capability: 'tools', missingIsEmpty: false },
  { kind: 'prompt', method: 'prompts/list', key: 'prompts', nameField: 'name', capability: 'prompts', missingIsEmpty: false },
  { kind: 'resource', method: 'resources/list', key: 'resources', nameField: 'uri', capability: 'resources', missingIsEmpty: false },
  {
    kind: 'resource-template',
    method: 'resources/templates/list',
    key: 'resourceTemplates',
    nameField: 'uriTemplate',
    capability: 'resources',
    missingIsEmpty: true,
  },
];

export interface ListLimits {
  /** Pages per list before the walk is declared endless. */
  maxPages: number;
  /** Definitions per server (all lists together). */
  maxDefinitions: number;
}

export interface ListContext {
  limits: ListLimits;
  signal: AbortSignal;
  /**
   * Timeout for one request. The inspection's deadline is what stops a hung server (it names the
   * list in its reason); this only has to outlast it, since the SDK's default is 60 s.
   */
  requestTimeoutMs(): number;
  /** Told which list is being read, for a failure reason that names where the server stopped. */
  onPhase?(method: string): void;
}

type JsonObject = Record<string, unknown>;

/** Pass-through result schema: any JSON object, untouched. */
const RAW_RESULT: StandardSchemaV1<JsonObject, JsonObject> = {
  '~standard': {
    version: 1,
    vendor: 'warden',
    validate: (value) => (isObject(value) ? { value } : { issues: [{ message: 'the result is not a JSON object' }] }),
  },
};

const METHOD_NOT_FOUND = -32601;
const CONNECTION_LOST = new Set<unknown>([SdkErrorCode.ConnectionClosed, SdkErrorCode.NotConnected, SdkErrorCode.SendFailed]);

/**
 * Lists every kind the server's capabilities advertise, one after another, into `into` (so what
 * was read survives a deadline that stops a later list). Never calls anything. Returns one line
 * per list that failed, e.g. "prompts/list failed: ..."; throws only when the connection is gone.
 */
export async function listDefinitions(client: Client, ctx: ListContext, into: McpDefinition[]): Promise<string[]> {
  const capabilities: JsonObject = client.getServerCapabilities() ?? {};
  const failures: string[] = [];
  for (const spec of LISTS) {
    if (!capabilities[spec.capability]) continue;
    if (ctx.signal.aborted) break;
    ctx.onPhase?.(spec.method);
    const failure = await listOne(client, spec, ctx, into);
    if (failure !== undefined) failures.push(`${spec.method} failed: ${failure}`);
    // Past the cap every later list would fail the same way; once is enough.
    if (into.length >= ctx.limits.maxDefinitions) break;
  }
  return failures;
}

/** Walks one list's pages into `into`; returns why it failed, if it did. */
async function listOne(client: Client, spec: ListSpec, ctx: ListContext, into: McpDefinition[]): Promise<string | undefined> {
  const requested = new Set<string>();
  let cursor: string | undefined;
  let previousItems: unknown[] | undefined;
  for (let pages = 0; ; pages++) {
    if (pages >= ctx.limits.maxPages) return `the server kept paginating past ${ctx.limits.maxPages} pages`;
    let result: JsonObject;
    try {
      result = await client.request({ method: spec.method, params: cursor === undefined ? {} : { cursor } }, RAW_RESULT, {
        signal: ctx.signal,
        timeout: ctx.requestTimeoutMs(),
      });
    } catch (error) {
      // A lost connection ends the inspection, not just this list: let the caller explain it
      // (the server's exit code and last words say more than "Connection closed").
      if (ctx.signal.aborted || CONNECTION_LOST.has(errorCode(error))) throw error;
      if (spec.missingIsEmpty && pages === 0 && errorCode(error) === METHOD_NOT_FOUND) return undefined;
      return describeRequestError(error);
    }
    const items = result[spec.key];
    if (!Array.isArray(items)) return `malformed result: \`${spec.key}\` is ${describeType(items)}, not a list`;
    const next = result.nextCursor;
    if (next !== undefined && next !== null && typeof next !== 'string') {
      return `malformed result: \`nextCursor\` is ${describeType(next)}, not a string`;
    }
    // A server that answers a cursor with itself and the same page has reached its end (the SDK
    // treats it so too); any other cursor that comes back is a loop.
    if (cursor !== undefined && next === cursor && sameItems(items, previousItems)) return undefined;
    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i];
      const name = isObject(item) ? item[spec.nameField] : undefined;
      if (!isObject(item)) return `malformed result: ${spec.key}[${i}] is ${describeType(item)}, not an object`;
      if (typeof name !== 'string') return `malformed result: ${spec.key}[${i}].${spec.nameField} is ${describeType(name)}, not a string`;
      if (into.length >= ctx.limits.maxDefinitions) return `the server listed more than ${ctx.limits.maxDefinitions} definitions`;
      into.push({ kind: spec.kind, name, raw: item });
    }
    // An empty cursor is taken as "no more": some servers send "" for the last page.
    if (typeof next !== 'string' || next === '') return undefined;
    if (requested.has(next)) return `pagination loops: the cursor "${next.slice(0, 40)}" came back after ${pages + 1} pages`;
    if (cursor !== undefined) requested.add(cursor);
    requested.add(next);
    cursor = next;
    previousItems = items;
  }
}

function sameItems(a: unknown[], b: unknown[] | undefined): boolean {
  return b !== undefined && a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

function describeType(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A JSON-RPC error's numeric code, or an SDK error's string code. */
export function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
}

/** A JSON-RPC error or a transport failure, in one line. */
export function describeRequestError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(/\r?\n/)[0] ?? message;
}
