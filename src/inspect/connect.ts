// Connects to one declared MCP server and lists what it offers: tools, prompts, resources,
// resource templates and instructions, exactly as the server sent them. It never calls a tool,
// reads a resource or gets a prompt, and it never throws: every outcome is a `ServerInspection`
// with a one-line, secret-redacted reason when something went wrong.
//
// Outcomes:
// - `ok`: the handshake completed and every list the server's capabilities advertise was read in
//   full. Only an `ok` inspection is a complete picture (the one a lockfile may pin).
// - `failed`: the server could not be started, reached or understood, or a list failed. What was
//   listed before the failure stays in `definitions` (a poisoned tool is poisoned even when
//   `prompts/list` broke afterwards) and `reason` says what is missing, e.g.
//   "prompts/list failed: prompt store offline (kept the 3 definitions that were listed)".
// - `skipped`: never started (disabled, unknown transport, no command or URL, cancelled first).
//
// Protocol eras. The SDK client negotiates with `versionNegotiation: { mode: 'auto' }`: it sends
// `server/discover` first; a 2026-07-28 server answers it (modern era, stateless), a 2025-era
// server answers "Method not found" (or nothing) and the client falls back to `initialize`.
// On stdio the SDK's own transport runs that probe on a second, throw-away copy of the server,
// so every server would start twice. Warden's transport (stdio.ts) probes in place instead.
// Measured here (node 20, 2 vCPUs shared with other builds; fixture servers of
// test/fixtures/servers; medians of 5 runs; "bare" = the server started by hand and asked
// `initialize` + `tools/list` over a raw pipe, with the same environment):
//                              bare     SDK sibling probe   Warden in place
//   1 v1 (2025) server         163 ms   317 ms              167 ms
//   1 v2 (2026) server         154 ms   293 ms              160 ms
//   20 v1 servers at once     2047 ms  4186 ms             2161 ms
//   20 v2 servers at once     2300 ms  4839 ms             2079 ms
// The sibling doubles the start-up work, which is what parallel inspection is bound by; in place
// the overhead is within the noise (the "adds under a second" test in inspect.test.ts keeps it so).
// The one server shape in-place probing costs more for is a 2025-era server whose SDK exits on
// any request before `initialize`: the probe kills it, and Warden starts it once more, opening
// with `initialize` (`prior: { kind: 'legacy' }`). One extra start for those servers only,
// instead of one for every server.
//
// The probe's own timeout matters for a server that does not answer it in time: on stdio the SDK
// then takes the silence as "legacy" and sends `initialize` on the same pipe. It is a third of the
// deadline, at most 5 s, so a 2025-era server that ignores unknown requests is still listed. A
// server that is merely slow to start (npx fetching a package) still gets both requests in order:
// a dual-era one is listed, recorded as legacy; a 2026-only one refuses `initialize`, and Warden
// starts it again and waits for its probe answer as long as the deadline allows.
import { existsSync } from 'node:fs';
import {
  Client,
  ProtocolErrorCode,
  SSEClientTransport,
  SdkErrorCode,
  SseError,
  StreamableHTTPClientTransport,
  type FetchLike,
  type Transport,
} from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import type { McpDefinition, ServerDecl, ServerInspection } from '../core/types.js';
import { VERSION } from '../core/version.js';
import { redactSecretsIn } from '../detect/secrets.js';
import { describeRequestError, errorCode, listDefinitions, type ListLimits } from './list-definitions.js';
import { ChildProcessTransport, type StdioLimits } from './stdio.js';
import { NETWORK_ERRORS } from '../core/network-errors.js';

