// A raw JSON-RPC client over a child's stdio, for tests that need to send what no SDK client
// would (altered retries, duplicate ids, garbage) and see every line that comes back.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

// Replies are read field by field (`m['result'].content[0].text`); typing each shape adds only noise.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Message = Record<string, any>;

export class RpcPipe {
  readonly child: ChildProcess;
  readonly received: Message[] = [];
  stderr = '';
  #waiting: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];

  constructor(command: string, args: string[], env: Record<string, string>) {
    this.child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const m = JSON.parse(line) as Message;
      this.received.push(m);
      const i = this.#waiting.findIndex((w) => w.match(m));
      if (i >= 0) this.#waiting.splice(i, 1)[0]!.resolve(m);
    });
  }

  send(message: Message | string): void {
    this.child.stdin!.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`);
  }

  /** The first message (already received or still to come) that `match` accepts. */
  next(match: (m: Message) => boolean, timeoutMs = 15_000): Promise<Message> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(this.received).slice(-800)}; stderr ${this.stderr.slice(-800)}`)), timeoutMs);
      this.#waiting.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Sends a request and waits for the response with its id. */
  request(id: string | number, method: string, params: Message = {}): Promise<Message> {
    this.send({ jsonrpc: '2.0', id, method, params });
    return this.next((m) => m['id'] === id && m['method'] === undefined);
  }

  async close(): Promise<number | null> {
    this.child.stdin!.end();
    if (this.child.exitCode !== null) return this.child.exitCode;
    return new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }
}

export const LEGACY_INIT = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'rpc-test', version: '1.0.0' } };

/** The 2026-07-28 envelope every modern request carries. */
export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'rpc-test', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
};
