// One gateway session: a client connection (stdio, or one HTTP session) and the upstream
// connection that serves it. Frames are relayed as they came unless a step of the pipeline has
// something to say:
//
//   client → server  requests: kill switch, pinning, argument checks, policy (+ rate limits), then
//                    allow / deny / redact / ask. A refusal is recorded before it is sent; a
//                    forwarded call's record is committed with its result's (audit-recorder.ts).
//   server → client  tools/list results are filtered (pins, policy); tools/call results are
//                    scanned (secrets, injection), taint the session, and are committed to the
//                    audit store before they go back. Everything else passes byte for byte, in order.
//
// The upstream may die or hang: pending requests get a JSON-RPC error with the reason, the session
// stays up, and the next request starts the server again (replaying the client's handshake on a
// 2025-era connection).
import { isObject } from '../core/json.js';
import { redactArguments } from '../policy/redact-arguments.js';
import { classifyTool } from '../inspect/capabilities.js';
import { classifyAction } from '../policy/classify.js';
import { selfProtection, severityOf } from '../policy/self-protection.js';
import { decide } from '../policy/evaluate.js';
import { applyRateLimits } from '../policy/rate-limit.js';
import type { Action, ActionKind, Decision } from '../policy/types.js';
import { filePathOf } from './argument-checks.js';
import { approvalQuestion, approved, elicitationRequest, inputRequiredResult, takeApprovalRetry } from './approvals.js';
import { AuditUnavailable, decisionType, redactedCopy, type AuditRecorder } from './audit-recorder.js';
import type { GatewayContext } from './context.js';
import { ErrorCode, META, errorResponse, idKey, kindOf, metaOf, paramsOf, toolErrorResult, type Id, type Json } from './messages.js';
import { requestDigest } from './receipts.js';
import { scanToolResult, summarizeResult } from './response-scan.js';
import type { DownstreamSession, Frame, FramePeer, SessionInfo, Upstream } from './transport.js';

interface Pending {
  id: Id;
  method: string;
  tool?: string;
  /** The audit event of the request, parent of its result's event. */
  eventId: string;
  started: number;
  timer?: NodeJS.Timeout;
}

/** A request the gateway itself sent (to either side), waiting for its answer. */
type Waiter = (response: Json) => void;

const HISTORY = 100;
const RESTART_BACKOFF_MS = 1000;
/** With pins enforced on a 2026-07-28 connection, a tool list older than this is fetched again before a call. */
const MODERN_RELIST_MS = 5000;
/** How long a closing session waits for answers to requests already forwarded. */
const DRAIN_MS = 2000;

export class GatewaySession implements DownstreamSession {
  readonly #pending = new Map<string, Pending>();
  /** Ids of requests still being decided. */
  readonly #undecided = new Set<string>();
  readonly #waiters = new Map<string, Waiter>();
  /** The last definition the server sent for each tool, and its capability classes. */
  readonly #tools = new Map<string, { def: Json; capabilities: string[] }>();
  readonly #taint = new Set<string>();
  readonly #history: string[] = [];
  #toolsListed = false;
  #toolsStale = false;
  #listedAt = -Infinity;
  #calls = 0;
  #era: '2025' | '2026' | undefined;
  #client = '';
  #elicitation = false;
  /** The client's `initialize` and `notifications/initialized`, replayed to a restarted server. */
  #handshake: { init?: Json; initialized?: Json } = {};
  /** The `_meta` envelope of the client's latest 2026-era request, for requests the gateway sends itself. */
  #meta: Json | undefined;
  #starting: Promise<void> | undefined;
  #lastStartFailure = -Infinity;
  #everStarted = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #nextId = 0;
  /**
   * Server → client messages in arrival order. Each is prepared at once (results of a burst are
   * scanned and recorded together, so one commit covers them) and sent once all before it are.
   */
  readonly #outbox: { out?: Frame | null }[] = [];