export interface InspectOptions {
  /** Per-server deadline for the whole exchange (spawn, handshake, all listings), default 15_000 ms. */
  timeoutMs?: number;
  /** How many servers at once in inspectServers, default 8. */
  concurrency?: number;
  /** clientInfo sent to the server; default { name: 'warden', version: VERSION }. `--identify-as claude-code` passes another client's name. */
  clientInfo?: { name: string; version: string };
  signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_CONCURRENCY = 8;
const PROBE_TIMEOUT_CAP_MS = 5_000;
const REQUEST_TIMEOUT_SLACK_MS = 1_000;

/**
 * Memory bounds. 10,000 tools with schemas are a few MB; a 1 MB description is one message. The
 * caps stop a hostile server, not a large one: 1,000 pages is far past any real pagination, and
 * the byte budget keeps `concurrency` servers' worth of output well under a gigabyte.
 */
const LIST_LIMITS: ListLimits = { maxPages: 1_000, maxDefinitions: 100_000 };
const STDIO_LIMITS: StdioLimits = { maxMessageBytes: 32 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 };
const HTTP_MAX_TOTAL_BYTES = STDIO_LIMITS.maxTotalBytes;

/** Inspects every declaration, `concurrency` at a time; results come back in input order. */
export async function inspectServers(
  decls: readonly ServerDecl[],
  opts: InspectOptions & { onResult?(r: ServerInspection): void } = {},
): Promise<ServerInspection[]> {
  const results = new Array<ServerInspection>(decls.length);
  const width = Math.min(decls.length, positiveInteger(opts.concurrency, DEFAULT_CONCURRENCY));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < decls.length) {
      const i = next++;
      const result = await inspectServer(decls[i]!, opts);
      results[i] = result;
      try {
        opts.onResult?.(result);
      } catch {
        // A throwing progress callback must not lose the other servers' results.
      }
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** Connects to one declared server, lists what it offers, and disconnects. Never throws. */
export async function inspectServer(decl: ServerDecl, opts: InspectOptions = {}): Promise<ServerInspection> {
  const started = performance.now();
  const base: ServerInspection = {
    serverId: decl.id,
    server: decl.name,
    client: decl.client,
    scope: decl.scope,
    status: 'skipped',
    definitions: [],
    durationMs: 0,
  };
  const skip = skipReason(decl, opts.signal);
  if (skip !== undefined) return { ...base, reason: await redactSecretsIn(skip) };

  const run = new InspectionRun(decl, opts);
  let outcome: Outcome;
  try {
    outcome = await run.execute();
  } catch (error) {
    // Defensive: execute() turns every failure into an outcome; an exception here is a bug.
    outcome = { reason: `internal error: ${describeRequestError(error)}` };
  }
  // Redacted before it is cut to length, so a cut never leaves half a secret unrecognised.
  const reason = outcome.reason === undefined ? undefined : truncate(await redactSecretsIn(oneLine(outcome.reason)));
  return {
    ...base,
    status: reason === undefined ? 'ok' : 'failed',
    ...(reason !== undefined && { reason }),
    ...(outcome.protocolVersion !== undefined && { protocolVersion: outcome.protocolVersion }),
    ...(outcome.era !== undefined && { era: outcome.era }),
    ...(outcome.serverInfo !== undefined && { serverInfo: outcome.serverInfo }),
    definitions: outcome.definitions ?? [],
    durationMs: Math.round(performance.now() - started),
  };
}

function skipReason(decl: ServerDecl, signal: AbortSignal | undefined): string | undefined {
  if (signal?.aborted) return 'cancelled before it started';
  if (decl.disabled) return 'disabled in its configuration';
  switch (decl.transport) {
    case 'stdio':
      return decl.command?.trim() ? undefined : 'no command to start it';
    case 'http':
    case 'sse':
      return decl.url?.trim() ? undefined : 'no URL to connect to';
    default:
      return `transport "${decl.transport}" is not supported`;
  }
}

type Outcome = Partial<Pick<ServerInspection, 'protocolVersion' | 'era' | 'serverInfo' | 'definitions'>> & { reason?: string };

/** Why the inspection was stopped from outside. */
class Stop extends Error {
  constructor(readonly why: 'deadline' | 'cancelled') {
    super(why);
  }
}

/** One inspection: owns the deadline, the transport(s) it opened, and what is known so far. */
class InspectionRun {
  private readonly timeoutMs: number;
  private readonly stop = new AbortController();
  private readonly deadline: number;
  private phase = 'the handshake';
  private handshakeDone = false;
  private stdio?: ChildProcessTransport;
  private transport?: Transport;
  private client?: Client;
  private readonly definitions: McpDefinition[] = [];

  constructor(
    private readonly decl: ServerDecl,
    private readonly opts: InspectOptions,
  ) {
    this.timeoutMs = positiveInteger(opts.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.deadline = performance.now() + this.timeoutMs;
  }

  async execute(): Promise<Outcome> {
    const timer = setTimeout(() => this.stop.abort(new Stop('deadline')), this.timeoutMs);
    const onCancel = (): void => this.stop.abort(new Stop('cancelled'));
    this.opts.signal?.addEventListener('abort', onCancel, { once: true });
    // Whatever the SDK or the server does, the deadline ends the wait: the race below settles
    // when `stop` aborts, and the transport is torn down so the abandoned work settles too.
    const stopped = new Promise<never>((_, reject) => {
      this.stop.signal.addEventListener('abort', () => reject(this.stop.signal.reason), { once: true });
    });
    stopped.catch(() => {});
    try {
      return await Promise.race([this.connectAndList(), stopped]);
    } catch (error) {
      return this.failure(error);
    } finally {
      clearTimeout(timer);
      this.opts.signal?.removeEventListener('abort', onCancel);
      await this.teardown();
    }
  }

  /**
   * The SDK's per-request timeout, past the deadline on purpose: the deadline alone decides when a
   * server has taken too long, so the reason is always "no answer within N ms during <phase>".
   */
  private requestTimeoutMs(): number {
    return Math.max(1, Math.round(this.deadline - performance.now())) + REQUEST_TIMEOUT_SLACK_MS;
  }

  private async connectAndList(): Promise<Outcome> {
    const client = this.decl.transport === 'stdio' ? await this.connectStdio() : await this.connectHttp();
    this.handshakeDone = true;
    const instructions = client.getInstructions();
    if (typeof instructions === 'string' && instructions !== '') {
      this.definitions.push({ kind: 'instructions', name: 'instructions', raw: { instructions } });
    }
    const failures = await listDefinitions(
      client,
      { limits: LIST_LIMITS, signal: this.stop.signal, requestTimeoutMs: () => this.requestTimeoutMs(), onPhase: (method) => (this.phase = method) },
      this.definitions,
    );
    const outcome: Outcome = { ...identityOf(client), definitions: this.definitions };
    if (failures.length > 0) outcome.reason = `${failures.join('; ')}${keptNote(this.definitions.length)}`;
    return outcome;
  }

  /**
   * A client that negotiates the era. `probeTimeoutMs` is how long the `server/discover` probe
   * waits: on stdio, silence then means "2025-era server" and the client sends `initialize` on the
   * same pipe; over HTTP silence is an outage, so there the probe waits as long as the deadline.
   */
  private newClient(probeTimeoutMs: number): Client {
    const client = new Client(this.opts.clientInfo ?? { name: 'warden', version: VERSION }, {
      // Warden advertises no client capabilities: it answers no sampling, elicitation or roots.
      capabilities: {},
      versionNegotiation: { mode: 'auto', probe: { timeoutMs: probeTimeoutMs } },
    });
    // Transport and protocol noise (a late probe answer, an unknown id) is not the user's business;
    // failures reach Warden as rejected requests.
    client.onerror = () => {};
    this.client = client;
    return client;
  }

  private async connectStdio(): Promise<Client> {
    const decl = this.decl;
    const launch = {
      command: decl.command!,
      args: decl.args,
      // As the SDK's stdio transport does it: a few safe variables inherited, the declared ones on top.
      env: { ...getDefaultEnvironment(), ...decl.env },
      ...(decl.cwd !== undefined && { cwd: decl.cwd }),
    };
    const open = (): ChildProcessTransport => {
      // Teardown may already have run for an abandoned attempt; never start a process after it.
      if (this.stop.signal.aborted) throw this.stop.signal.reason;
      const transport = new ChildProcessTransport(launch, STDIO_LIMITS);
      this.stdio = transport;
      this.transport = transport;
      return transport;
    };
    const probeTimeoutMs = Math.min(PROBE_TIMEOUT_CAP_MS, Math.floor(this.timeoutMs / 3));
    const first = open();
    let retry: 'legacy' | 'long-probe';
    try {
      return await this.connectClient(first, this.newClient(probeTimeoutMs));
    } catch (error) {
      if (this.stop.signal.aborted || first.spawnError || first.overflow) throw error;
      const code = errorCode(error);
      if (first.exitStatus !== undefined && code === SdkErrorCode.EraNegotiationFailed) {
        // The process ended on the `server/discover` probe: the shape of 2025-era servers whose
        // SDK exits on any request before `initialize`.
        retry = 'legacy';
      } else if (first.exitStatus === undefined && code === ProtocolErrorCode.UnsupportedProtocolVersion) {
        // `initialize` refused: a 2026-only server that started slower than the probe waited (its
        // answer to the probe came too late). Ask it again, waiting as long as the deadline allows.
        retry = 'long-probe';
      } else {
        throw error;
      }
    }
    await first.close();
    const second = open();
    return retry === 'legacy'
      ? await this.connectClient(second, this.newClient(probeTimeoutMs), { kind: 'legacy' })
      : await this.connectClient(second, this.newClient(this.requestTimeoutMs()));
  }

  private async connectClient(transport: Transport, client: Client, prior?: { kind: 'legacy' }): Promise<Client> {
    await client.connect(transport, { timeout: this.requestTimeoutMs(), signal: this.stop.signal, ...(prior && { prior }) });
    return client;
  }

  private async connectHttp(): Promise<Client> {
    const decl = this.decl;
    let url: URL;
    try {
      url = new URL(decl.url!);
    } catch {
      throw new Reason(`invalid URL: ${decl.url}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Reason(`unsupported URL scheme "${url.protocol}"`);
    const requestInit: RequestInit = { headers: decl.headers };
    const fetch = budgetedFetch(HTTP_MAX_TOTAL_BYTES, this.stop.signal);
    const transport =
      decl.transport === 'sse'
        ? new SSEClientTransport(url, { requestInit, fetch })
        : new StreamableHTTPClientTransport(url, {
            requestInit,
            fetch,
            // The optional GET stream is of no use to an inspection; do not keep reopening it.
            reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 },
          });
    this.transport = transport;
    try {
      return await this.connectClient(transport, this.newClient(this.requestTimeoutMs()));
    } catch (error) {
      if (this.stop.signal.aborted) throw error;
      throw new Reason(`could not connect to ${displayUrl(url)}: ${describeHttpError(error)}`);
    }
  }

  /** Turns what stopped the run into a reason; what was listed before it stays. */
  private failure(error: unknown): Outcome {
    const known = this.knownSoFar();
    return { ...known, reason: this.explain(error) + keptNote(known.definitions?.length ?? 0) };
  }

  /** The most specific evidence first: the server's own exit and words, then the symptom. */
  private explain(error: unknown): string {
    const stdio = this.stdio;
    const during = this.handshakeDone ? `during ${this.phase}` : 'during the handshake';
    if (error instanceof Reason) return error.message;
    if (stdio?.spawnError) return describeSpawnError(this.decl.command!, this.decl.cwd, stdio.spawnError);
    if (stdio?.overflow) return `${stdio.overflow} ${during}`;
    if (stdio?.exitStatus && !(error instanceof Stop)) {
      const { code, signal } = stdio.exitStatus;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const said = stdio.lastStderrLine() ?? (stdio.firstNoise && `stdout: ${stdio.firstNoise}`);
      return `${how} ${during}${said ? `: ${said}` : ''}`;
    }
    if (stdio?.firstNoise !== undefined && stdio.messagesReceived === 0) {
      return `stdout is not JSON-RPC: ${stdio.firstNoise}`;
    }
    if (error instanceof Stop) {
      return error.why === 'deadline' ? `no answer within ${this.timeoutMs} ms ${during}` : `cancelled ${during}`;
    }
    return `${this.handshakeDone ? `${this.phase} failed` : 'the handshake failed'}: ${describeRequestError(error)}`;
  }

  /** What a failed run still knows: the server's identity and what it listed before it failed. */
  private knownSoFar(): Outcome {
    const client = this.client;
    if (!client || !this.handshakeDone) return { definitions: [] };
    return { ...identityOf(client), definitions: [...this.definitions] };
  }

  private async teardown(): Promise<void> {
    const stuck = this.stop.signal.aborted;
    const transport = this.transport;
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined && !stuck) {
      // Be a polite 2025-era HTTP client: end the session rather than leave it to expire.
      await withTimeout(transport.terminateSession().catch(() => {}), 500);
    }
    if (this.stdio) {
      // The SDK's own close() on a hung server would wait for a reply that never comes.
      await (stuck ? this.stdio.kill() : this.stdio.close());
    }
    await withTimeout(this.client?.close().catch(() => {}) ?? Promise.resolve(), 1_000);
  }
}

/** What the handshake told about the server: era, protocol version, and how it names itself. */
function identityOf(client: Client): Pick<Outcome, 'protocolVersion' | 'era' | 'serverInfo'> {
  const era = client.getProtocolEra();
  const info = client.getServerVersion();
  return {
    protocolVersion: client.getNegotiatedProtocolVersion(),
    era: era === 'modern' || era === 'legacy' ? era : undefined,
    serverInfo:
      info && typeof info.name === 'string'
        ? { name: info.name, ...(typeof info.version === 'string' && { version: info.version }), ...(typeof info.title === 'string' && { title: info.title }) }
        : undefined,
  };
}

/** A failure whose message is already the reason to show. */
class Reason extends Error {}

function describeSpawnError(command: string, cwd: string | undefined, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      // Node reports a missing working directory as the command's ENOENT.
      if (cwd !== undefined && !existsSync(cwd)) return `could not start "${command}": its working directory ${cwd} does not exist`;
      return `could not start "${command}": command not found (ENOENT)`;
    case 'EACCES':
      return `could not start "${command}": permission denied (EACCES)`;
    default:
      return `could not start "${command}": ${error.message}`;
  }
}


/**
 * The SDK wraps HTTP failures a few levels deep (a negotiation error caused by `fetch failed`
 * caused by ECONNREFUSED; an `SseError` carrying the status as `code`): the most telling fact is
 * usually at the bottom, so walk the causes.
 */
function describeHttpError(error: unknown): string {
  let current: unknown = error;
  let deepest = describeRequestError(error);
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const e = current as { data?: { status?: unknown; statusText?: unknown }; code?: unknown; cause?: unknown; message?: unknown };
    const status = typeof e.data?.status === 'number' ? e.data.status : SseError.isInstance(current) && typeof e.code === 'number' ? e.code : undefined;
    if (status !== undefined && status >= 200 && status < 300) return `HTTP ${status}, but the answer is not MCP`;
    if (status !== undefined && status >= 100 && status < 600) {
      const text = typeof e.data?.statusText === 'string' && e.data.statusText ? ` ${e.data.statusText}` : '';
      const hint = status === 401 || status === 403 ? ' (the server wants credentials the declaration does not give)' : '';
      return `HTTP ${status}${text}${hint}`;
    }
    if (typeof e.code === 'string' && NETWORK_ERRORS[e.code]) return NETWORK_ERRORS[e.code]!;
    if (typeof e.message === 'string' && e.message) deepest = describeRequestError(current);
    current = e.cause;
  }
  return deepest;
}

/** The URL without query or fragment (which may carry a token), for reasons. */
function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

function keptNote(kept: number): string {
  return kept === 0 ? '' : ` (kept the ${kept} ${kept === 1 ? 'definition that was' : 'definitions that were'} listed)`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

const MAX_REASON_CHARS = 300;

function truncate(text: string): string {
  return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS - 1)}…` : text;
}

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * `fetch` that counts what the server sends back and fails the body past `maxBytes` (an HTTP
 * server is as able as a stdio one to stream gigabytes), and that stops with the inspection.
 */
function budgetedFetch(maxBytes: number, stop: AbortSignal): FetchLike {
  let received = 0;
  return async (input, init) => {
    const signal = init?.signal ? AbortSignal.any([init.signal, stop]) : stop;
    const response = await fetch(input, { ...init, signal });
    // Null-body statuses cannot be rebuilt with a body; they carry nothing to count anyway.
    if (!response.body || [101, 204, 205, 304].includes(response.status)) return response;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          received += chunk.byteLength;
          if (received > maxBytes) controller.error(new Error(`the server sent more than ${Math.round(maxBytes / (1024 * 1024))} MB`));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
