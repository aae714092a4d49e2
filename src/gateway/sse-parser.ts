// A Server-Sent Events parser (the WHATWG event-stream format) for the upstream's response and
// GET streams. Hand-written because `eventsource-parser` is only a transitive dependency here;
// this is the subset an MCP peer needs: CR, LF and CRLF line ends (even split across chunks), a
// leading BOM, comments, multi-line data, `id` (kept across events, as Last-Event-ID needs), and
// `retry`. One event's size is capped: a peer that never ends an event is cut off, not buffered.

export interface SseEvent {
  /** The event type; "message" when the stream gave none. */
  event: string;
  data: string;
  /** The last event id the stream set, at the time of this event (what a reconnect sends back). */
  id: string | undefined;
}

export class SseTooLarge extends Error {}

export class SseParser {
  #decoder = new TextDecoder('utf-8');
  #pending = '';
  #data: string[] = [];
  #size = 0;
  #event = '';
  #lastId: string | undefined;
  #first = true;
  /** The last chunk ended in CR: an LF starting the next one is the rest of that CRLF. */
  #afterCr = false;
  /** The reconnection delay the stream asked for, in ms. */
  retryMs: number | undefined;

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly maxEventChars: number,
  ) {}

  get lastEventId(): string | undefined {
    return this.#lastId;
  }

  /** Feeds one chunk of the body; throws SseTooLarge when an event grows past the cap. */
  push(chunk: Uint8Array): void {
    let decoded = this.#decoder.decode(chunk, { stream: true });
    if (this.#afterCr && decoded.length > 0) {
      this.#afterCr = false;
      if (decoded.charCodeAt(0) === 10) decoded = decoded.slice(1);
    }
    let text = this.#pending + decoded;
    if (this.#first && text.length > 0) {
      this.#first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    for (;;) {
      const cr = text.indexOf('\r', start);
      const lf = text.indexOf('\n', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      this.#line(text.slice(start, end));
      start = end + 1;
      if (end === cr) {
        // A CR ends the line at once (an open stream must not wait for the next chunk to see it).
        if (start === text.length) this.#afterCr = true;
        else if (text.charCodeAt(start) === 10) start++;
      }
    }
    this.#pending = text.slice(start);
    if (this.#pending.length + this.#size > this.maxEventChars) {
      this.#pending = '';
      throw new SseTooLarge(`an event of more than ${Math.round(this.maxEventChars / (1024 * 1024))} MB`);
    }
  }

  #line(line: string): void {
    if (line === '') return this.#dispatch();
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        this.#size += value.length + 1;
        if (this.#size > this.maxEventChars) {
          this.#data = [];
          this.#size = 0;
          throw new SseTooLarge(`an event of more than ${Math.round(this.maxEventChars / (1024 * 1024))} MB`);
        }
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        // Unknown fields are ignored, as the format requires.
        break;
    }
  }

  #dispatch(): void {
    const event = this.#event || 'message';
    this.#event = '';
    if (this.#data.length === 0) return;
    const data = this.#data.join('\n');
    this.#data = [];
    this.#size = 0;
    this.onEvent({ event, data, id: this.#lastId });
  }
}

/** Formats one event; data with line breaks becomes several `data:` lines, as the format requires. */
export function sseEvent(data: string, id?: string, event?: string): string {
  const lines = data.includes('\n') || data.includes('\r') ? data.split(/\r\n|\r|\n/) : [data];
  return `${event ? `event: ${event}\n` : ''}${id !== undefined ? `id: ${id}\n` : ''}${lines.map((l) => `data: ${l}\n`).join('')}\n`;
}