  constructor(
    private readonly ctx: GatewayContext,
    private readonly upstream: Upstream,
    private readonly downstream: FramePeer,
    private readonly info: SessionInfo,
    private readonly audit: AuditRecorder,
  ) {
    void this.#ensureUpstream();
  }

  // ------------------------------------------------------------------------------------------
  // client → server
  // ------------------------------------------------------------------------------------------

  fromClient(frame: Frame): void {
    const m = frame.message;
    if (Array.isArray(m)) {
      // JSON-RPC batches (2025-03-26 only): each element is judged on its own.
      if (m.length === 0) this.#reply(errorResponse(null, ErrorCode.InvalidRequest, 'Invalid request: empty batch'));
      for (const item of m) this.fromClient({ message: item });
      return;
    }
    switch (kindOf(m)) {
      case 'invalid': {
        const id = isObject(m) && (typeof m['id'] === 'string' || typeof m['id'] === 'number') ? m['id'] : null;
        return this.#reply(errorResponse(id, ErrorCode.InvalidRequest, 'Invalid request: not a JSON-RPC 2.0 request, notification or response'));
      }
      case 'response': {
        const waiter = this.#waiters.get(idKey((m as Json)['id'] as Id));
        if (waiter) {
          this.#waiters.delete(idKey((m as Json)['id'] as Id));
          return waiter(m as Json);
        }
        return this.#toServer(frame);
      }
      case 'notification': {
        if ((m as Json)['method'] === 'notifications/initialized') this.#handshake.initialized = m as Json;
        return this.#toServer(frame);
      }
      case 'request':
        return this.#request(m as Json, frame);
    }
  }

