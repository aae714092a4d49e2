// The stdio side of inspection: start a declared MCP server as a child process and carry
// newline-delimited JSON-RPC to and from it. Warden uses this instead of the SDK's
// `StdioClientTransport` because an inspector needs things that transport does not give:
//
// - The era probe runs in place. The SDK recognises a stdio transport by its `pid` and `stderr`
//   accessors, and only for its own base class does it spawn a second, sibling process to send
//   `server/discover` to; any other stdio-shaped transport is probed on the connection itself.
//   Starting every server once instead of twice is the whole cost difference (see connect.ts).
// - Diagnostics for a one-line failure reason: the last 4 KB of stderr (never printed to the
//   user's terminal), the exit code or signal, and the first line of stdout that was not
//   JSON-RPC (the SDK's line reader skips such lines silently, so a server that prints a banner
//   and nothing else just looks hung).
// - A process group: on POSIX the server starts detached, as the leader of its own group, so that
//   closing kills whatever it started too (`npx` → `node server.js`, shell wrappers). Because a
//   detached group no longer gets the terminal's Ctrl-C, live groups are also killed when Warden
//   itself exits or is interrupted (see `liveGroups` below).
// - Bounded memory: one message may not exceed `maxMessageBytes` and one connection may not
//   receive more than `maxTotalBytes`; lines are assembled once rather than by repeated
//   concatenation of a growing buffer, which the SDK's reader does and which turns quadratic on a
//   multi-megabyte `tools/list` result.
import { spawn, type ChildProcess } from 'node:child_process';
import crossSpawn from 'cross-spawn';
import type { Readable } from 'node:stream';
import { parseJSONRPCMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import { killTree, liveGroups } from '../core/process-group.js';

export interface StdioLaunch {
  command: string;
  args: readonly string[];
  /** The complete environment of the child (already merged with the inherited defaults). */
  env: Record<string, string>;
  cwd?: string;
}

export interface StdioLimits {
  /** Largest single JSON-RPC message accepted from the server. */
  maxMessageBytes: number;
  /** Most bytes accepted from the server's stdout over the whole connection. */
  maxTotalBytes: number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const STDERR_TAIL_BYTES = 4096;
/** The first non-JSON-RPC line is kept this long; the reason cuts it shorter after redaction. */
const NOISE_SAMPLE_CHARS = 1024;
/** After the child exits, how long to wait for the rest of its stdout before declaring it closed. */
const EXIT_DRAIN_MS = 100;
/** Grace for a server to exit on its own after its stdin is closed, before signals. */
const CLOSE_GRACE_MS = 300;
/** Grace between SIGTERM and SIGKILL. */
const TERM_GRACE_MS = 500;
/** Grace between SIGTERM and SIGKILL for a server that is already stuck. */
const KILL_TERM_GRACE_MS = 150;
/** How long to wait for a SIGKILLed process to be reaped. */
const KILL_WAIT_MS = 2000;
const IS_WINDOWS = process.platform === 'win32';

export class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  /** Set when the process could not be started (ENOENT, EACCES, ...). */
  spawnError?: NodeJS.ErrnoException;
  /** Set once the process has exited. */
  exitStatus?: ExitStatus;
  /** The first stdout line that was not a JSON-RPC message (its first KB). */
  firstNoise?: string;
  /** How many JSON-RPC messages the server has sent (none, with noise, means it does not speak it). */
  messagesReceived = 0;
  /** Why the transport gave up on the server's output (a message or the total over the limits). */
  overflow?: string;

  private child?: ChildProcess;
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private totalBytes = 0;
  private stderrChunks: Buffer[] = [];
  private stderrBytes = 0;
  private closed = false;
  private readonly exited: Promise<void>;
  private markExited!: () => void;

  constructor(
    private readonly launch: StdioLaunch,
    private readonly limits: StdioLimits,
  ) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
  }

  /** The child's pid once started. Its presence also tells the SDK this is a stdio transport. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** The child's stderr. Read only by this class; present so the SDK classifies the transport as stdio. */
  get stderr(): Readable | null {
    return this.child?.stderr ?? null;
  }

  start(): Promise<void> {
    if (this.child) return Promise.reject(new Error('ChildProcessTransport already started'));
    return new Promise((resolve, reject) => {
      const neverStarted = (error: NodeJS.ErrnoException): void => {
        this.spawnError = error;
        this.markExited();
        this.finish();
        reject(error);
      };
      let child: ChildProcess;
      try {
        // On Windows, `npx` and most server launchers are .cmd shims that spawn() cannot start
        // without a shell; cross-spawn (the SDK's own choice) resolves them and quotes each
        // argument itself, so no shell string is built from the config.
        child = (IS_WINDOWS ? crossSpawn : spawn)(this.launch.command, [...this.launch.args], {
          env: this.launch.env,
          cwd: this.launch.cwd,
          stdio: ['pipe', 'pipe', 'pipe'],
          detached: !IS_WINDOWS,
          shell: false,
          windowsHide: true,
        });
      } catch (error) {
        // Synchronous refusals: a NUL byte in an argument, EINVAL for a .cmd on Windows.
        neverStarted(error as NodeJS.ErrnoException);
        return;
      }
      this.child = child;
      child.once('spawn', () => {
        if (child.pid !== undefined) liveGroups.track(child.pid);
        resolve();
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        // Without a pid it never started: there is no process to wait for.
        if (child.pid === undefined) neverStarted(error);
        else this.onerror?.(error);
      });
      child.once('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        this.markExited();
        // A grandchild holding the pipes open would delay `close` forever; the exit decides.
        setTimeout(() => this.finish(), EXIT_DRAIN_MS).unref();
      });
      child.once('close', () => this.finish());
      child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
      child.stderr?.on('data', (chunk: Buffer) => this.keepStderr(chunk));
      // EPIPE when the server is gone is reported through exit/close; nothing to do here.
      child.stdin?.on('error', () => {});
      child.stdout?.on('error', () => {});
      child.stderr?.on('error', () => {});
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || !stdin.writable) return Promise.reject(new Error('the server process is not running'));
    return new Promise((resolve) => {
      if (stdin.write(JSON.stringify(message) + '\n')) return resolve();
      // A full pipe: wait for it to drain, or to break (the exit then tells what happened).
      const done = (): void => {
        stdin.off('drain', done);
        stdin.off('close', done);
        resolve();
      };
      stdin.once('drain', done);
      stdin.once('close', done);
    });
  }

  /**
   * Ends the conversation and the process: stdin is closed first so a well-behaved server exits on
   * its own (the stdio binding asks servers to), then its whole process group gets SIGTERM and
   * then SIGKILL. Resolves once the process has exited.
   */
  async close(): Promise<void> {
    await this.stop(CLOSE_GRACE_MS);
  }

  /**
   * Like `close`, for a server that is stuck: no grace for stdin and a short one for SIGTERM (which
   * still lets a wrapper such as `docker run` pass the signal on to what it started).
   */
  async kill(): Promise<void> {
    await this.stop(0, KILL_TERM_GRACE_MS);
  }

  /** The last non-empty stderr line, if any. */
  lastStderrLine(): string | undefined {
    const lines = this.stderrTail().split(/\r?\n/).map((l) => l.trim());
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i]) return lines[i];
    return undefined;
  }

  /** The last ~4 KB the server wrote to stderr. */
  stderrTail(): string {
    const all = Buffer.concat(this.stderrChunks);
    return all.subarray(Math.max(0, all.length - STDERR_TAIL_BYTES)).toString('utf8');
  }

  private async stop(graceMs: number, termGraceMs = TERM_GRACE_MS): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined) {
      this.finish();
      return;
    }
    const pid = child.pid;
    try {
      child.stdin?.end();
    } catch {
      // already gone
    }
    if (this.exitStatus === undefined && graceMs > 0) await waitFor(this.exited, graceMs);
    if (this.exitStatus === undefined) {
      killTree(pid, 'SIGTERM');
      await waitFor(this.exited, termGraceMs);
    }
    if (this.exitStatus === undefined) {
      killTree(pid, 'SIGKILL');
      // SIGKILL cannot be ignored, but a process in uninterruptible sleep may take a moment; do
      // not wait forever for it (the group stays tracked and is killed again when Warden exits).
      await waitFor(this.exited, KILL_WAIT_MS);
    }
    // The leader is gone; anything it left in its group goes too.
    killTree(pid, 'SIGKILL');
    if (this.exitStatus !== undefined) liveGroups.untrack(pid);
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.stdin?.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.length = 0;
    this.onclose?.();
  }

  private receive(chunk: Buffer): void {
    if (this.closed || this.overflow) return;
    this.totalBytes += chunk.length;
    if (this.totalBytes > this.limits.maxTotalBytes) {
      return this.giveUp(`the server sent more than ${formatBytes(this.limits.maxTotalBytes)} on stdout`);
    }
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const tail = chunk.subarray(start, nl);
      const line = this.pending.length === 0 ? tail : Buffer.concat([...this.pending, tail]);
      this.pending.length = 0;
      this.pendingBytes = 0;
      start = nl + 1;
      this.line(line);
      if (this.closed || this.overflow) return;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.limits.maxMessageBytes) {
        this.giveUp(`a message from the server exceeded ${formatBytes(this.limits.maxMessageBytes)}`);
      }
    }
  }

  private line(bytes: Buffer): void {
    const text = bytes.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(JSON.parse(text));
    } catch {
      // Not JSON-RPC: a log line on the wrong stream, a banner, or worse. Real clients skip such
      // lines and so does Warden; the first one explains a handshake that never completes.
      this.firstNoise ??= text.slice(0, NOISE_SAMPLE_CHARS);
      return;
    }
    this.messagesReceived++;
    this.onmessage?.(message);
  }

  private giveUp(why: string): void {
    this.overflow = why;
    this.pending.length = 0;
    this.onerror?.(new Error(why));
    void this.kill();
  }

  private keepStderr(chunk: Buffer): void {
    const piece = chunk.length > STDERR_TAIL_BYTES ? Buffer.from(chunk.subarray(chunk.length - STDERR_TAIL_BYTES)) : chunk;
    this.stderrChunks.push(piece);
    this.stderrBytes += piece.length;
    while (this.stderrBytes - this.stderrChunks[0]!.length >= STDERR_TAIL_BYTES) {
      this.stderrBytes -= this.stderrChunks.shift()!.length;
    }
  }
}

function waitFor(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : `${Math.round(n / 1024)} KB`;
}
