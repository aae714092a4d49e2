// The downstream side for clients that speak Streamable HTTP (`--listen 127.0.0.1:PORT`): MCP at
// `/mcp`, both protocol eras on one endpoint, told apart per POST. A body whose `_meta` names a
// 2026-07-28 revision is stateless (its mirrored headers are checked against the body first);
// `initialize` opens a 2025-era session with its own Mcp-Session-Id; anything else must name a
// session it belongs to. A 2025-era client that names text/event-stream in Accept gets its
// requests answered on resumable SSE streams (priming event, event ids, GET + Last-Event-ID), as
// the SDK's servers answer them; any other client gets JSON whenever the answer is only the response.
//
// Built on node:http rather than the SDK's server transport: the SDK's needs a protocol `Server`
// (or parses every message against its schemas) and lives in a package Warden ships only as a
// dev dependency, while relaying frames needs none of it. The body is parsed once, here.
//
// Before anything else every request passes the access checks (Host and Origin against DNS
// rebinding, the bearer token when one is set). The client's own Authorization header stops
// here: the gateway session receives frames, never HTTP headers, so nothing the client sent as
// a header can reach the upstream.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessPolicy, checkAccess } from './http-access.js';
import { ErrorCode, envelopeVersion, errorResponse, headerMismatch, isModernVersion, isObject, isRequest, messagesOf, type Json } from './http-messages.js';
import { LegacySession, StatelessHub, type ReplyMode, type SessionLimits } from './http-sessions.js';
import { MAX_MESSAGE_BYTES } from './line-reader.js';
import type { SessionFactory } from './transport.js';

export interface HttpListenerOptions {
  /** Address to bind, default 127.0.0.1. Anything but loopback requires `token`. */
  host?: string;
  /** Port, default 0 (any free port; the returned url says which). */
  port?: number;
  /** Bearer token clients must send (`--token`); required on a non-loopback bind. */
  token?: string;
  /** Browser origins allowed besides http(s)://localhost|127.0.0.1|[::1] on any port. */
  allowedOrigins?: readonly string[];
  /** Cap on a request body, default 10 MB. */
  maxBodyBytes?: number;
  /** 2025-era sessions open at once, default 100; more are refused with 503. */
  maxSessions?: number;
  /** A 2025-era session with nothing open and no request for this long is closed, default 30 min. */
  sessionIdleMs?: number;
  /**
   * Server messages a 2025-era session holds for resumption, default 1,000: for its GET stream,
   * and (until delivered in full) for its POST streams.
   */
  replayEvents?: number;
  /** The `retry` a priming event sends: how long a client waits before resuming a stream that closed, default 1 s. */
  retryMs?: number;
  /** Interval of SSE comments on long-lived streams, default 15 s. */
  keepAliveMs?: number;
  /** Notes for the operator; never sent to a client. */
  warn?: (line: string) => void;
}

export interface HttpListener {
  /** Where clients connect: http://HOST:PORT/mcp. */
  url: string;
  /** Stops accepting, closes every session (and so its upstream), drops open streams. */
  close(): Promise<void>;
}

export const MCP_PATH = '/mcp';
const ALLOW = 'GET, POST, DELETE';

