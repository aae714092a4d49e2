// The two sides of the gateway, as the session core sees them. A frame is one JSON-RPC message;
// `line` keeps the exact text it arrived as so that an untouched message is relayed byte for byte
// (stdio), while transports that carry objects (Streamable HTTP, SSE) use `message`.

export interface Frame {
  /** The parsed JSON-RPC message (object or batch array). */
  message: unknown;
  /** The exact text received; absent when the gateway built or changed the message. */
  line?: string;
}

/** Serialises a frame for a text transport: the original text when the message is untouched. */
export function frameText(frame: Frame): string {
  return frame.line ?? JSON.stringify(frame.message);
}

/** Somewhere frames can be sent: the client side (downstream) or the server side (upstream). */
export interface FramePeer {
  send(frame: Frame): void;
  /**
   * The server closed the stream of these requests before answering them (2025-11-25 polling,
   * SEP-1699); their answers follow. A downstream that can pause its own stream the same way (a
   * resumable HTTP stream) does; the others need do nothing.
   */
  paused?(ids: readonly (string | number)[]): void;
}

export interface UpstreamHandlers {
  /** A frame from the server. */
  frame(frame: Frame): void;
  /** The connection ended (process exit, stream closed, protocol garbage); `reason` is one line, redacted. */
  closed(reason: string): void;
  /** The server closed the stream of these requests early; the upstream resumes it (FramePeer.paused). */
  paused?(ids: readonly (string | number)[]): void;
}

/**
 * A connection to the real server: a stdio child process, Streamable HTTP or legacy SSE. `send`
 * before `start` has resolved, or after `closed`, must not throw: the implementation reports the
 * failure through `closed` (and the session answers the pending request with a JSON-RPC error).
 */
export interface Upstream extends FramePeer {
  /** Connects (or reconnects after `closed`); frames from the server go to `handlers.frame`. */
  start(handlers: UpstreamHandlers): Promise<void>;
  /** Ends the connection and releases what it holds (child process group, sockets). */
  close(): Promise<void>;
  /** True between a successful `start` and `closed`. */
  readonly connected: boolean;
}

/** What a downstream transport talks to: one gateway session (per client connection or MCP session). */
export interface DownstreamSession {
  /** A frame from the client. Replies, and anything the server sends, go to the session's downstream peer. */
  fromClient(frame: Frame): void;
  /** The client went away: release the upstream connection this session holds. */
  close(): Promise<void>;
}

export interface SessionInfo {
  /** Downstream session id: the Mcp-Session-Id for a 2025-era HTTP session, a fresh id otherwise. */
  id: string;
  transport: 'stdio' | 'http';
}

/** Creates the session that serves one downstream connection; `downstream` receives what goes to the client. */
export type SessionFactory = (downstream: FramePeer, info: SessionInfo) => DownstreamSession;
