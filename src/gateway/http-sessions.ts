// The listener's two kinds of downstream session, and how each routes what the gateway session
// sends back to the right HTTP response.
//
// 2025-era (`LegacySession`): one client, one `Mcp-Session-Id`, one gateway session. Responses
// go to the POST that carried their request; anything else goes to the POST whose progress token
// it names, else to any POST still open and connected that accepts SSE, else to the GET stream
// (held there until one opens). A POST whose client names text/event-stream gets a resumable
// stream: when its connection breaks, what it still gets is held for a GET with Last-Event-ID
// rather than sent elsewhere. A response whose POST is gone for good goes to the GET stream.
// Whether a stream starts with a priming event follows the protocol version negotiated at
// `initialize`, not each request's MCP-Protocol-Version header (which the SDK's servers go by):
// clients have been seen to send an older revision there on a 2025-11-25 session.
//
// 2026-07-28 (`StatelessHub`): no sessions; every client's requests share one gateway session.
// Two clients may both send id 1 at once, so ids are rewritten on the way in (and progress
// tokens, which clients often derive from ids) and restored on the way out. Notifications reach
// only the request they name (progress token, subscription id); one that names none goes to the
// only open request, or nowhere: never to another client's stream.
import type { ServerResponse } from 'node:http';
import {
  SUBSCRIPTION_ID_META_KEY,
  idKey,
  primesPostStreams,
  isNotification,
  isObject,
  isRequest,
  isResponse,
  messagesOf,
  frameOf,
  type Json,
} from './http-messages.js';
import { EventStream, PostReply, PostStreams, isPostEventId, type PostStream } from './http-replies.js';
import { frameText, type DownstreamSession, type Frame, type FramePeer } from './transport.js';

/** What the client's Accept header allows for the answer to one POST. */
export type ReplyMode = 'json' | 'sse' | 'either';

/** A reply in the form the client accepts: SSE from the start when it takes nothing else. */
function replyFor(res: ServerResponse, mode: ReplyMode, keys: readonly string[], batch: boolean, headers?: Record<string, string>): PostReply {
  const reply = new PostReply(res, mode !== 'json', keys, batch, headers);
  if (mode === 'sse') reply.stream();
  return reply;
}

export interface SessionLimits {
  replayEvents: number;
  keepAliveMs: number;
  /** The `retry` (ms) a priming event asks a client to wait before resuming a stream that closed. */
  retryMs: number;
  warn?: ((line: string) => void) | undefined;
}

function progressTokenOf(m: Json): unknown {
  const params = m['params'];
  const meta = isObject(params) ? params['_meta'] : undefined;
  return isObject(meta) ? meta['progressToken'] : undefined;
}

type Reply = PostReply | PostStream;

export class LegacySession {
  readonly #replies = new Map<string, Reply>();
  readonly #progress = new Map<string, Reply>();
  readonly stream: EventStream;
  readonly #streams: PostStreams;
  readonly session: DownstreamSession;
  lastActive = Date.now();
  /** Called when the server refuses the `initialize` that opened this session. */
  onHandshakeFailed: (() => void) | undefined;
  #handshake: string | undefined;
  /** The protocol version of the session: the client's request until the server's answer names one. */
  #version: string | undefined;
  #closed = false;

