// The ways the listener answers a client. A `PostReply` is the answer to one POST that gets no
// resumable stream (a client that does not name text/event-stream, and every 2026-07-28 request):
// plain JSON when the first thing the session sends for it is its response (the cheapest), switching
// to an SSE stream when something else (progress, a server request) comes first. A `PostStream` is
// the answer to one request POST of a 2025-era client that names text/event-stream, as the SDK's
// servers answer it: an SSE stream from the start, a priming event (an id, empty data and `retry`)
// for clients of 2025-11-25 and later, an id on every event, and its events held (`PostStreams`,
// bounded) until delivered in full, so a client whose connection broke resumes it with GET and
// Last-Event-ID. An `EventStream` is a 2025-era session's GET stream: numbered events, a bounded
// replay buffer for Last-Event-ID, and a holding area for messages sent while no stream is open.
import type { ServerResponse } from 'node:http';
import { sseEvent } from './sse-parser.js';

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' };

export class PostReply {
  readonly #waiting: Set<string>;
  #collected: string[] = [];
  #sse = false;
  #done = false;
  #keepAlive: NodeJS.Timeout | undefined;
  /** Called once when the client goes away before the reply is complete. */
  onAbandoned: (() => void) | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly acceptsSse: boolean,
    keys: readonly string[],
    private readonly batch: boolean,
    private readonly headers: Record<string, string> = {},
  ) {
    this.#waiting = new Set(keys);
    res.once('close', () => {
      clearInterval(this.#keepAlive);
      if (this.#done) return;
      this.#done = true;
      this.onAbandoned?.();
    });
  }

  /** True while the client still waits for this reply. */
  get open(): boolean {
    return !this.#done;
  }

  /** True when it can carry messages other than its responses. */
  get streaming(): boolean {
    return !this.#done && this.acceptsSse;
  }

  /** A response to one of its requests; the reply is complete when every request is answered. */
  respond(key: string, text: string): boolean {
    if (this.#done || !this.#waiting.delete(key)) return false;
    if (this.#sse) this.res.write(sseEvent(text));
    else this.#collected.push(text);
    if (this.#waiting.size === 0) this.#finish();
    return true;
  }

  /** A notification or request for the client, related to its requests or not; false when this reply cannot carry it. */
  push(text: string, _related?: boolean): boolean {
    if (!this.streaming) return false;
    this.stream();
    this.res.write(sseEvent(text));
    return true;
  }

  /** Switches to SSE now (a subscription stream), with comments that keep idle intermediaries from closing it. */
  stream(keepAliveMs?: number): void {
    if (this.#sse || this.#done) return;
    this.#sse = true;
    this.res.writeHead(200, { ...SSE_HEADERS, ...this.headers });
    this.res.flushHeaders();
    for (const text of this.#collected) this.res.write(sseEvent(text));
    this.#collected = [];
    if (keepAliveMs) this.#keepAlive = setInterval(() => this.res.write(':\n\n'), keepAliveMs).unref();
  }

  #finish(): void {
    this.#done = true;
    clearInterval(this.#keepAlive);
    if (this.#sse) return void this.res.end();
    const body = this.batch ? `[${this.#collected.join(',')}]` : this.#collected[0]!;
    this.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...this.headers }).end(body);
  }
}

export interface PostStreamOptions {
  /** Send the priming event first: clients of 2025-11-25 and later expect it; older ones may not take an event without data. */
  prime: boolean;
  /** Response headers besides the SSE ones (the new session's id, on `initialize`). */
  headers: Record<string, string>;
}

/**
 * One request POST's SSE stream in a 2025-era session. Event ids are `<stream>/<seq>` (the priming
 * event is seq 0), so a GET with Last-Event-ID finds the stream to continue, as opposed to the
 * session's GET stream whose ids are plain numbers. A client that goes away before the last
 * response does not cancel anything: what the stream still gets is held for its resumption.
 */
export class PostStream {
  readonly #waiting: Set<string>;
  /** Formatted events not yet known to be delivered; #events[0] has seq #base. */
  #events: string[] = [];
  #base = 0;
  #next = 0;
  #res: ServerResponse | undefined;
  #complete = false;
  #released = false;
  /** Called once when the stream can no longer reach the client: gone without an event id to resume from, or evicted. */
  onAbandoned: (() => void) | undefined;

  constructor(
    readonly id: number,
    res: ServerResponse,
    keys: readonly string[],
    o: PostStreamOptions,
    retryMs: number,
    private readonly held: PostStreams,
  ) {
    this.#waiting = new Set(keys);
    this.#attach(res);
    res.writeHead(200, { ...SSE_HEADERS, ...o.headers });
    if (o.prime) this.#emit(`id: ${id}/${this.#next++}\nretry: ${retryMs}\ndata: \n\n`);
    else res.flushHeaders();
  }

  /** True while a response is still due. */
  get open(): boolean {
    return !this.#complete && !this.#released;
  }

  /** True while a connection carries it (the POST, or a GET that resumed it). */
  get live(): boolean {
    return this.#res !== undefined;
  }

  /** Events held for a resumption. */
  get size(): number {
    return this.#events.length;
  }

  /** A response to one of its requests; the stream ends when every request is answered. */
  respond(key: string, text: string): boolean {
    if (this.#released || !this.#waiting.delete(key)) return false;
    this.#emit(sseEvent(text, `${this.id}/${this.#next++}`));
    if (this.#waiting.size === 0) {
      this.#complete = true;
      this.#res?.end();
    }
    return true;
  }

  /**
   * A notification or request for the client. One `related` to its requests (progress) is held
   * while no connection carries the stream; an unrelated one goes only to a live stream.
   */
  push(text: string, related = false): boolean {
    if (!this.open || (!related && !this.#res)) return false;
    this.#emit(sseEvent(text, `${this.id}/${this.#next++}`));
    return true;
  }

  /** A GET with Last-Event-ID `<id>/<after>`: sends what came after it, then carries the rest. */
  resume(res: ServerResponse, after: number): void {
    const old = this.#res;
    // A newer connection replaces an older one, which may be one the client already gave up on.
    this.#attach(res);
    old?.end();
    res.writeHead(200, SSE_HEADERS);
    const missed = this.#events.slice(Math.max(0, after + 1 - this.#base)).join('');
    if (this.#complete) return void res.end(missed);
    if (missed) res.write(missed);
    else res.flushHeaders();
  }

  /** Ends the connection early, as the server did (polling): the client resumes, from what it last saw. */
  pause(): void {
    if (this.open && this.#next > 0) this.#res?.end();
  }

  /** The session closed: end the connection; nothing more will come. */
  close(): void {
    this.#released = true;
    const res = this.#res;
    this.#res = undefined;
    res?.end();
  }

  /** Forgets held events (the bound on what a session holds): the oldest one, or all of them. */
  drop(all: boolean): number {
    if (all) {
      const n = this.#events.length;
      this.#released = true;
      this.#events = [];
      if (this.#waiting.size > 0) this.onAbandoned?.();
      return n;
    }
    if (this.#events.length === 0) return 0;
    this.#events.shift();
    this.#base++;
    return 1;
  }

  #emit(chunk: string): void {
    this.#events.push(chunk);
    this.#res?.write(chunk);
    this.held.grew(this);
  }

  #attach(res: ServerResponse): void {
    this.#res = res;
    res.once('close', () => {
      if (this.#res !== res) return;
      this.#res = undefined;
      if (this.#released) return;
      // Delivered in full (the last bytes went to the socket): nothing left to resume.
      const delivered = this.#complete && res.writableFinished;
      // Or the client never saw an event id, so it cannot resume: its responses go elsewhere.
      if (!delivered && this.#next > 0) return;
      this.#released = true;
      this.held.release(this);
      if (!delivered) this.onAbandoned?.();
    });
  }
}

/**
 * A 2025-era session's POST streams that a client may still resume, oldest first, and the bound
 * on the events they hold together. A stream is let go once delivered in full; past the bound,
 * the oldest streams no connection carries go first, then the oldest events of a live one (they
 * reached its socket already).
 */
export class PostStreams {
  readonly #streams = new Map<number, PostStream>();
  #next = 1;
  #held = 0;
  #warned = false;

  constructor(
    private readonly maxEvents: number,
    private readonly retryMs: number,
    private readonly warn?: (line: string) => void,
  ) {}

  open(res: ServerResponse, keys: readonly string[], o: PostStreamOptions): PostStream {
    const stream = new PostStream(this.#next++, res, keys, o, this.retryMs, this);
    this.#streams.set(stream.id, stream);
    return stream;
  }

  /** Continues the stream a POST event id names; false when this session holds no such stream. */
  resume(res: ServerResponse, lastEventId: string): boolean {
    const slash = lastEventId.indexOf('/');
    const stream = this.#streams.get(Number(lastEventId.slice(0, slash)));
    const after = Number(lastEventId.slice(slash + 1));
    if (!stream || !Number.isSafeInteger(after)) return false;
    stream.resume(res, after);
    return true;
  }

  close(): void {
    for (const stream of this.#streams.values()) stream.close();
    this.#streams.clear();
    this.#held = 0;
  }

  /** Called by a stream for each event it holds. */
  grew(current: PostStream): void {
    if (++this.#held <= this.maxEvents) return;
    if (!this.#warned) {
      this.#warned = true;
      this.warn?.(`request streams of a session held more than ${this.maxEvents} events for resumption; dropped the oldest (a client resuming from before them misses them)`);
    }
    for (const stream of this.#streams.values()) {
      if (this.#held <= this.maxEvents) return;
      if (stream === current || stream.live) continue;
      this.#forget(stream);
      this.#held -= stream.drop(true);
    }
    while (this.#held > this.maxEvents && current.size > 0) this.#held -= current.drop(false);
  }

  /** Called by a stream delivered in full, or that no client can resume. */
  release(stream: PostStream): void {
    if (this.#forget(stream)) this.#held -= stream.size;
  }

  #forget(stream: PostStream): boolean {
    return this.#streams.delete(stream.id);
  }
}

/** Whether an event id is a POST stream's (`<stream>/<seq>`) rather than the GET stream's. */
export function isPostEventId(id: string): boolean {
  return /^\d+\/\d+$/.test(id);
}

export class EventStream {
  #events: { id: number; text: string }[] = [];
  #next = 1;
  /** The highest event id written to a live stream. */
  #delivered = 0;
  #res: ServerResponse | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  #warned = false;

  constructor(
    private readonly maxEvents: number,
    private readonly keepAliveMs: number,
    private readonly warn?: (line: string) => void,
  ) {}

  get attached(): boolean {
    return this.#res !== undefined;
  }

  send(text: string): void {
    const id = this.#next++;
    this.#events.push({ id, text });
    if (this.#events.length > this.maxEvents) {
      const dropped = this.#events.shift()!;
      if (dropped.id > this.#delivered && !this.#warned) {
        this.#warned = true;
        this.warn?.(`a client kept no event stream open; dropped server messages beyond the ${this.maxEvents} held for it`);
      }
    }
    if (this.#res) this.#write(id, text);
  }

  /**
   * Makes `res` the session's GET stream (a newer one replaces an older one, which may be a
   * connection the client already gave up on). Sends what the client has not seen: the events
   * after Last-Event-ID when it resumes, else those held while no stream was open.
   */
  attach(res: ServerResponse, lastEventId: string | undefined): void {
    this.detach();
    this.#res = res;
    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
    const resumeFrom = lastEventId !== undefined && /^\d+$/.test(lastEventId) ? Number(lastEventId) : this.#delivered;
    for (const e of this.#events) if (e.id > resumeFrom) this.#write(e.id, e.text);
    this.#keepAlive = setInterval(() => res.write(':\n\n'), this.keepAliveMs).unref();
    res.once('close', () => {
      if (this.#res !== res) return;
      clearInterval(this.#keepAlive);
      this.#res = undefined;
    });
  }

  detach(): void {
    const res = this.#res;
    this.#res = undefined;
    clearInterval(this.#keepAlive);
    res?.end();
  }

  #write(id: number, text: string): void {
    this.#res!.write(sseEvent(text, String(id)));
    if (id > this.#delivered) this.#delivered = id;
  }
}