  #request(m: Json, frame: Frame): void {
    const id = m['id'] as Id;
    const method = m['method'] as string;
    if (this.#pending.has(idKey(id)) || this.#undecided.has(idKey(id))) {
      return this.#reply(errorResponse(id, ErrorCode.InvalidRequest, `Invalid request: id ${JSON.stringify(id)} is already in use by a request still in flight`));
    }
    this.#observeClient(m, method);
    const started = performance.now();
    if (method === 'tools/call') return this.#deciding(id, this.#call(m, frame, started));
    if (method === 'resources/read' || method === 'prompts/get') return this.#deciding(id, this.#guarded(m, frame, started));
    // Not subject to policy: relayed now, in order; the record commits before any answer can arrive.
    const { id: eventId, committed } = this.audit.record({ method, decision: 'allow', rule: 'passthrough', reason: 'not subject to policy', outcome: 'forwarded' });
    committed.catch(() => {});
    this.#forward(m, frame, { id, method, eventId, started });
  }

  /** Deciding may wait (the store's commit, a tools/list refresh, a person's answer): the id stays taken meanwhile. */
  #deciding(id: Id, decision: Promise<void>): void {
    const key = idKey(id);
    this.#undecided.add(key);
    decision.catch((err: unknown) => this.#fail(id, err)).finally(() => this.#undecided.delete(key));
  }

  /** resources/read and prompts/get: the policy decides; there is no approval round trip for them, so ask refuses. */
  async #guarded(m: Json, frame: Frame, started: number): Promise<void> {
    const id = m['id'] as Id;
    const method = m['method'] as string;
    const params = paramsOf(m);
    const kind: ActionKind = method === 'resources/read' ? 'resource_read' : 'prompt_get';
    const uri = typeof params['uri'] === 'string' ? params['uri'] : undefined;
    const name = kind === 'prompt_get' ? String(params['name'] ?? '') : uri;
    const args = kind === 'prompt_get' ? (isObject(params['arguments']) ? params['arguments'] : {}) : { uri, ...(uri?.startsWith('file://') ? { path: filePathOf(uri) } : {}) };
    const action = this.#action(kind, name, args, []);
    const kill = this.ctx.kill.engaged();
    let d: Decision = kill ? { effect: 'deny', rule: 'kill-switch', reason: kill } : this.#decide(action);
    if (d.effect === 'redact') d = { ...d, effect: 'allow' };
    const allowed = d.effect === 'allow';
    const { id: eventId, committed } = this.audit.record({ method, ...(name ? { tool: name } : {}), args: (await redactedCopy(args)) as Json, decision: allowed ? decisionType(d) : 'deny', rule: d.rule, reason: d.reason, ...(d.owasp ? { owasp: d.owasp } : {}), outcome: allowed ? 'forwarded' : 'blocked', ...severityOf(d) });
    await committed;
    if (!allowed) return this.#reply(errorResponse(id, ErrorCode.Refused, `Warden blocked this request (${d.rule}): ${d.reason}`));
    this.#forward(m, frame, { id, method, eventId, started });
  }

  /** Learns who the client is and which era it speaks, from `initialize` or a 2026-era `_meta` envelope. */
  #observeClient(m: Json, method: string): void {
    if (method === 'initialize') {
      const params = paramsOf(m);
      this.#era = '2025';
      this.#handshake = { init: m };
      if (isObject(params['clientInfo'])) this.#setClient(params['clientInfo']['name']);
      this.#elicitation = isObject(params['capabilities']) && isObject(params['capabilities']['elicitation']);
      return;
    }
    const meta = metaOf(m);
    if (meta && typeof meta[META.protocolVersion] === 'string') {
      this.#era = '2026';
      this.#meta = { [META.protocolVersion]: meta[META.protocolVersion], ...(meta[META.clientInfo] ? { [META.clientInfo]: meta[META.clientInfo] } : {}), ...(meta[META.clientCapabilities] ? { [META.clientCapabilities]: meta[META.clientCapabilities] } : {}) };
      const info = meta[META.clientInfo];
      if (isObject(info) && !this.#client) this.#setClient(info['name']);
      const caps = meta[META.clientCapabilities];
      this.#elicitation = isObject(caps) && isObject(caps['elicitation']);
    }
  }

  #setClient(name: unknown): void {
    if (typeof name !== 'string' || name === '') return;
    this.#client = name.slice(0, 200);
    this.audit.agent = this.#client;
  }

  #action(kind: ActionKind, tool: string | undefined, args: Json, capabilities: string[]): Action {
    // Paths in the arguments carry their classes (credentials, env-file, ...), as in the hooks.
    return classifyAction(
      {
        kind,
        server: this.ctx.server,
        ...(tool !== undefined ? { tool } : {}),
        args,
        capabilities,
        ...(this.#client ? { client: this.#client, agent: { name: this.#client } } : {}),
        session: { id: this.info.id, taint: [...this.#taint], calls: this.#calls, history: [...this.#history] },
      },
      this.ctx.paths,
    );
  }

  /** The policy's decision, after the rate limits; an evaluation that throws denies. */
  #decide(action: Action): Decision {
    const builtIn = selfProtection(action, action.paths ?? [], this.ctx.paths.wardenHome);
    if (builtIn) return builtIn;
    try {
      return applyRateLimits(this.ctx.policy, this.ctx.limiter, action, decide(this.ctx.policy, action));
    } catch (err) {
      return { effect: 'deny', rule: 'evaluation-error', reason: `the policy could not be evaluated (${(err as Error).message}); denied` };
    }
  }

  /** Built-in checks that come before the rules; in monitor mode they only say what they would have done. */
  #guard(rule: string, effect: Decision['effect'], reason: string): Decision {
    return this.ctx.policy.mode === 'monitor' ? { effect: 'allow', rule, reason, wouldHave: effect } : { effect, rule, reason };
  }

  async #call(m: Json, frame: Frame, started: number): Promise<void> {
    const id = m['id'] as Id;
    const modern = metaOf(m)?.[META.protocolVersion] !== undefined;
    const retry = takeApprovalRetry(paramsOf(m));
    const params = retry.rest;
    const tool = typeof params['name'] === 'string' ? params['name'] : '';
    const args = isObject(params['arguments']) ? params['arguments'] : {};
    const known = await this.#definition(tool);
    const action = this.#action('tool_call', tool, args, known?.capabilities ?? this.#classify({ name: tool }));
    let d = this.#callDecision(action, known?.def);
    const auditArgs = (await redactedCopy(d.effect === 'redact' ? redactArguments(args, d.redact ?? []) : args)) as Json;
    const event = (decision: Decision, outcome: string, receipt?: string) => ({ method: 'tools/call', tool, args: auditArgs, decision: decisionType(decision), rule: decision.rule, reason: decision.reason, ...(decision.owasp ? { owasp: decision.owasp } : {}), outcome, ...(receipt ? { summary: `approval receipt ${receipt}` } : {}), ...severityOf(decision) });
    /** A refusal is the answer itself: committed before it is sent. */
    const record = (decision: Decision, outcome: string) => this.audit.record(event(decision, outcome)).committed;
    /** A forwarded call shares its result's commit (see AuditRecorder); while the store is failing, nothing is forwarded. */
    const recordForwarded = (decision: Decision, outcome: string, receipt?: string): string => {
      if (this.audit.refusing) throw new AuditUnavailable(this.audit.failing!);
      const r = this.audit.record(event(decision, outcome, receipt), { defer: true });
      r.committed.catch(() => {});
      return r.id;
    };

    let forwardParams = retry.token ? params : undefined;
    if (d.effect === 'ask') {
      const answer = await this.#approval(m, action, d, retry, auditArgs);
      if (!answer.ok) {
        if (answer.reply) {
          await record(d, 'approval-requested');
          return this.#reply({ jsonrpc: '2.0', id, result: answer.reply });
        }
        const denied: Decision = { ...d, effect: 'deny', reason: `${d.reason} ${answer.reason}` };
        await record(denied, answer.outcome);
        return this.#reply(toolErrorResult(id, `Warden blocked this call (${d.rule}): ${denied.reason}`, modern));
      }
      forwardParams = { ...params, _meta: { ...(isObject(params['_meta']) ? params['_meta'] : {}), 'dev.warden/receipt': answer.receipt } };
      d = { ...d, effect: 'allow', reason: `${d.reason} Approved by the user.` };
      const eventId = recordForwarded(d, 'approved', answer.receiptId);
      return this.#forwardCall(m, { ...m, params: forwardParams }, tool, eventId, started);
    }
    if (d.effect === 'deny') {
      await record(d, 'blocked');
      return this.#reply(toolErrorResult(id, `Warden blocked this call (${d.rule}): ${d.reason}`, modern));
    }
    const eventId = recordForwarded(d, d.effect === 'redact' ? 'redacted' : 'forwarded');
    if (d.effect === 'redact') forwardParams = { ...params, arguments: redactArguments(args, d.redact ?? []) };
    this.#forwardCall(m, forwardParams ? { ...m, params: forwardParams } : undefined, tool, eventId, started, frame);
  }

  #callDecision(action: Action, def: Json | undefined): Decision {
    const kill = this.ctx.kill.engaged();
    if (kill) return { effect: 'deny', rule: 'kill-switch', reason: kill };
    if (this.ctx.pins) {
      const pin = def ? this.ctx.pins.check(def) : this.ctx.pins.unseen(action.tool ?? '');
      if (!pin.ok && (def || this.ctx.policy.pinning.require)) return this.#guard(pin.rule, 'deny', pin.reason);
    }
    const arg = this.ctx.args.check(action.args ?? {});
    if (arg) return this.#guard(arg.rule, arg.effect, arg.reason);
    return this.#decide(action);
  }

  #forwardCall(original: Json, changed: Json | undefined, tool: string, eventId: string, started: number, frame?: Frame): void {
    this.#calls++;
    this.#history.push(tool);
    if (this.#history.length > HISTORY) this.#history.shift();
    const m = changed ?? original;
    this.#forward(m, changed ? { message: changed } : (frame ?? { message: m }), { id: original['id'] as Id, method: 'tools/call', tool, eventId, started });
  }

  /** Asks the person, by whichever channel this connection has. */
  async #approval(
    m: Json,
    action: Action,
    d: Decision,
    retry: { token?: string; answer?: unknown },
    shownArgs: Json,
  ): Promise<{ ok: true; receipt: string; receiptId: string } | { ok: false; reply?: Json; reason: string; outcome: string }> {
    const tool = action.tool ?? '';
    const digest = requestDigest('tools/call', tool, action.args, this.ctx.policy.version);
    const question = approvalQuestion(this.ctx.server, tool, shownArgs, d.reason);
    const grant = () => {
      const r = this.ctx.receipts.issue({ stage: 'approved', aud: this.ctx.server, method: 'tools/call', tool, digest, policy: this.ctx.policy.version }, this.ctx.approvalTtlMs);
      return { ok: true as const, receipt: r.token, receiptId: r.claims.id };
    };
    if (retry.token !== undefined) {
      const check = this.ctx.receipts.redeem(retry.token, { stage: 'pending', digest });
      if (!check.ok) return { ok: false, reason: `The approval was refused: ${check.reason}.`, outcome: 'approval-invalid' };
      return approved(retry.answer) ? grant() : { ok: false, reason: 'The user declined it.', outcome: 'declined' };
    }
    if (this.#era === '2026' && metaOf(m) && this.#elicitation) {
      const pending = this.ctx.receipts.issue({ stage: 'pending', aud: this.ctx.server, method: 'tools/call', tool, digest, policy: this.ctx.policy.version }, this.ctx.approvalTtlMs);
      return { ok: false, reply: inputRequiredResult(question, pending.token), reason: '', outcome: 'approval-requested' };
    }
    if (this.#era === '2025' && this.#elicitation) {
      const id = `warden-approval-${++this.#nextId}`;
      const answer = await this.#ask(this.downstream, id, elicitationRequest(id, question), this.ctx.approvalTtlMs);
      if (!answer) return { ok: false, reason: 'No answer came in time.', outcome: 'approval-timeout' };
      return approved(answer['result']) ? grant() : { ok: false, reason: 'The user declined it.', outcome: 'declined' };
    }
    return { ok: false, reason: 'It needs a person\'s approval, and this client cannot be asked (no elicitation support) and no approvals queue is configured, so it is denied.', outcome: 'blocked' };
  }

  /** Sends a request the gateway made up and waits for the answer (undefined on timeout). */
  #ask(peer: FramePeer, id: string, request: Json, timeoutMs: number): Promise<Json | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(idKey(id));
        resolve(undefined);
      }, timeoutMs);
      timer.unref();
      this.#waiters.set(idKey(id), (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      peer.send({ message: request });
    });
  }

  #forward(m: Json, frame: Frame, p: Pending): void {
    const key = idKey(p.id);
    if (this.ctx.requestTimeoutMs > 0) {
      p.timer = setTimeout(() => this.#timedOut(key), this.ctx.requestTimeoutMs);
      p.timer.unref();
    }
    this.#pending.set(key, p);
    this.#toServer(frame.message === m ? frame : { message: m });
  }

  #toServer(frame: Frame): void {
    if (this.upstream.connected && !this.#starting) return this.upstream.send(frame);
    void this.#ensureUpstream().then(() => {
      if (this.upstream.connected) this.upstream.send(frame);
      else this.#failPending(this.#lastReason, frame);
    });
  }

  // ------------------------------------------------------------------------------------------
  // upstream lifecycle
  // ------------------------------------------------------------------------------------------

  #lastReason = 'the server is not running';

  #ensureUpstream(): Promise<void> {
    if (this.upstream.connected || this.#closed) return this.#starting ?? Promise.resolve();
    if (this.#starting) return this.#starting;
    if (performance.now() - this.#lastStartFailure < RESTART_BACKOFF_MS) return Promise.resolve();
    const restart = this.#everStarted;
    this.#starting = (async () => {
      await this.upstream.start({
        frame: (f) => this.#fromServer(f),
        closed: (reason) => this.#upstreamClosed(reason),
        // Only the client's own requests: the gateway's (tool list refreshes, a replayed handshake) are its business.
        paused: (ids) => {
          const mine = ids.filter((id) => this.#pending.has(idKey(id)));
          if (mine.length > 0 && !this.#closed) this.downstream.paused?.(mine);
        },
      });
      if (!this.upstream.connected) {
        this.#lastStartFailure = performance.now();
        return;
      }
      this.#everStarted = true;
      if (restart) await this.#replayHandshake();
    })().finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  /** A restarted 2025-era server has not seen `initialize`: send the client's again, quietly. */
  async #replayHandshake(): Promise<void> {
    const init = this.#handshake.init;
    if (this.#era !== '2025' || !init) return;
    const id = `warden-replay-${++this.#nextId}`;
    const answer = await this.#ask(this.upstream, id, { ...init, id }, 30_000);
    if (!answer || answer['error']) this.ctx.warn(`the restarted server did not accept the replayed initialize${answer ? `: ${JSON.stringify(answer['error']).slice(0, 200)}` : ''}`);
    if (this.#handshake.initialized) this.upstream.send({ message: this.#handshake.initialized });
  }

  #upstreamClosed(reason: string): void {
    this.#lastReason = reason;
    if (this.#closed) return;
    this.ctx.warn(`${this.ctx.server}: ${reason}${this.#pending.size ? `; answering ${this.#pending.size} pending request(s) with an error` : ''}`);
    for (const key of [...this.#pending.keys()]) this.#settleWithError(key, `the server stopped (${reason}); Warden restarts it on the next request`, 'upstream-failed');
    for (const [key, waiter] of this.#waiters) if (key.startsWith('swarden-replay-')) waiter({ error: { message: reason } });
  }

  #failPending(reason: string, frame: Frame): void {
    const m = frame.message;
    if (kindOf(m) !== 'request') return;
    const key = idKey((m as Json)['id'] as Id);
    if (this.#pending.has(key)) this.#settleWithError(key, `the server is not running (${reason})`, 'upstream-failed');
    else this.#reply(errorResponse((m as Json)['id'] as Id, ErrorCode.UpstreamFailed, `Warden: the server is not running (${reason})`));
  }

  #timedOut(key: string): void {
    const p = this.#pending.get(key);
    if (!p) return;
    const seconds = Math.round(this.ctx.requestTimeoutMs / 1000);
    this.upstream.send({ message: { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: p.id, reason: `no answer in ${seconds} s` } } });
    this.#settleWithError(key, `the server did not answer within ${seconds} s; the request was cancelled`, 'timeout');
  }

  #settleWithError(key: string, message: string, outcome: string): void {
    const p = this.#pending.get(key);
    if (!p) return;
    this.#pending.delete(key);
    clearTimeout(p.timer);
    const { committed } = this.audit.record({ parentId: p.eventId, method: p.method, ...(p.tool ? { tool: p.tool } : {}), decision: 'allow', rule: 'upstream', reason: message, outcome, latencyMs: performance.now() - p.started });
    // The client is told either way: an error hides nothing from the model.
    const reply = { message: errorResponse(p.id, ErrorCode.UpstreamFailed, `Warden: ${message}`) };
    this.#later(committed.then(() => reply, () => reply));
  }

  #fail(id: Id, err: unknown): void {
    if (err instanceof AuditUnavailable) return this.#reply(errorResponse(id, ErrorCode.Refused, `Warden refused the request: ${err.message}`));
    this.ctx.warn(`internal error: ${(err as Error).stack ?? String(err)}`);
    this.#reply(errorResponse(id, ErrorCode.InternalError, `Warden: internal error (${(err as Error).message}); the request was not forwarded`));
  }

  // ------------------------------------------------------------------------------------------
  // server → client
  // ------------------------------------------------------------------------------------------

  #fromServer(frame: Frame): void {
    const m = frame.message;
    if (kindOf(m) === 'response') {
      const key = idKey((m as Json)['id'] as Id);
      const waiter = this.#waiters.get(key);
      if (waiter) {
        this.#waiters.delete(key);
        return waiter(m as Json);
      }
      const p = this.#pending.get(key);
      if (!p) {
        this.ctx.warn(`${this.ctx.server}: dropped a response to an unknown request id ${JSON.stringify((m as Json)['id']).slice(0, 80)}`);
        return;
      }
      this.#pending.delete(key);
      clearTimeout(p.timer);
      if (p.method === 'tools/list') {
        return this.#later(
          this.#filterToolList(m as Json).then(
            (list) => (list === m ? frame : { message: list }),
            (err: unknown) => ({ message: errorResponse(p.id, ErrorCode.Refused, `Warden withheld the tool list: ${(err as Error).message}`) }),
          ),
        );
      }
      if (p.method === 'tools/call') return this.#later(this.#finishCall(p, m as Json, frame));
      return this.#pass(frame);
    }
    if (kindOf(m) === 'notification' && (m as Json)['method'] === 'notifications/tools/list_changed') this.#toolsStale = true;
    this.#pass(frame);
  }

  /** A message that needs no preparation: sent now unless something before it is still being prepared. */
  #pass(frame: Frame): void {
    if (this.#outbox.length === 0) return this.#send(frame);
    this.#outbox.push({ out: frame });
  }

  /** A message being prepared: its place in the order is kept meanwhile. */
  #later(prepared: Promise<Frame | undefined>): void {
    const slot: { out?: Frame | null } = {};
    this.#outbox.push(slot);
    void prepared
      .then(
        (out) => (slot.out = out ?? null),
        (err: unknown) => {
          this.ctx.warn(`internal error: ${(err as Error).stack ?? String(err)}`);
          slot.out = null;
        },
      )
      .then(() => {
        while (this.#outbox.length > 0 && this.#outbox[0]!.out !== undefined) {
          const out = this.#outbox.shift()!.out;
          if (out) this.#send(out);
        }
      });
  }

  async #finishCall(p: Pending, m: Json, frame: Frame): Promise<Frame> {
    const latencyMs = performance.now() - p.started;
    const tool = p.tool ?? '';
    const capabilities = this.#tools.get(tool)?.capabilities ?? [];
    for (const c of ['untrusted-input', 'private-data']) if (capabilities.includes(c)) this.#taint.add(c);
    let out: Json = m;
    let findings: string[] = [];
    let outcome = isObject(m['result']) ? 'result' : 'error';
    if (isObject(m['result']) && m['result']['resultType'] !== 'input_required') {
      const scan = await scanToolResult(m['result'], this.ctx.policy.responses, this.ctx.policy.mode === 'enforce');
      findings = scan.findings;
      if (scan.injection) this.#taint.add('untrusted-input');
      if (scan.altered) {
        out = { ...m, result: scan.result };
        outcome = scan.blocked ? 'result-withheld' : 'result-altered';
      }
    }
    try {
      await this.audit.record({
        parentId: p.eventId,
        method: 'tools/call',
        tool,
        decision: outcome === 'result' || outcome === 'error' ? 'allow' : outcome === 'result-withheld' ? 'deny' : 'modify',
        rule: findings.length ? 'response-scan' : 'result',
        reason: findings.length ? `the result held ${findings.join(', ')}` : 'result relayed',
        outcome,
        latencyMs,
        summary: isObject(m['result']) ? summarizeResult(m['result']) : `error ${JSON.stringify(isObject(m['error']) ? m['error']['code'] : m['error']).slice(0, 40)}`,
        ...(findings.length ? { findings } : {}),
      }).committed;
    } catch (err) {
      // Fail closed: a result whose record cannot be written does not reach the model.
      return { message: errorResponse(p.id, ErrorCode.Refused, `Warden withheld the result: ${(err as Error).message}`) };
    }
    return out === m ? frame : { message: out };
  }

  // ------------------------------------------------------------------------------------------
  // tools: definitions, capabilities, list filtering
  // ------------------------------------------------------------------------------------------

  #classify(tool: Json): string[] {
    return [...classifyTool({ kind: 'tool', name: String(tool['name']), raw: tool }, { name: this.ctx.server }).capabilities];
  }

  /** The tools the model may see: pins and the policy decide; every definition is remembered for call time. */
  async #filterToolList(m: Json): Promise<Json> {
    const result = m['result'];
    if (!isObject(result) || !Array.isArray(result['tools'])) return m;
    const tools = result['tools'];
    this.#toolsListed = true;
    this.#toolsStale = false;
    this.#listedAt = performance.now();
    const records: Promise<void>[] = [];
    const visible = tools.filter((t) => {
      if (!isObject(t) || typeof t['name'] !== 'string') return true;
      const capabilities = this.#classify(t);
      this.#tools.set(t['name'], { def: t, capabilities });
      const pin = this.ctx.pins?.check(t);
      const d = pin && !pin.ok ? this.#guard(pin.rule, 'deny', pin.reason) : this.#decide(this.#action('tool_list', t['name'], {}, capabilities));
      if (d.effect === 'allow' && !d.wouldHave) return true;
      records.push(this.audit.record({ method: 'tools/list', tool: t['name'], decision: decisionType(d), rule: d.rule, reason: d.reason, ...(d.owasp ? { owasp: d.owasp } : {}), outcome: d.effect === 'allow' ? 'shown' : 'hidden' }).committed);
      return d.effect === 'allow';
    });
    // Fail closed: a list whose decisions cannot be recorded is not shown.
    await Promise.all(records);
    return visible.length === tools.length ? m : { ...m, result: { ...result, tools: visible } };
  }

  /**
   * The current definition of `tool`: from the last tools/list, fetched again when the server said
   * its tools changed or the client never listed them (needed only when pins are enforced).
   */
  async #definition(tool: string): Promise<{ def: Json; capabilities: string[] } | undefined> {
    // A 2026-07-28 server announces changes only to subscribers: re-list when our copy is old.
    const old = this.#era === '2026' && performance.now() - this.#listedAt > MODERN_RELIST_MS;
    if (this.ctx.pins && (this.#toolsStale || !this.#toolsListed || old)) await this.#refreshTools();
    return this.#tools.get(tool);
  }

  async #refreshTools(): Promise<void> {
    await this.#ensureUpstream();
    let cursor: unknown;
    for (let page = 0; page < 100; page++) {
      const id = `warden-list-${++this.#nextId}`;
      const params: Json = { ...(cursor !== undefined ? { cursor } : {}), ...(this.#era === '2026' && this.#meta ? { _meta: this.#meta } : {}) };
      const answer = await this.#ask(this.upstream, id, { jsonrpc: '2.0', id, method: 'tools/list', params }, 30_000);
      if (!answer || !isObject(answer['result']) || !Array.isArray(answer['result']['tools'])) return;
      if (page === 0) this.#tools.clear();
      for (const t of answer['result']['tools']) if (isObject(t) && typeof t['name'] === 'string') this.#tools.set(t['name'], { def: t, capabilities: this.#classify(t) });
      this.#toolsListed = true;
      this.#toolsStale = false;
      this.#listedAt = performance.now();
      cursor = answer['result']['nextCursor'];
      if (typeof cursor !== 'string' || cursor === '') return;
    }
  }

  // ------------------------------------------------------------------------------------------

  /** A message of the gateway's own (a refusal, an error, a question) to the client. */
  #reply(message: Json): void {
    this.#send({ message });
  }

  #send(frame: Frame): void {
    if (!this.#closed) this.downstream.send(frame);
  }

  /**
   * The client went away. Requests already on their way are given a moment to be answered (a
   * client that writes its last request and closes its input still gets the answer), then the
   * upstream connection is closed.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#starting;
      const deadline = performance.now() + DRAIN_MS;
      const busy = () => (this.#pending.size > 0 && this.upstream.connected) || this.#outbox.length > 0;
      while (busy() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      this.#closed = true;
      this.audit.flush();
      for (const p of this.#pending.values()) clearTimeout(p.timer);
      for (const waiter of this.#waiters.values()) waiter({ error: { message: 'the session closed' } });
      await this.upstream.close();
    })();
    return this.#closing;
  }
}

