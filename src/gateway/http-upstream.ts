// The upstream side for a server the gateway reaches by URL (`--upstream URL`): Streamable HTTP
// in both protocol eras, and the old HTTP+SSE transport (`--upstream-transport sse`, or `auto`
// falling back to it as the spec's backwards-compatibility section says).
//
// Every frame the session sends is one POST; whatever comes back (a JSON body, or an SSE stream
// of notifications, server requests and the response) goes to `handlers.frame`. A failure that
// concerns one request (HTTP error, timeout, a body that is not JSON or is over the cap) becomes
// a JSON-RPC error response for that request id, so the client gets an answer and the gateway
// keeps running; only a failure that ends the connection (a 2025-era session the server forgot,
// the legacy SSE stream closing) calls `handlers.closed`, and the session answers what is
// pending. The upstream gets only the headers configured for it (`--upstream-header`): this
// class never sees the downstream client's headers, so a client's credentials cannot leak here.
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_MESSAGE_BYTES } from './line-reader.js';
import {
  ErrorCode,
  envelopeVersion,
  errorResponse,
  frameOf,
  idKey,
  isModernVersion,
  isNotification,
  isObject,
  isRequest,
  isResponse,
  messagesOf,
  modernRequestHeaders,
  snippet,
  type Json,
} from './http-messages.js';
import { BodyTooLarge, describeError, mb, mediaType, parseJson, readBody, seconds } from './http-fetch.js';
import { SseParser, SseTooLarge, type SseEvent } from './sse-parser.js';
import { frameText, type Frame, type Upstream, type UpstreamHandlers } from './transport.js';

export type UpstreamTransport = 'auto' | 'streamable-http' | 'sse';

export interface HttpUpstreamOptions {
  url: string | URL;
  /** `auto` (default): Streamable HTTP, falling back to HTTP+SSE when the first request POST is refused. */
  transport?: UpstreamTransport;
  /** Headers for the upstream only (its own bearer token, say), e.g. from parseUpstreamHeader. */
  headers?: Iterable<readonly [string, string]>;
  /**
   * How long a request may wait for its response; any message on its stream restarts the clock.
   * Default 0, none: the session owns request deadlines (`--request-timeout`) and cancels what
   * runs over, which ends the request here too.
   */
  requestTimeoutMs?: number;
  /** How long the legacy SSE endpoint may take to name its POST endpoint, default 10 s. */
  connectTimeoutMs?: number;
  /** Cap on one response body or SSE event, default 10 MB. */
  maxMessageBytes?: number;
  /** Notes for the operator (dropped messages, a GET stream that gave up); never sent to the client. */
  warn?: (line: string) => void;
}

/** Headers the transport derives from the connection or the body; configuring them would break it. */
const RESERVED_HEADERS = new Set([
  'accept',
  'connection',
  'content-length',
  'content-type',
  'host',
  'last-event-id',
  'mcp-method',
  'mcp-name',
  'mcp-protocol-version',
  'mcp-session-id',
  'transfer-encoding',
]);

/** Parses one `--upstream-header 'Name: value'`; throws an Error whose message names the problem. */
export function parseUpstreamHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon === -1 ? '' : text.slice(0, colon).trim();
  const value = colon === -1 ? '' : text.slice(colon + 1).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new Error(`--upstream-header "${snippet(text, 40)}": expected "Name: value"`);
  if (/[\r\n\0]/.test(value)) throw new Error(`--upstream-header ${name}: the value contains a line break`);
  if (RESERVED_HEADERS.has(name.toLowerCase())) throw new Error(`--upstream-header ${name}: set by the gateway itself, cannot be configured`);
  return [name, value];
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Error bodies are read only far enough to quote them. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** GET stream reconnects in a row without receiving anything, before giving up. */
const MAX_GET_RETRIES = 5;
const DEFAULT_RETRY_MS = 1_000;
const STREAM_WORKED_MS = 30_000;
const DELETE_TIMEOUT_MS = 1_000;

/** One POST's in-flight requests, so a timeout or cancel can abort the POST when none is left. */
interface Post {
  controller: AbortController;
  keys: Set<string>;
}

