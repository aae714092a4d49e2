// The gateway between an agent client and one stdio MCP server (first slice of issue 4): frames
// are relayed as they are, and only what policy needs is decoded. `tools/call` requests go
// through the policy (allow, deny, redact; `ask` denies until an approval channel exists) and
// `tools/list` results are filtered so the model never sees a tool it may not call. Everything
// else the protocol carries, in either era and either direction, passes byte for byte.
import { isObject } from '../core/json.js';
import { fromPointer } from '../parse/document.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import crossSpawn from 'cross-spawn';
import { classifyTool } from '../inspect/capabilities.js';
import { decide } from '../policy/evaluate.js';
import type { PolicySpec } from '../policy/load.js';
import { applyRateLimits, RateLimiter } from '../policy/rate-limit.js';
import type { Action, Decision } from '../policy/types.js';
import { readFrames } from './line-reader.js';

export interface GatewayOptions {
  command: string;
  args: readonly string[];
  /** The server's name in policy rules and the audit log. */
  server: string;
  policy: PolicySpec;
  /** Append one JSON line per decision to this file (created 0600). */
  auditFile?: string;
}

type Json = Record<string, unknown>;

/** Replaces the values at `pointers` (RFC 6901, into the arguments) with a marker. */
function redactArguments(args: Json, pointers: readonly string[]): Json {
  const copy = structuredClone(args);
  for (const pointer of pointers) {
    const parts = fromPointer(pointer);
    let node: unknown = copy;
    for (let i = 0; i < parts.length - 1 && isObject(node); i++) node = node[parts[i]!];
    const last = parts[parts.length - 1]!;
    if (isObject(node) && Object.hasOwn(node, last)) node[last] = '[redacted by Warden]';
  }
  return copy;
}

export class StdioGateway {
  readonly #limiter: RateLimiter;
  /** Ids of the client's pending `tools/list` requests, whose results are filtered. */
  readonly #listing = new Set<string>();
  /** Capability classes of each tool the server listed, for call-time policy. */
  readonly #capabilities = new Map<string, string[]>();
  #client = '';
  #audit: number | undefined;

  constructor(private readonly o: GatewayOptions) {
    this.#limiter = new RateLimiter(o.policy.rateLimits);
  }

  /** Runs until the client closes its input or the server exits; resolves with the exit code. */
  run(input: Readable, output: Writable): Promise<number> {
    if (this.o.auditFile) this.#audit = openSync(this.o.auditFile, 'a', 0o600);
    const upstream: ChildProcess = (process.platform === 'win32' ? crossSpawn : spawn)(this.o.command, [...this.o.args], { stdio: ['pipe', 'pipe', 'inherit'], windowsHide: true });
    const toClient = (line: string) => output.write(`${line}\n`);
    const toServer = (line: string) => upstream.stdin!.write(`${line}\n`);

    readFrames(
      input,
      (f) => {
        if (!f.ok) return toClient(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: ${f.error}` } }));
        const m = f.message;
        if (!isObject(m) || typeof m['method'] !== 'string' || m['id'] === undefined) return toServer(f.line);
        if (m['method'] === 'initialize' && isObject(m['params']) && isObject(m['params']['clientInfo'])) this.#client = String(m['params']['clientInfo']['name'] ?? '');
        if (m['method'] === 'tools/list') this.#listing.add(JSON.stringify(m['id']));
        if (m['method'] !== 'tools/call') return toServer(f.line);
        const params = isObject(m['params']) ? m['params'] : {};
        const tool = typeof params['name'] === 'string' ? params['name'] : '';
        const args = isObject(params['arguments']) ? params['arguments'] : {};
        const action: Action = { kind: 'tool_call', server: this.o.server, tool, args, capabilities: this.#capabilities.get(tool) ?? this.#classify({ name: tool }), ...(this.#client ? { client: this.#client } : {}) };
        const d = applyRateLimits(this.o.policy, this.#limiter, action, decide(this.o.policy, action));
        this.#record(action, d);
        if (d.effect === 'allow') return toServer(f.line);
        if (d.effect === 'redact') return toServer(JSON.stringify({ ...m, params: { ...params, arguments: redactArguments(args, d.redact ?? []) } }));
        const why = d.effect === 'ask' ? `${d.reason} It needs a person's approval, and no approval channel is configured, so it is denied.` : d.reason;
        toClient(JSON.stringify({ jsonrpc: '2.0', id: m['id'], result: { content: [{ type: 'text', text: `Warden blocked this call (${d.rule}): ${why}` }], isError: true } }));
      },
      () => toClient(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request: a message over 10 MB was dropped' } })),
    );

    readFrames(
      upstream.stdout!,
      (f) => {
        if (!f.ok) return toClient(f.line);
        const m = f.message;
        const key = isObject(m) && m['id'] !== undefined && m['method'] === undefined ? JSON.stringify(m['id']) : undefined;
        if (key === undefined || !this.#listing.delete(key) || !isObject(m) || !isObject(m['result']) || !Array.isArray(m['result']['tools'])) return toClient(f.line);
        toClient(JSON.stringify({ ...m, result: { ...m['result'], tools: this.#visibleTools(m['result']['tools']) } }));
      },
      () => toClient(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'the server sent a message over 10 MB; dropped' } })),
    );

    return new Promise((resolve) => {
      const stop = (code: number) => {
        if (this.#audit !== undefined) closeSync(this.#audit);
        this.#audit = undefined;
        resolve(code);
      };
      input.on('end', () => {
        upstream.stdin!.end();
        upstream.once('exit', (code) => stop(code ?? 0));
      });
      upstream.on('error', (err) => {
        process.stderr.write(`warden gateway: could not start ${this.o.command}: ${err.message}\n`);
        stop(1);
      });
      upstream.on('exit', (code) => {
        if (!input.readableEnded) stop(code ?? 1);
      });
    });
  }

  /** Tools the policy lets the model see; records each tool's capability classes for call time. */
  #visibleTools(tools: unknown[]): unknown[] {
    return tools.filter((t) => {
      if (!isObject(t) || typeof t['name'] !== 'string') return true;
      const capabilities = this.#classify(t);
      this.#capabilities.set(t['name'], capabilities);
      const action: Action = { kind: 'tool_list', server: this.o.server, tool: t['name'], capabilities, ...(this.#client ? { client: this.#client } : {}) };
      const d = decide(this.o.policy, action);
      this.#record(action, d);
      return (d.wouldHave ?? d.effect) !== 'deny' || d.effect === 'allow';
    });
  }

  /** Capability classes from a definition, or from the name alone for a tool called before it was listed. */
  #classify(tool: Json): string[] {
    return [...classifyTool({ kind: 'tool', name: String(tool['name']), raw: tool }, { name: this.o.server }).capabilities];
  }

  /** One audit line: who, what, which rule; argument names only, never their values. */
  #record(a: Action, d: Decision): void {
    if (this.#audit === undefined) return;
    const event = {
      time: new Date().toISOString(),
      'mcp.method.name': a.kind === 'tool_call' ? 'tools/call' : 'tools/list',
      'gen_ai.tool.name': a.tool,
      server: a.server,
      client: a.client,
      argumentNames: Object.keys(a.args ?? {}),
      'gen_ai.security.decision.type': d.wouldHave ? 'audit' : d.effect === 'redact' ? 'modify' : d.effect,
      'gen_ai.security.policy.id': d.rule,
      reason: d.reason,
    };
    writeSync(this.#audit, `${JSON.stringify(event)}\n`);
  }
}
