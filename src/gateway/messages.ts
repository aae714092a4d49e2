// JSON-RPC shapes the gateway reads and writes. Only what routing and policy need is looked at; a
// message's other fields pass through untouched.
import { isObject } from '../core/json.js';

export type Json = Record<string, unknown>;
export type Id = string | number;

/** Standard JSON-RPC codes, plus MCP's reserved range for the gateway's own refusals. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  InternalError: -32603,
  /** Implementation-defined server error, as the SDK answers a request without a session. */
  ServerError: -32000,
  /** As the SDK's servers answer an unknown Mcp-Session-Id. */
  SessionNotFound: -32001,
  /** The 2026-07-28 revision: `Mcp-Method`/`Mcp-Name` headers disagree with the body. */
  HeaderMismatch: -32020,
  /** Warden: the upstream server crashed, hung or answered with garbage. */
  UpstreamFailed: -32050,
  /** Warden: the request was refused before reaching the server (kill switch, audit store down). */
  Refused: -32051,
} as const;

export type Kind = 'request' | 'notification' | 'response' | 'invalid';

/** What a message is, by JSON-RPC 2.0's own rules. */
export function kindOf(m: unknown): Kind {
  if (!isObject(m)) return 'invalid';
  if (typeof m['method'] === 'string') return m['id'] === undefined ? 'notification' : isId(m['id']) ? 'request' : 'invalid';
  if (isId(m['id']) && ('result' in m || 'error' in m)) return 'response';
  // An error response to a message whose id could not be read carries `id: null`.
  if (m['id'] === null && 'error' in m) return 'response';
  return 'invalid';
}

export function isId(v: unknown): v is Id {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

/** A map key for an id that keeps 1 and "1" apart. */
export function idKey(id: unknown): string {
  return typeof id === 'number' ? `n${id}` : `s${String(id)}`;
}

export function errorResponse(id: unknown, code: number, message: string, data?: unknown): Json {
  return { jsonrpc: '2.0', id: id ?? null, error: { code, message, ...(data === undefined ? {} : { data }) } };
}

/**
 * A tool result the model reads: how a refused `tools/call` is answered (an error the model can
 * act on, not a protocol failure). A 2026-07-28 result must say it is complete.
 */
export function toolErrorResult(id: Id, text: string, modern: boolean): Json {
  return { jsonrpc: '2.0', id, result: { ...(modern ? { resultType: 'complete' } : {}), content: [{ type: 'text', text }], isError: true } };
}

export function paramsOf(m: Json): Json {
  return isObject(m['params']) ? m['params'] : {};
}

/** The `_meta` of a request's params (2026-07-28 puts the protocol envelope there). */
export function metaOf(m: Json): Json | undefined {
  const meta = paramsOf(m)['_meta'];
  return isObject(meta) ? meta : undefined;
}

export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
} as const;
