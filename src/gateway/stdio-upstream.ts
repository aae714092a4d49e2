// The upstream side for a server the gateway starts itself: a child process speaking
// newline-delimited JSON-RPC on stdin/stdout. Lines are relayed as text (never re-serialised);
// stdout lines that are not JSON (banners, stray logs) are dropped with a note on stderr, since a
// client that receives one may abort the connection. The child leads its own process group so
// closing it also ends what it started (`npx` → `node server.js`). After an exit, `start` launches
// it again: the session decides when (on the next request) and replays the handshake.
import { spawn, type ChildProcess } from 'node:child_process';
import crossSpawn from 'cross-spawn';
import { killTree, liveGroups } from '../core/process-group.js';
import { coalescingWriter, readFrames } from './line-reader.js';
import { frameText, type Frame, type Upstream, type UpstreamHandlers } from './transport.js';

const IS_WINDOWS = process.platform === 'win32';
/** After closing stdin, how long a server gets to exit before SIGTERM, then SIGKILL. */
const CLOSE_GRACE_MS = 500;

export interface StdioUpstreamOptions {
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where the server's stderr goes: the gateway's own stderr (the client's server log) by default. */
  stderr?: 'inherit' | 'ignore';
  /** Notes about dropped output, for the operator; never sent to the client. */
  warn?: (line: string) => void;
}

export class StdioUpstream implements Upstream {
  #child: ChildProcess | undefined;
  #connected = false;
  #write: (line: string) => void = () => {};

  constructor(private readonly o: StdioUpstreamOptions) {}

  get connected(): boolean {
    return this.#connected;
  }

  start(handlers: UpstreamHandlers): Promise<void> {
    return new Promise((resolve) => {
      let child: ChildProcess;
      try {
        // cross-spawn resolves Windows .cmd shims and quotes each argument; no shell string is built.
        child = (IS_WINDOWS ? crossSpawn : spawn)(this.o.command, [...this.o.args], {
          stdio: ['pipe', 'pipe', this.o.stderr ?? 'inherit'],
          detached: !IS_WINDOWS,
          shell: false,
          windowsHide: true,
          ...(this.o.env ? { env: this.o.env } : {}),
          ...(this.o.cwd ? { cwd: this.o.cwd } : {}),
        });
      } catch (err) {
        handlers.closed(`could not start ${this.o.command}: ${(err as Error).message}`);
        resolve();
        return;
      }
      this.#child = child;
      this.#write = coalescingWriter((text) => {
        if (child.stdin?.writable) child.stdin.write(text);
      });
      let ended = false;
      const end = (reason: string) => {
        if (ended) return;
        ended = true;
        this.#connected = false;
        if (this.#child === child) this.#child = undefined;
        if (child.pid !== undefined) liveGroups.untrack(child.pid);
        handlers.closed(reason);
      };
      child.once('spawn', () => {
        this.#connected = true;
        if (child.pid !== undefined) liveGroups.track(child.pid);
        resolve();
      });
      child.once('error', (err: NodeJS.ErrnoException) => {
        end(`could not start ${this.o.command}: ${err.code ?? err.message}`);
        resolve();
      });
      child.once('exit', (code, signal) => end(signal ? `the server was killed by ${signal}` : `the server exited with code ${code}`));
      // EPIPE on a server that died between our check and the write: reported by 'exit'.
      child.stdin!.on('error', () => {});
      readFrames(
        child.stdout!,
        (f) => {
          if (f.ok) handlers.frame({ message: f.message, line: f.line });
          else this.o.warn?.(`the server wrote a line that is not JSON-RPC; dropped: ${f.line.slice(0, 120)}`);
        },
        () => this.o.warn?.('the server sent a message over 10 MB; dropped'),
      );
    });
  }

  send(frame: Frame): void {
    if (!this.#connected || !this.#child?.stdin?.writable) return;
    this.#write(frameText(frame));
  }

  async close(): Promise<void> {
    const child = this.#child;
    if (!child || child.pid === undefined) return;
    const pid = child.pid;
    const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
    child.stdin?.end();
    const timeout = (ms: number) => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref());
    if (!(await Promise.race([exited.then(() => true), timeout(CLOSE_GRACE_MS)]))) {
      killTree(pid, 'SIGTERM');
      if (!(await Promise.race([exited.then(() => true), timeout(CLOSE_GRACE_MS)]))) killTree(pid, 'SIGKILL');
    }
    // The leader is gone; anything it left in its group goes too.
    killTree(pid, 'SIGKILL');
  }
}
