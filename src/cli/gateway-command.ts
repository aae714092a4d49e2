// `warden gateway [options] -- COMMAND ARGS...` (or `--upstream URL`): what a client launches
// instead of the server, or, with `--listen`, an HTTP endpoint clients connect to. Everything the
// gateway consults is built here, before the server starts, so an invalid policy, lockfile or
// store stops start-up with a clear error (fail closed).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { wardenPath } from '../core/warden-home.js';
import { PROJECT_LOCKFILE } from '../inspect/lock-locations.js';
import { LockfileError } from '../inspect/lockfile.js';
import type { PolicySpec } from '../policy/load.js';
import { AuditRecorder } from '../gateway/audit-recorder.js';
import { gatewayContext, type GatewayContext } from '../gateway/context.js';
import { KillFile } from '../gateway/kill-switch.js';
import { PinSet } from '../gateway/pinning.js';
import { loadReceiptKey, ReceiptSigner } from '../gateway/receipts.js';
import { GatewaySession } from '../gateway/session.js';
import { clientOutput, serveStdio, stdioPeer } from '../gateway/stdio-downstream.js';
import { StdioUpstream } from '../gateway/stdio-upstream.js';
import type { FramePeer, SessionFactory, SessionInfo, Upstream } from '../gateway/transport.js';
import { HttpUpstream, parseUpstreamHeader, type UpstreamTransport } from '../gateway/http-upstream.js';
import { parseListenAddress, startHttpListener } from '../gateway/http-listener.js';
import { openJsonlSink } from '../store/jsonl-store.js';
import { AuditStoreError, defaultAuditDbPath, openSqliteStore } from '../store/sqlite-store.js';
import { recoverSpools, SpooledSink } from '../store/spool.js';
import type { AuditSink } from '../store/audit-event.js';
import { policyFor } from './policy-command.js';

export interface GatewayCliOptions {
  upstream?: string;
  upstreamHeader?: string[];
  upstreamTransport?: string;
  listen?: string;
  token?: string;
  policy?: string;
  preset?: string;
  name?: string;
  lockfile?: string;
  auditDb?: string;
  auditJsonl?: string;
  onAuditFailure?: string;
  killFile?: string;
  requestTimeout?: string;
  approvalTimeout?: string;
}

function seconds(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 86_400) throw new UsageError(`${option}: expected seconds between 0 and 86400, found "${value}"`);
  return n * 1000;
}

/** The lockfile to enforce: --lockfile, the policy's `pinning.lockfile` (relative to the policy), or ./warden.lock.json when present. */
function lockfileOf(o: GatewayCliOptions, policy: PolicySpec): string | undefined {
  if (o.lockfile) return resolve(o.lockfile);
  if (policy.pinning.lockfile) return resolve(policy.source.startsWith('preset:') ? '.' : dirname(policy.source), policy.pinning.lockfile);
  const local = resolve(PROJECT_LOCKFILE);
  return existsSync(local) ? local : undefined;
}

async function openSink(o: GatewayCliOptions, warn: (line: string) => void): Promise<AuditSink> {
  try {
    if (o.auditJsonl) return openJsonlSink(o.auditJsonl);
    const store = await openSqliteStore(o.auditDb ?? defaultAuditDbPath());
    // What gateways that died left in their spools goes in before this one starts its own.
    recoverSpools(store, { warn });
    return new SpooledSink(store, warn);
  } catch (err) {
    if (err instanceof AuditStoreError) throw new UsageError(err.message);
    throw err;
  }
}