  constructor(
    readonly id: string,
    create: (peer: FramePeer) => DownstreamSession,
    limits: SessionLimits,
  ) {
    this.stream = new EventStream(limits.replayEvents, limits.keepAliveMs, limits.warn);
    this.#streams = new PostStreams(limits.replayEvents, limits.retryMs, limits.warn);
    this.session = create({ send: (frame) => this.#fromSession(frame), paused: (ids) => this.#paused(ids) });
  }

  /** True while a request or the GET stream is open: not idle. */
  get busy(): boolean {
    return this.#replies.size > 0 || this.stream.attached;
  }

  /** Whether a request with this id is still being answered (a client may not reuse it yet). */
  has(id: unknown): boolean {
    return this.#replies.has(idKey(id));
  }

  /**
   * A POST's messages. `mode` 'sse' (the client names text/event-stream) answers requests with a
   * resumable stream; otherwise the answer is JSON unless something else comes first.
   */
  post(res: ServerResponse, message: unknown, text: string, mode: ReplyMode, headers: Record<string, string>): void {
    this.lastActive = Date.now();
    const requests = messagesOf(message).filter(isRequest);
    const initialize = requests.find((r) => r.method === 'initialize');
    if (initialize) {
      this.#handshake = idKey(initialize.id);
      const params = initialize['params'];
      this.#version = isObject(params) && typeof params['protocolVersion'] === 'string' ? params['protocolVersion'] : undefined;
    }
    if (requests.length > 0) {
      const keys = requests.map((r) => idKey(r.id));
      const reply = mode === 'sse' ? this.#streams.open(res, keys, { prime: primesPostStreams(this.#version), headers }) : replyFor(res, mode, keys, Array.isArray(message), headers);
      for (const key of keys) this.#replies.set(key, reply);
      for (const r of requests) {
        const token = progressTokenOf(r);
        if (token !== undefined) this.#progress.set(idKey(token), reply);
      }
      reply.onAbandoned = () => this.#forget(reply);
    } else {
      res.writeHead(202, headers).end();
    }
    this.session.fromClient(frameOf(message, text));
  }

  /**
   * A GET: continues the POST stream that Last-Event-ID names, else becomes the session's event
   * stream. False when Last-Event-ID names a POST stream this session no longer holds.
   */
  listen(res: ServerResponse, lastEventId: string | undefined): boolean {
    if (lastEventId !== undefined && isPostEventId(lastEventId)) return this.#streams.resume(res, lastEventId);
    this.stream.attach(res, lastEventId);
    return true;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.stream.detach();
    this.#streams.close();
    await this.session.close();
  }

  #fromSession(frame: Frame): void {
    if (this.#closed) return;
    if (Array.isArray(frame.message)) {
      for (const m of frame.message) this.#fromSession({ message: m });
      return;
    }
    const m = frame.message;
    const text = frameText(frame);
    if (isResponse(m)) {
      const key = idKey(m.id);
      const reply = this.#replies.get(key);
      this.#replies.delete(key);
      if (key === this.#handshake) this.#handshaken(m);
      if (reply?.respond(key, text)) {
        if (!reply.open) this.#forget(reply);
        return;
      }
      return this.stream.send(text);
    }
    const token = isNotification(m) && m.method === 'notifications/progress' && isObject(m['params']) ? m['params']['progressToken'] : undefined;
    const related = token !== undefined ? this.#progress.get(idKey(token)) : undefined;
    if (related?.push(text, true)) return;
    for (const reply of [...this.#replies.values()].reverse()) if (reply.push(text)) return;
    this.stream.send(text);
  }

  /** The answer to the `initialize` that opened the session: a refusal ends it, a result names its version. */
  #handshaken(m: Json): void {
    if ('error' in m) return void queueMicrotask(() => this.onHandshakeFailed?.());
    const result = m['result'];
    if (isObject(result) && typeof result['protocolVersion'] === 'string') this.#version = result['protocolVersion'];
  }

  /** The server paused these requests' streams: pause the client's too, when it can resume them. */
  #paused(ids: readonly (string | number)[]): void {
    for (const id of ids) {
      const reply = this.#replies.get(idKey(id));
      if (reply && !(reply instanceof PostReply)) reply.pause();
    }
  }

  #forget(reply: Reply): void {
    for (const [key, r] of this.#replies) if (r === reply) this.#replies.delete(key);
    for (const [key, r] of this.#progress) if (r === reply) this.#progress.delete(key);
  }
}

interface InFlight {
  id: unknown;
  progressToken: unknown;
  reply: PostReply;
}

export class StatelessHub {
  #session: DownstreamSession | undefined;
  #next = 0;
  readonly #inFlight = new Map<number, InFlight>();

  constructor(
    private readonly create: (peer: FramePeer) => DownstreamSession,
    private readonly limits: SessionLimits,
  ) {}

  /** One POST of a 2026-07-28 client (a single request or notification). */
  post(res: ServerResponse, message: Json, text: string, mode: ReplyMode): void {
    const session = (this.#session ??= this.create({ send: (frame) => this.#fromSession(frame) }));
    if (!isRequest(message)) {
      res.writeHead(202).end();
      // Ids are rewritten, so a client's cancellation by id cannot be mapped; on HTTP, closing the stream cancels.
      if (message['method'] !== 'notifications/cancelled') session.fromClient(frameOf(message, text));
      return;
    }
    const id = ++this.#next;
    const progressToken = progressTokenOf(message);
    const reply = replyFor(res, mode, [idKey(id)], false);
    this.#inFlight.set(id, { id: message.id, progressToken, reply });
    reply.onAbandoned = () => {
      // Closing the response stream is the 2026-07-28 cancellation signal: pass it on.
      if (this.#inFlight.delete(id)) session.fromClient({ message: { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'the client closed the request' } } });
    };
    if (message.method === 'subscriptions/listen') reply.stream(this.limits.keepAliveMs);
    const params = isObject(message['params']) ? message['params'] : undefined;
    const rewritten: Json = { ...message, id };
    if (params && progressToken !== undefined) rewritten['params'] = { ...params, _meta: { ...(params['_meta'] as Json), progressToken: id } };
    session.fromClient({ message: rewritten });
  }

  async close(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    await session?.close();
  }

  #fromSession(frame: Frame): void {
    for (const m of messagesOf(frame.message)) {
      if (!isObject(m)) continue;
      if (isResponse(m)) {
        const id = m.id as number;
        const entry = this.#inFlight.get(id);
        if (!entry) continue; // the client went away (cancelled) or it is no request of ours
        this.#inFlight.delete(id);
        entry.reply.respond(idKey(id), JSON.stringify(restoreIds({ ...m, id: entry.id }, id, entry)));
        continue;
      }
      if (!isNotification(m)) {
        this.limits.warn?.(`dropped a server request (${String(m['method'])}): 2026-07-28 clients take input requests in results, not on HTTP streams`);
        continue;
      }
      const params = isObject(m['params']) ? m['params'] : {};
      const meta = isObject(params['_meta']) ? params['_meta'] : {};
      const named = m.method === 'notifications/progress' ? params['progressToken'] : meta[SUBSCRIPTION_ID_META_KEY];
      const target = typeof named === 'number' ? named : this.#inFlight.size === 1 ? [...this.#inFlight.keys()][0] : undefined;
      const entry = target !== undefined ? this.#inFlight.get(target) : undefined;
      if (!entry) {
        this.limits.warn?.(`dropped a notification (${m.method}) that names no open request`);
        continue;
      }
      entry.reply.push(JSON.stringify(restoreIds(m, target!, entry)));
    }
  }
}

/** Puts the client's own id and progress token back where the gateway's stood. */
function restoreIds(m: Json, gatewayId: number, entry: InFlight): Json {
  const params = isObject(m['params']) ? m['params'] : undefined;
  const result = isObject(m['result']) ? m['result'] : undefined;
  let out = m;
  if (params && m['method'] === 'notifications/progress' && params['progressToken'] === gatewayId) {
    out = { ...out, params: { ...params, progressToken: entry.progressToken } };
  }
  for (const field of ['params', 'result'] as const) {
    const holder = field === 'params' ? (out['params'] as Json | undefined) : result;
    const meta = isObject(holder) ? holder['_meta'] : undefined;
    if (isObject(meta) && meta[SUBSCRIPTION_ID_META_KEY] === gatewayId) {
      out = { ...out, [field]: { ...holder, _meta: { ...meta, [SUBSCRIPTION_ID_META_KEY]: entry.id } } };
    }
  }
  return out;
}
