// The downstream side for a client that launched the gateway as its server: JSON-RPC lines on
// stdin and stdout. Lines that are not JSON get a parse error (id null), as a server would answer.
import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { coalescingWriter, readFrames } from './line-reader.js';
import { ErrorCode, errorResponse } from './messages.js';
import { frameText, type DownstreamSession, type FramePeer } from './transport.js';

export function stdioPeer(output: Writable): FramePeer {
  const write = coalescingWriter((text) => void output.write(text));
  return { send: (frame) => write(frameText(frame)) };
}

/**
 * The gateway's stdout as a non-blocking stream. Node writes to a stdout pipe synchronously, so a
 * client slow to read would stall the whole gateway (every session, every timer) inside write();
 * a socket over the same descriptor queues instead. Anything else (a file, a terminal) stays as is.
 */
export function clientOutput(): Writable {
  try {
    const st = fstatSync(1);
    // A pipe, or the socket pair Node and libuv give a child for `stdio: 'pipe'`.
    if (st.isFIFO() || st.isSocket()) {
      // A client that went away (EPIPE) ends the session through stdin; nothing to report here.
      return new Socket({ fd: 1, readable: false, writable: true }).on('error', () => {});
    }
  } catch {
    // fd 1 not inspectable: keep process.stdout
  }
  return process.stdout;
}

/** Feeds `input` to the session until it ends; resolves then (after the session has closed). */
export function serveStdio(input: Readable, peer: FramePeer, session: DownstreamSession): Promise<void> {
  readFrames(
    input,
    (f) => {
      if (f.ok) session.fromClient({ message: f.message, line: f.line });
      else peer.send({ message: errorResponse(null, ErrorCode.ParseError, `Parse error: ${f.error}`) });
    },
    () => peer.send({ message: errorResponse(null, ErrorCode.InvalidRequest, 'Invalid request: a message over 10 MB was dropped') }),
  );
  return new Promise((resolve) => {
    input.once('end', () => void session.close().then(resolve));
    input.once('close', () => void session.close().then(resolve));
  });
}