/** Parses `--listen`: "PORT", "HOST:PORT" or "[IPv6]:PORT". Throws an Error naming the problem. */
export function parseListenAddress(text: string): { host: string; port: number } {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new Error(`--listen "${text}": expected HOST:PORT, e.g. 127.0.0.1:8080`);
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

export async function startHttpListener(options: HttpListenerOptions, factory: SessionFactory): Promise<HttpListener> {
  const host = options.host ?? '127.0.0.1';
  // Checked before binding: a bind that would be open to the network without a token never starts.
  accessPolicy({ host, port: 0, token: options.token });
  const maxBody = options.maxBodyBytes ?? MAX_MESSAGE_BYTES;
  const maxSessions = options.maxSessions ?? 100;
  const idleMs = options.sessionIdleMs ?? 30 * 60_000;
  const limits: SessionLimits = { replayEvents: options.replayEvents ?? 1_000, keepAliveMs: options.keepAliveMs ?? 15_000, retryMs: options.retryMs ?? 1_000, warn: options.warn };
  const sessions = new Map<string, LegacySession>();
  const stateless = new StatelessHub((peer) => factory(peer, { id: randomUUID(), transport: 'http' }), limits);

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const policy = accessPolicy({ host, port, token: options.token, allowedOrigins: options.allowedOrigins });

  const closeSession = (s: LegacySession): Promise<void> => {
    sessions.delete(s.id);
    return s.close().catch((err: unknown) => options.warn?.(`closing session ${s.id} failed: ${(err as Error).message}`));
  };
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const s of sessions.values()) if (!s.busy && now - s.lastActive > idleMs) void closeSession(s);
    },
    Math.min(idleMs, 60_000),
  ).unref();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const denied = checkAccess(req.headers, policy);
    if (denied) return refuse(res, denied.status, ErrorCode.InvalidRequest, denied.message, denied.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
    const path = (req.url ?? '/').split('?')[0];
    if (path !== MCP_PATH) return refuse(res, 404, ErrorCode.InvalidRequest, `Not Found: MCP is at ${MCP_PATH}`);
    const sessionId = header(req, 'mcp-session-id');
    switch (req.method) {
      case 'POST':
        return post(req, res, sessionId);
      case 'GET': {
        const s = findSession(res, sessionId);
        if (!s) return;
        if (!accepts(req, 'text/event-stream')) return refuse(res, 406, ErrorCode.InvalidRequest, 'Not Acceptable: the event stream needs Accept: text/event-stream');
        s.lastActive = Date.now();
        if (!s.listen(res, header(req, 'last-event-id'))) return refuse(res, 400, ErrorCode.ServerError, 'Bad Request: Last-Event-ID names a stream this session no longer holds');
        return;
      }
      case 'DELETE': {
        const s = findSession(res, sessionId);
        if (!s) return;
        await closeSession(s);
        return void res.writeHead(200).end();
      }
      default:
        return refuse(res, 405, ErrorCode.InvalidRequest, `Method Not Allowed: ${ALLOW}`, { allow: ALLOW });
    }
  }

  function findSession(res: ServerResponse, id: string | undefined): LegacySession | undefined {
    if (id === undefined) return void refuse(res, 400, ErrorCode.ServerError, 'Bad Request: Mcp-Session-Id header is required');
    const s = sessions.get(id);
    if (!s) refuse(res, 404, ErrorCode.SessionNotFound, 'Session not found');
    return s;
  }

  async function post(req: IncomingMessage, res: ServerResponse, sessionId: string | undefined): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return refuse(res, 415, ErrorCode.InvalidRequest, 'Unsupported Media Type: Content-Type must be application/json');
    const sse = accepts(req, 'text/event-stream');
    const json = accepts(req, 'application/json');
    if (!sse && !json) return refuse(res, 406, ErrorCode.InvalidRequest, 'Not Acceptable: Accept must include application/json or text/event-stream');
    const reply: ReplyMode = json ? (sse ? 'either' : 'json') : 'sse';
    const body = await readBody(req, maxBody);
    if (body === undefined) return; // the client went away mid-body
    if (body === TOO_LARGE) return refuse(res, 413, ErrorCode.InvalidRequest, `Payload Too Large: the body is over ${Math.round(maxBody / (1024 * 1024))} MB`, { connection: 'close' });
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch (err) {
      return refuse(res, 400, ErrorCode.ParseError, `Parse error: ${(err as Error).message}`);
    }
    const all = messagesOf(message);
    if (all.length === 0 || !all.every((m) => isObject(m) && m['jsonrpc'] === '2.0')) return refuse(res, 400, ErrorCode.InvalidRequest, 'Invalid Request: not a JSON-RPC 2.0 message');

    const version = Array.isArray(message) ? undefined : envelopeVersion(message);
    if (isModernVersion(version)) {
      const m = message as Json;
      if (typeof m['method'] !== 'string') return refuse(res, 400, ErrorCode.InvalidRequest, 'Invalid Request: a 2026-07-28 POST carries a request or a notification');
      const mismatch = headerMismatch(m as Json & { method: string }, version!, (name) => header(req, name));
      if (mismatch) return refuse(res, 400, ErrorCode.HeaderMismatch, `Header mismatch: ${mismatch}`, {}, m['id']);
      return stateless.post(res, m, body, reply);
    }
    if (sessionId !== undefined) {
      const s = sessions.get(sessionId);
      if (!s) return refuse(res, 404, ErrorCode.SessionNotFound, 'Session not found', {}, isRequest(message) ? message.id : null);
      const duplicate = all.find((m) => isRequest(m) && s.has(m.id));
      if (duplicate) return refuse(res, 400, ErrorCode.InvalidRequest, 'Invalid Request: this request id is still being answered', {}, (duplicate as Json)['id']);
      return s.post(res, message, body, legacyMode(req, reply), {});
    }
    if (!all.some((m) => isRequest(m) && m.method === 'initialize')) {
      return refuse(res, 400, ErrorCode.ServerError, 'Bad Request: Mcp-Session-Id header is required', {}, isRequest(message) ? message.id : null);
    }
    if (sessions.size >= maxSessions) return refuse(res, 503, ErrorCode.ServerError, 'Service Unavailable: too many open sessions', { 'retry-after': '5' });
    const id = randomUUID();
    const s = new LegacySession(id, (peer) => factory(peer, { id, transport: 'http' }), limits);
    sessions.set(id, s);
    // A handshake that failed leaves a session no client will use: release it (and its upstream) now.
    s.onHandshakeFailed = () => void closeSession(s);
    s.post(res, message, body, legacyMode(req, reply), { 'mcp-session-id': id });
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      options.warn?.(`HTTP request failed: ${(err as Error).message}`);
      if (!res.headersSent) refuse(res, 500, ErrorCode.InternalError, 'Internal error');
      else res.destroy();
    });
  });

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${MCP_PATH}`;
  return {
    url,
    async close() {
      clearInterval(sweep);
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...sessions.values()].map(closeSession));
      await stateless.close();
      server.closeAllConnections();
      await closing;
    },
  };
}

/** An answer the listener builds itself: an HTTP status with a JSON-RPC error body. */
function refuse(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}, id: unknown = null): void {
  const body = JSON.stringify(errorResponse(id, code, message));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers }).end(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Whether the Accept header allows `type` (or, `exactly`, names it); a missing header allows anything. */
function accepts(req: IncomingMessage, type: string, exactly = false): boolean {
  const accept = req.headers.accept;
  if (accept === undefined) return !exactly;
  const [major] = type.split('/');
  return accept.split(',').some((part) => {
    const t = part.split(';')[0]!.trim().toLowerCase();
    return t === type || (!exactly && (t === '*/*' || t === `${major}/*`));
  });
}

/**
 * How a 2025-era session answers: a client that names text/event-stream (as the spec asks every
 * client to) gets a resumable stream; one that only matches it by a wildcard or sends no Accept
 * (curl, scripts) gets JSON whenever the answer is only the response.
 */
function legacyMode(req: IncomingMessage, mode: ReplyMode): ReplyMode {
  return mode === 'either' && accepts(req, 'text/event-stream', true) ? 'sse' : mode;
}

const TOO_LARGE = Symbol('too large');

/**
 * The request body as text, TOO_LARGE past `max` bytes, or undefined when the client went away.
 * An oversize body is drained (up to a bound) before the 413, so the client reads the answer
 * instead of a reset connection.
 */
function readBody(req: IncomingMessage, max: number): Promise<string | typeof TOO_LARGE | undefined> {
  return new Promise((resolve) => {
    if (Number(req.headers['content-length'] ?? 0) > 4 * max) {
      req.resume();
      return resolve(TOO_LARGE);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 4 * max) {
        req.destroy();
        return resolve(undefined);
      }
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > max ? TOO_LARGE : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
    req.on('close', () => req.complete || resolve(undefined));
  });
}
