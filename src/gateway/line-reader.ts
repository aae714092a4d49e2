// Newline-delimited JSON-RPC, as MCP's stdio transport frames it: read from a stream with a cap
// on a single message (a peer that sends a 10 GB line is cut off with an error, not buffered),
// and written with the lines of one event-loop turn coalesced.
import type { Readable } from 'node:stream';

export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export type LineFrame = { ok: true; line: string; message: unknown } | { ok: false; line: string; error: string };

/** Calls `onFrame` for every line (parsed, or with the reason it is not JSON); `onOversize` when a line passes the cap. */
export function readFrames(stream: Readable, onFrame: (f: LineFrame) => void, onOversize: () => void): void {
  let pending: Buffer[] = [];
  let size = 0;
  let dropping = false;
  stream.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (dropping) {
        dropping = false;
        continue;
      }
      const line = (pending.length ? Buffer.concat([...pending, piece]) : piece).toString('utf8').replace(/\r$/, '');
      pending = [];
      size = 0;
      if (line.trim() === '') continue;
      try {
        onFrame({ ok: true, line, message: JSON.parse(line) as unknown });
      } catch (err) {
        onFrame({ ok: false, line, error: (err as Error).message });
      }
    }
    if (start < chunk.length && !dropping) {
      size += chunk.length - start;
      if (size > MAX_MESSAGE_BYTES) {
        pending = [];
        size = 0;
        dropping = true;
        onOversize();
      } else pending.push(chunk.subarray(start));
    }
  });
}

/**
 * Frames for a pipe, coalesced: everything sent in one turn of the event loop goes out in one
 * write (on Linux a write to stdout is a synchronous system call; 32 answers in one burst cost one).
 */
export function coalescingWriter(write: (text: string) => void): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    const text = pending.join('');
    pending = [];
    write(text);
  };
  return (line) => {
    if (pending.length === 0) queueMicrotask(flush);
    pending.push(`${line}\n`);
  };
}