async function buildContext(o: GatewayCliOptions, server: string): Promise<GatewayContext> {
  const policy = policyFor(o);
  let pins: PinSet | undefined;
  try {
    pins = PinSet.load(lockfileOf(o, policy), server, policy.pinning.require);
  } catch (err) {
    if (err instanceof LockfileError) throw new UsageError(err.message);
    throw err;
  }
  return gatewayContext({
    server,
    policy,
    pins,
    kill: new KillFile(o.killFile ? resolve(o.killFile) : wardenPath('kill')),
    receipts: new ReceiptSigner(loadReceiptKey(wardenPath('receipt.key'))),
    approvalTtlMs: seconds(o.approvalTimeout, '--approval-timeout', 120),
    requestTimeoutMs: seconds(o.requestTimeout, '--request-timeout', 300),
    warn: (line) => process.stderr.write(`warden gateway: ${line}\n`),
  });
}

/** How each session reaches the server: a child process of its own, or the remote URL. */
function upstreamFactory(command: string[], o: GatewayCliOptions, warn: (line: string) => void): { server: string; make: () => Upstream } {
  if (o.upstream !== undefined) {
    if (command.length > 0) throw new UsageError('give either --upstream URL or a command after --, not both');
    let url: URL;
    try {
      url = new URL(o.upstream);
    } catch {
      throw new UsageError(`--upstream: "${o.upstream}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--upstream: expected an http(s) URL, found ${url.protocol}`);
    const transport = (o.upstreamTransport ?? 'auto') as UpstreamTransport;
    let headers: [string, string][];
    try {
      headers = (o.upstreamHeader ?? []).map(parseUpstreamHeader);
    } catch (err) {
      throw new UsageError(`--upstream-header: ${(err as Error).message}`);
    }
    return { server: o.name ?? url.hostname, make: () => new HttpUpstream({ url: url.href, transport, headers, warn }) };
  }
  if (command.length === 0) throw new UsageError('give the server to run after --, e.g. warden gateway -- npx -y @modelcontextprotocol/server-filesystem /repo, or --upstream URL');
  const [cmd, ...args] = command as [string, ...string[]];
  return { server: o.name ?? basename(cmd), make: () => new StdioUpstream({ command: cmd, args, warn }) };
}

export async function runGateway(command: string[], o: GatewayCliOptions): Promise<number> {
  const onFailure = o.onAuditFailure ?? 'deny';
  if (onFailure !== 'deny' && onFailure !== 'allow') throw new UsageError(`--on-audit-failure: expected deny or allow, found "${onFailure}"`);
  const warn = (line: string) => process.stderr.write(`warden gateway: ${line}\n`);
  const upstream = upstreamFactory(command, o, warn);
  let listen: { host: string; port: number } | undefined;
  if (o.listen !== undefined) {
    try {
      listen = parseListenAddress(o.listen);
    } catch (err) {
      throw new UsageError(`--listen: ${(err as Error).message}`);
    }
  }
  const ctx = await buildContext(o, upstream.server);
  const sink = await openSink(o, warn);
  const session = (peer: FramePeer, info: SessionInfo) => new GatewaySession(ctx, upstream.make(), peer, info, new AuditRecorder(sink, { server: upstream.server, session: info.id }, onFailure, ctx.warn));
  try {
    if (listen) await serveHttp(listen, o, session, warn);
    else {
      const peer = stdioPeer(clientOutput());
      await serveStdio(process.stdin, peer, session(peer, { id: randomUUID(), transport: 'stdio' }));
    }
  } finally {
    sink.close();
  }
  return 0;
}

/** Serves MCP over Streamable HTTP until SIGINT or SIGTERM. The token may come from the environment so it stays out of `ps`. */
async function serveHttp(at: { host: string; port: number }, o: GatewayCliOptions, factory: SessionFactory, warn: (line: string) => void): Promise<void> {
  const token = o.token ?? process.env['WARDEN_GATEWAY_TOKEN'];
  let listener;
  try {
    listener = await startHttpListener({ ...at, ...(token ? { token } : {}), warn }, factory);
  } catch (err) {
    throw new UsageError(`--listen: ${(err as Error).message}`);
  }
  // Listening for the stop signals before saying where it serves: a signal sent on reading that
  // line, before its listener exists, would kill the gateway outright.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  warn(`serving MCP at ${listener.url}`);
  await stopped;
  await listener.close();
}
