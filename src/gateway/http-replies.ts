// The two ways the listener answers a client. A `PostReply` is the answer to one POST: plain
// JSON when the first thing the session sends for it is its response (the common case, and the
// cheapest), switching to an SSE stream when something else (progress, a server request) comes
// first. An `EventStream` is a 2025-era session's GET stream: numbered events, a bounded replay
// buffer for Last-Event-ID, and a holding area for messages sent while no stream is open.
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

  /** A notification or request for the client; false when this reply cannot carry it. */
  push(text: string): boolean {
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
