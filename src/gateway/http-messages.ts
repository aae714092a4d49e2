// What both HTTP transports need to know about a JSON-RPC message without decoding it fully:
// its kind and id, the 2026-07-28 `_meta` envelope, the request headers that mirror the body
// (SEP-2243: `Mcp-Method`, `Mcp-Name`), and the error responses the gateway builds itself.
// Kept free of I/O so both sides (and their tests) share one reading of the spec.
import { isObject } from '../core/json.js';
import { META, type Json } from './messages.js';
import type { Frame } from './transport.js';

export { isObject };
export { ErrorCode, errorResponse, idKey, type Json } from './messages.js';

export const PROTOCOL_VERSION_META_KEY = META.protocolVersion;
export const SUBSCRIPTION_ID_META_KEY = 'io.modelcontextprotocol/subscriptionId';
/** The first revision without sessions; later revisions compare greater as strings (YYYY-MM-DD). */
export const FIRST_MODERN_PROTOCOL_VERSION = '2026-07-28';


/** A request: has a method and an id. */
export function isRequest(m: unknown): m is Json & { method: string; id: string | number } {
  return isObject(m) && typeof m['method'] === 'string' && (typeof m['id'] === 'string' || typeof m['id'] === 'number');
}

export function isNotification(m: unknown): m is Json & { method: string } {
  return isObject(m) && typeof m['method'] === 'string' && m['id'] === undefined;
}

/** A response: an id and a result or an error, no method. */
export function isResponse(m: unknown): m is Json & { id: string | number | null } {
  return isObject(m) && m['method'] === undefined && 'id' in m && ('result' in m || 'error' in m);
}


/** The elements of a message that may be a batch. */
export function messagesOf(message: unknown): unknown[] {
  return Array.isArray(message) ? message : [message];
}

/** The protocol revision a 2026-07-28-era request names in its `_meta` envelope, if any. */
export function envelopeVersion(m: unknown): string | undefined {
  if (!isObject(m) || !isObject(m['params'])) return undefined;
  const meta = m['params']['_meta'];
  const version = isObject(meta) ? meta[PROTOCOL_VERSION_META_KEY] : undefined;
  return typeof version === 'string' ? version : undefined;
}

export function isModernVersion(version: string | undefined): boolean {
  return version !== undefined && version >= FIRST_MODERN_PROTOCOL_VERSION;
}

/** The first revision whose clients take a priming event (an event id with empty data) on a POST stream. */
export const FIRST_PRIMING_PROTOCOL_VERSION = '2025-11-25';

/** Whether a 2025-era session of this protocol version starts its POST streams with a priming event (as the SDK's servers decide). */
export function primesPostStreams(version: string | undefined): boolean {
  return version !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= FIRST_PRIMING_PROTOCOL_VERSION;
}

/**
 * Which body field `Mcp-Name` mirrors, per method: the spec's table (tools/call, prompts/get,
 * resources/read) plus the tasks/* rows the SDK also sends and checks (SEP-2663).
 */
const MCP_NAME_SOURCE: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** The value `Mcp-Name` must carry for this request, or undefined when the method has none. */
export function mcpNameOf(method: string, params: unknown): { field: string; value: string | undefined } | undefined {
  const field = Object.hasOwn(MCP_NAME_SOURCE, method) ? MCP_NAME_SOURCE[method]! : undefined;
  if (field === undefined) return undefined;
  const raw = isObject(params) ? params[field] : undefined;
  return { field, value: typeof raw === 'string' ? raw : undefined };
}

const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A header value for `Mcp-Name`: plain when it is safe visible ASCII, else the Base64 sentinel form. */
export function encodeHeaderValue(value: string): string {
  const unsafe =
    value.length === 0 ||
    value !== value.trim() ||
    (value.startsWith(SENTINEL_PREFIX) && value.endsWith(SENTINEL_SUFFIX)) ||
    /[^\t\x20-\x7e]/.test(value);
  return unsafe ? `${SENTINEL_PREFIX}${Buffer.from(value, 'utf8').toString('base64')}${SENTINEL_SUFFIX}` : value;
}

/** The inverse of encodeHeaderValue; undefined for a malformed sentinel. */
export function decodeHeaderValue(value: string): string | undefined {
  const v = value.replace(/^[\t ]+|[\t ]+$/g, '');
  if (!(v.startsWith(SENTINEL_PREFIX) && v.endsWith(SENTINEL_SUFFIX))) return v;
  const b64 = v.slice(SENTINEL_PREFIX.length, v.length - SENTINEL_SUFFIX.length);
  if (!CANONICAL_BASE64.test(b64)) return undefined;
  const text = Buffer.from(b64, 'base64').toString('utf8');
  // Invalid UTF-8 decodes to U+FFFD; a round trip shows it.
  return Buffer.from(text, 'utf8').toString('base64') === b64 ? text : undefined;
}

/** The SEP-2243 headers a 2026-07-28 request POST must carry (lower-case names). */
export function modernRequestHeaders(m: Json & { method: string }, version: string): Record<string, string> {
  const headers: Record<string, string> = { 'mcp-protocol-version': version, 'mcp-method': m.method };
  const name = mcpNameOf(m.method, m['params']);
  if (name?.value !== undefined) headers['mcp-name'] = encodeHeaderValue(name.value);
  return headers;
}

/**
 * Why the mirrored headers of a 2026-07-28 POST disagree with its body, or undefined when they
 * agree. Requests must carry them; a notification's are checked only when present.
 */
export function headerMismatch(m: Json & { method: string }, version: string, header: (name: string) => string | undefined): string | undefined {
  const required = m['id'] !== undefined;
  const protocol = header('mcp-protocol-version');
  if (protocol === undefined ? required : protocol.trim() !== version) {
    return protocol === undefined ? 'the MCP-Protocol-Version header is missing' : `MCP-Protocol-Version header "${protocol}" does not match the body's ${version}`;
  }
  const method = header('mcp-method');
  if (method === undefined ? required : method.trim() !== m.method) {
    return method === undefined ? 'the Mcp-Method header is missing' : `Mcp-Method header "${method}" does not match the body's ${m.method}`;
  }
  const name = mcpNameOf(m.method, m['params']);
  if (name === undefined) return undefined;
  const given = header('mcp-name');
  if (given === undefined) return name.value !== undefined && required ? `the Mcp-Name header is missing (params.${name.field} is "${name.value}")` : undefined;
  const decoded = decodeHeaderValue(given);
  if (decoded === undefined) return 'the Mcp-Name header is not valid Base64 sentinel encoding';
  if (name.value !== undefined && decoded !== name.value) return `Mcp-Name header "${decoded}" does not match params.${name.field} "${name.value}"`;
  return undefined;
}


/**
 * A frame for a message received as `text`. `line` keeps the exact text for a byte-exact relay,
 * but only when it is one line: a stdio peer frames messages by newline, and a pretty-printed
 * HTTP body relayed as is would break that framing.
 */
export function frameOf(message: unknown, text: string): Frame {
  return text.includes('\n') || text.includes('\r') ? { message } : { message, line: text };
}

/** One line, cut to `max` characters: for reasons built from what a peer sent. */
export function snippet(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