interface Pending {
  id: string | number;
  method: string;
  post: Post;
  modern: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** How an SSE stream ended: how many events it brought, why it broke, where to resume it. */
interface StreamEnd {
  events: number;
  error?: string;
  lastEventId?: string;
  retryMs?: number;
}

export class HttpUpstream implements Upstream {
  readonly #url: URL;
  readonly #configured: UpstreamTransport;
  readonly #headers: Record<string, string> = {};
  readonly #timeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #maxBytes: number;
  #mode: 'streamable-http' | 'sse' | undefined;
  #handlers: UpstreamHandlers | undefined;
  #connected = false;
  /** Aborted when the connection ends; every fetch and stream of this connection hangs off it. */
  #life = new AbortController();
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;
  readonly #pending = new Map<string, Pending>();
  /** Frames held while the connection starts or the first request decides the transport. */
  #queue: Frame[] | undefined;
  #endpoint: URL | undefined;
  #getOpen = false;

  constructor(private readonly o: HttpUpstreamOptions) {
    this.#url = new URL(o.url);
    if (this.#url.protocol !== 'http:' && this.#url.protocol !== 'https:') throw new Error(`--upstream ${this.#url.protocol} URLs are not supported (http or https)`);
    this.#configured = o.transport ?? 'auto';
    for (const [name, value] of o.headers ?? []) {
      if (RESERVED_HEADERS.has(name.toLowerCase())) throw new Error(`upstream header ${name} is set by the gateway itself`);
      this.#headers[name.toLowerCase()] = value;
    }
    this.#timeoutMs = o.requestTimeoutMs ?? 0;
    this.#connectTimeoutMs = o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.#maxBytes = o.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** The transport in use once known: configured, or found by the first request in `auto`. */
  get transport(): 'streamable-http' | 'sse' | undefined {
    return this.#mode;
  }

  async start(handlers: UpstreamHandlers): Promise<void> {
    this.#handlers = handlers;
    this.#life = new AbortController();
    this.#sessionId = undefined;
    this.#protocolVersion = undefined;
    this.#endpoint = undefined;
    this.#getOpen = false;
    if (this.#configured === 'streamable-http') this.#mode = 'streamable-http';
    if (this.#configured === 'sse' || this.#mode === 'sse') {
      this.#mode = 'sse';
      this.#queue = [];
      const life = this.#life;
      try {
        await this.#openLegacy(life);
      } catch (err) {
        this.#queue = undefined;
        // Aborted by close() while connecting: that already reported the end.
        if (life.signal.aborted) return;
        life.abort();
        handlers.closed(`could not connect to ${this.#display()}: ${describeError(err)}`);
        return;
      }
      if (life.signal.aborted) return;
    }
    // Streamable HTTP has nothing to open: the first POST is the connection.
    this.#connected = true;
    this.#flush();
  }

  send(frame: Frame): void {
    if (this.#queue) return void this.#queue.push(frame);
    if (!this.#connected) return;
    const m = frame.message;
    if (isNotification(m) && m.method === 'notifications/cancelled' && this.#cancel(m)) return;
    void (this.#mode === 'sse' ? this.#postLegacy(frame, this.#life) : this.#post(frame, this.#life));
  }

  async close(): Promise<void> {
    this.#queue = undefined;
    const sessionId = this.#sessionId;
    if (this.#connected && sessionId !== undefined && this.#mode === 'streamable-http') {
      // A polite 2025-era client ends its session rather than leave it to expire.
      await fetch(this.#url, { method: 'DELETE', headers: this.#baseHeaders(), signal: AbortSignal.timeout(DELETE_TIMEOUT_MS), redirect: 'manual' })
        .then((res) => res.body?.cancel())
        .catch(() => {});
    }
    this.#end('closed by the gateway');
  }

  /** Ends the connection: stops every fetch, forgets what is pending (the session answers it), tells the session. */
  #end(reason: string): void {
    if (!this.#connected && this.#life.signal.aborted) return;
    this.#connected = false;
    this.#life.abort();
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
    this.#handlers?.closed(reason);
  }

  #flush(): void {
    const queued = this.#queue;
    this.#queue = undefined;
    for (const frame of queued ?? []) this.send(frame);
  }

  // --- Streamable HTTP -------------------------------------------------------------------------

  async #post(frame: Frame, life: AbortController): Promise<void> {
    const message = frame.message;
    const requests = messagesOf(message).filter(isRequest);
    const initialize = requests.some((r) => r.method === 'initialize' && !isModernVersion(envelopeVersion(r)));
    const headers = this.#headersFor(message, initialize);
    const sentSession = headers['mcp-session-id'] !== undefined;
    const post = this.#track(requests, life);
    // In `auto`, the first request tells which transport the server speaks; hold the rest meanwhile.
    const probe = this.#mode === undefined && requests.length > 0;
    if (probe) this.#queue = [];
    let res: Response;
    try {
      res = await fetch(this.#url, { method: 'POST', headers, body: frameText(frame), signal: AbortSignal.any([life.signal, post.controller.signal]), redirect: 'manual' });
    } catch (err) {
      if (probe) this.#flush();
      return this.#fail(post, `upstream unreachable: ${describeError(err)}`, ErrorCode.UpstreamFailed);
    }
    if (life !== this.#life) return void res.body?.cancel().catch(() => {});
    if (probe) {
      if (res.status === 400 || res.status === 404 || res.status === 405) {
        const text = await readBody(res, MAX_ERROR_BODY_BYTES).catch(() => '');
        if (!answersAny(parseJson(text), requests)) return this.#fallBackToSse(frame, post, life);
        this.#mode = 'streamable-http';
        this.#flush();
        return this.#httpError(res, text, post);
      }
      if (res.ok) this.#mode = 'streamable-http';
      this.#flush();
    }
    if (initialize && res.ok) this.#sessionId = res.headers.get('mcp-session-id') ?? undefined;
    if (res.status === 404 && sentSession) {
      void res.body?.cancel().catch(() => {});
      return this.#end(`the upstream session expired (HTTP 404 from ${this.#display()})`);
    }
    if (!res.ok) return this.#httpError(res, await readBody(res, MAX_ERROR_BODY_BYTES).catch(() => ''), post);
    const type = mediaType(res);
    if (requests.length === 0 || res.status === 202 || res.status === 204) {
      void res.body?.cancel().catch(() => {});
      // The 2025-era GET stream opens once the handshake is complete, as the SDK client does.
      if (messagesOf(message).some((m) => isNotification(m) && m.method === 'notifications/initialized')) void this.#listen(life);
      return;
    }
    if (type === 'text/event-stream') {
      let r = await this.#readEvents(res.body, (e) => this.#receiveEvent(e, post));
      // 2025-11-25: a server may end a POST's stream early, after an event with an id, and
      // deliver the rest on a GET that resumes from it. (2026-07-28 streams do not resume.)
      const modern = requests.some((req) => isModernVersion(envelopeVersion(req)));
      for (let tries = 0; !modern && r.lastEventId !== undefined && post.keys.size > 0 && tries < MAX_GET_RETRIES && life === this.#life; tries++) {
        // Passed on, so a client of the gateway sees the same pause (and resumes from the gateway).
        this.#handlers?.paused?.([...post.keys].map((key) => this.#pending.get(key)!.id));
        const next = await this.#resume(r.lastEventId, r.retryMs, post, life);
        if (!next) break;
        r = { ...next, lastEventId: next.lastEventId ?? r.lastEventId, retryMs: next.retryMs ?? r.retryMs };
      }
      if (life !== this.#life) return;
      return this.#fail(post, r.error ? `upstream stream failed before the response: ${r.error}` : 'upstream stream ended before the response', ErrorCode.UpstreamFailed);
    }
    if (type !== 'application/json') {
      void res.body?.cancel().catch(() => {});
      return this.#fail(post, `upstream HTTP ${res.status}: unexpected content type ${type || '(none)'}`, ErrorCode.UpstreamFailed);
    }
    let text: string;
    try {
      text = await readBody(res, this.#maxBytes);
    } catch (err) {
      return this.#fail(post, err instanceof BodyTooLarge ? `upstream HTTP ${res.status}: the body is over ${mb(this.#maxBytes)}` : `upstream HTTP ${res.status}: ${describeError(err)}`, ErrorCode.UpstreamFailed);
    }
    const parsed = parseJson(text);
    if (parsed === undefined) return this.#fail(post, `upstream HTTP ${res.status}: the body is not JSON`, ErrorCode.UpstreamFailed);
    this.#receive(parsed, text);
    this.#fail(post, `upstream HTTP ${res.status}: the body has no response to this request`, ErrorCode.UpstreamFailed);
  }

  /** Protocol headers on top of the configured ones; a modern request's are derived from its body. */
  #headersFor(message: unknown, initialize: boolean): Record<string, string> {
    const headers = this.#baseHeaders();
    headers['content-type'] = 'application/json';
    headers['accept'] = 'application/json, text/event-stream';
    // A new handshake (the session replaying it after a restart) must not carry the old session.
    if (initialize) delete headers['mcp-session-id'];
    const version = envelopeVersion(message);
    if (isRequest(message) && version !== undefined) Object.assign(headers, modernRequestHeaders(message, version));
    return headers;
  }

  #baseHeaders(): Record<string, string> {
    const headers: Record<string, string> = { ...this.#headers };
    if (this.#sessionId !== undefined) headers['mcp-session-id'] = this.#sessionId;
    if (this.#protocolVersion !== undefined) headers['mcp-protocol-version'] = this.#protocolVersion;
    return headers;
  }

  /** A non-2xx answer: the server's own JSON-RPC error when it sent one, else ours naming the status. */
  #httpError(res: Response, text: string, post: Post): void {
    const parsed = parseJson(text);
    if (answersAny(parsed, [...post.keys].map((k) => ({ id: this.#pending.get(k)?.id })))) this.#receive(parsed, text);
    if (post.keys.size === 0) this.o.warn?.(`the upstream refused a notification or response: HTTP ${res.status} ${snippet(text, 120)}`);
    const hint = res.status === 401 || res.status === 403 ? ' (check --upstream-header)' : res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : '';
    this.#fail(post, `upstream HTTP ${res.status}: ${snippet(text) || res.statusText || 'no body'}${hint}`, ErrorCode.UpstreamFailed);
  }

  /**
   * The 2025-era GET stream for server-initiated messages. A server without one answers 405;
   * a dropped stream is resumed with Last-Event-ID, giving up after MAX_GET_RETRIES attempts in
   * a row that brought nothing.
   */
  async #listen(life: AbortController): Promise<void> {
    if (this.#getOpen || this.#mode !== 'streamable-http') return;
    this.#getOpen = true;
    let lastEventId: string | undefined;
    let retryMs = DEFAULT_RETRY_MS;
    try {
      for (let failures = 0; failures <= MAX_GET_RETRIES; ) {
        if (failures > 0) await sleep(retryMs, undefined, { signal: life.signal });
        if (life !== this.#life || life.signal.aborted) return;
        const headers: Record<string, string> = { ...this.#baseHeaders(), accept: 'text/event-stream', ...(lastEventId !== undefined && { 'last-event-id': lastEventId }) };
        let res: Response;
        try {
          res = await fetch(this.#url, { method: 'GET', headers, signal: life.signal, redirect: 'manual' });
        } catch {
          failures++;
          continue;
        }
        if (res.status === 404 && headers['mcp-session-id'] !== undefined) {
          void res.body?.cancel().catch(() => {});
          return this.#end(`the upstream session expired (HTTP 404 from ${this.#display()})`);
        }
        if (!res.ok || mediaType(res) !== 'text/event-stream') {
          void res.body?.cancel().catch(() => {});
          if (res.status !== 405) this.o.warn?.(`the upstream refused its event stream (HTTP ${res.status}); server-initiated messages will not arrive`);
          return;
        }
        const opened = performance.now();
        const r = await this.#readEvents(res.body, (e) => this.#receiveEvent(e));
        lastEventId = r.lastEventId ?? lastEventId;
        retryMs = r.retryMs ?? retryMs;
        // A stream that brought messages or stayed open a while worked (undici ends idle bodies after 5 min).
        failures = r.events > 0 || performance.now() - opened > STREAM_WORKED_MS ? 1 : failures + 1;
      }
      this.o.warn?.('the upstream event stream kept dropping; server-initiated messages will not arrive');
    } catch {
      // sleep aborted: the connection ended
    } finally {
      if (life === this.#life) this.#getOpen = false;
    }
  }

  /** One GET resuming a POST's stream from `lastEventId`; undefined when the server will not. */
  async #resume(lastEventId: string, retryMs: number | undefined, post: Post, life: AbortController): Promise<StreamEnd | undefined> {
    try {
      await sleep(retryMs ?? DEFAULT_RETRY_MS, undefined, { signal: life.signal });
      const headers = { ...this.#baseHeaders(), accept: 'text/event-stream', 'last-event-id': lastEventId };
      const res = await fetch(this.#url, { method: 'GET', headers, signal: AbortSignal.any([life.signal, post.controller.signal]), redirect: 'manual' });
      if (!res.ok || mediaType(res) !== 'text/event-stream') {
        void res.body?.cancel().catch(() => {});
        return undefined;
      }
      return await this.#readEvents(res.body, (e) => this.#receiveEvent(e, post));
    } catch {
      return undefined;
    }
  }

  // --- HTTP+SSE (2024-11-05) -------------------------------------------------------------------

  /** Opens the SSE stream and resolves once the server has named the endpoint to POST to. */
  async #openLegacy(life: AbortController): Promise<void> {
    const stream = new AbortController();
    const signal = AbortSignal.any([life.signal, stream.signal]);
    const res = await fetch(this.#url, { method: 'GET', headers: { ...this.#headers, accept: 'text/event-stream' }, signal, redirect: 'manual' });
    if (!res.ok || mediaType(res) !== 'text/event-stream') {
      const text = await readBody(res, MAX_ERROR_BODY_BYTES).catch(() => '');
      throw new Error(`HTTP ${res.status}${res.ok ? `, ${mediaType(res) || 'no content type'}` : ''}: ${snippet(text) || res.statusText || 'not an SSE endpoint'}`);
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no endpoint event within ${this.#connectTimeoutMs} ms`));
        stream.abort();
      }, this.#connectTimeoutMs);
      void this.#readEvents(res.body, (e) => {
        if (this.#endpoint) return e.event === 'message' ? this.#receiveEvent(e) : undefined;
        if (e.event !== 'endpoint') return;
        let endpoint: URL;
        try {
          endpoint = new URL(e.data.trim(), this.#url);
        } catch {
          endpoint = new URL('invalid:');
        }
        clearTimeout(timer);
        // The endpoint gets our configured credentials: never another origin than the one configured.
        if (endpoint.origin !== this.#url.origin) {
          stream.abort();
          return reject(new Error(`the server named an endpoint on another origin (${endpoint.origin})`));
        }
        this.#endpoint = endpoint;
        resolve();
      }).then((r) => {
        clearTimeout(timer);
        if (!this.#endpoint) return reject(new Error(r.error ?? 'the stream ended before the endpoint event'));
        if (life === this.#life) this.#end(`the upstream SSE stream ${r.error ? `failed: ${r.error}` : 'ended'}`);
      });
    });
  }

  async #postLegacy(frame: Frame, life: AbortController): Promise<void> {
    const post = this.#track(messagesOf(frame.message).filter(isRequest), life);
    let res: Response;
    try {
      res = await fetch(this.#endpoint!, {
        method: 'POST',
        headers: { ...this.#headers, 'content-type': 'application/json' },
        body: frameText(frame),
        signal: AbortSignal.any([life.signal, post.controller.signal]),
        redirect: 'manual',
      });
    } catch (err) {
      return this.#fail(post, `upstream unreachable: ${describeError(err)}`, ErrorCode.UpstreamFailed);
    }
    const text = await readBody(res, MAX_ERROR_BODY_BYTES).catch(() => '');
    if (life !== this.#life) return;
    if (res.status === 404) return this.#end(`the upstream SSE session is gone (HTTP 404 from ${this.#display()})`);
    // The response arrives on the SSE stream; the POST only says it was accepted.
    if (!res.ok) this.#httpError(res, text, post);
  }

  /** `auto` found an old HTTP+SSE server: connect that way, then send the probe again. */
  async #fallBackToSse(frame: Frame, post: Post, life: AbortController): Promise<void> {
    this.#settle(post);
    this.#mode = 'sse';
    try {
      await this.#openLegacy(life);
    } catch (err) {
      this.#queue = undefined;
      return this.#end(`could not connect to ${this.#display()} (neither Streamable HTTP nor HTTP+SSE): ${describeError(err)}`);
    }
    if (life !== this.#life) return;
    this.o.warn?.(`${this.#display()} speaks the old HTTP+SSE transport; using it`);
    const queued = this.#queue ?? [];
    this.#queue = undefined;
    for (const f of [frame, ...queued]) this.send(f);
  }

  // --- Both ------------------------------------------------------------------------------------

  /** Registers a POST's requests as pending, each with its timeout (none for a subscription stream). */
  #track(requests: (Json & { id: string | number; method: string })[], life: AbortController): Post {
    const post: Post = { controller: new AbortController(), keys: new Set() };
    for (const r of requests) {
      const key = idKey(r.id);
      const timer =
        r.method === 'subscriptions/listen' || this.#timeoutMs <= 0
          ? undefined
          : setTimeout(() => {
              if (life === this.#life) this.#failKeys([key], `upstream did not answer within ${seconds(this.#timeoutMs)}`, ErrorCode.UpstreamFailed);
            }, this.#timeoutMs).unref();
      this.#pending.set(key, { id: r.id, method: r.method, post, modern: isModernVersion(envelopeVersion(r)), timer });
      post.keys.add(key);
    }
    return post;
  }

  /** Answers every request of `post` still pending with an error of ours, and stops the POST. */
  #fail(post: Post, message: string, code: number): void {
    this.#failKeys([...post.keys], message, code);
    post.controller.abort();
  }

  /** Answers these pending requests with an error; a POST left with nothing pending is stopped. */
  #failKeys(keys: readonly string[], message: string, code: number): void {
    for (const key of keys) {
      const p = this.#pending.get(key);
      if (!p) continue;
      this.#forget(key, p);
      if (p.post.keys.size === 0) p.post.controller.abort();
      this.#handlers?.frame({ message: errorResponse(p.id, code, message) });
    }
  }

  /** Forgets `post`'s requests without answering them (they are about to be sent again). */
  #settle(post: Post): void {
    for (const key of [...post.keys]) {
      const p = this.#pending.get(key);
      if (p) this.#forget(key, p);
    }
  }

  #forget(key: string, p: Pending): void {
    clearTimeout(p.timer);
    this.#pending.delete(key);
    p.post.keys.delete(key);
  }

  /**
   * A cancelled request gets no answer, from the server or from us (no timeout error later).
   * On Streamable HTTP in the 2026-07-28 era, closing the request's stream is the cancellation
   * and the notification is not sent: true when it was handled so. A 2025-era server is sent
   * the notification (and its POST is dropped too: closing it alone would not cancel).
   */
  #cancel(m: Json): boolean {
    const params = isObject(m['params']) ? m['params'] : {};
    const key = idKey(params['requestId']);
    const p = this.#pending.get(key);
    if (!p) return false;
    this.#forget(key, p);
    // Nothing that POST brings is wanted any more; a hung server keeps no socket of ours.
    if (p.post.keys.size === 0) p.post.controller.abort();
    return p.modern && this.#mode === 'streamable-http';
  }

  #receiveEvent(e: SseEvent, post?: Post): void {
    // An event without data is a priming event (it carries only an id to resume from).
    if (e.event !== 'message' || e.data === '') return;
    const parsed = parseJson(e.data);
    if (parsed === undefined) return this.o.warn?.(`the upstream sent an event that is not JSON; dropped: ${snippet(e.data, 120)}`);
    // Progress on a long request keeps it alive.
    for (const key of post?.keys ?? []) this.#pending.get(key)?.timer?.refresh();
    this.#receive(parsed, e.data);
  }

  /** Hands what the server sent to the session; a response must answer a request still pending. */
  #receive(parsed: unknown, text: string): void {
    const batch = Array.isArray(parsed);
    for (const m of messagesOf(parsed)) {
      if (isResponse(m)) {
        const key = idKey(m.id);
        const p = this.#pending.get(key);
        if (!p) {
          this.o.warn?.(`the upstream answered a request that is not pending (timed out or cancelled); dropped`);
          continue;
        }
        this.#forget(key, p);
        const result = m['result'];
        if (p.method === 'initialize' && isObject(result) && typeof result['protocolVersion'] === 'string' && !isModernVersion(result['protocolVersion'])) {
          this.#protocolVersion = result['protocolVersion'];
        }
      }
      this.#handlers?.frame(batch ? { message: m } : frameOf(m, text));
    }
  }

  async #readEvents(body: ReadableStream<Uint8Array> | null, onEvent: (e: SseEvent) => void): Promise<StreamEnd> {
    let events = 0;
    const parser = new SseParser((e) => {
      events++;
      onEvent(e);
    }, this.#maxBytes);
    if (!body) return { events };
    const reader = body.getReader();
    let error: string | undefined;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch (err) {
      error = err instanceof SseTooLarge ? `it sent ${err.message}` : describeError(err);
      await reader.cancel().catch(() => {});
    }
    return { events, ...(error !== undefined && { error }), ...(parser.lastEventId !== undefined && { lastEventId: parser.lastEventId }), ...(parser.retryMs !== undefined && { retryMs: parser.retryMs }) };
  }

  /** The URL without query or fragment (which may carry a token), for reasons. */
  #display(): string {
    return `${this.#url.origin}${this.#url.pathname}`;
  }
}

/** True when `parsed` holds a JSON-RPC response to one of `requests`: the server's own answer. */
function answersAny(parsed: unknown, requests: readonly { id?: unknown }[]): boolean {
  const keys = new Set(requests.map((r) => idKey(r.id)));
  return messagesOf(parsed).some((m) => isResponse(m) && keys.has(idKey(m.id)));
}
