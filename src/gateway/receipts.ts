// Scoped authorization receipts (the pattern in the MCP security best practices): when a person
// approves a high-risk call, the gateway signs what exactly was approved — a digest over the
// method, tool, canonical arguments and the policy version — with an expiry and a one-time id.
// A retried call must present a receipt whose digest matches what it now asks for, so an altered
// call (other arguments, other tool) or a replayed one (the id already spent) is refused, and the
// audit log records the receipt id that let each approved call through.
//
// Tokens are `base64url(JSON claims).base64url(HMAC-SHA256)` under a key kept in Warden's home
// (0600), so a receipt recorded in the audit log can be verified later by the same machine.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { canonicalJson } from '../inspect/canonical.js';

export interface ReceiptClaims {
  /** Receipt (and approval) id. */
  id: string;
  /** `pending`: the question was asked, the answer not yet given; `approved`: a person said yes. */
  stage: 'pending' | 'approved';
  /** The server the call goes to. */
  aud: string;
  method: string;
  tool: string;
  /** `sha256:<hex>` over method, tool, canonical arguments and policy version. */
  digest: string;
  policy: string;
  /** Expiry, milliseconds since the epoch. */
  exp: number;
}

export type ReceiptCheck = { ok: true; claims: ReceiptClaims } | { ok: false; reason: string };

/** What an approval is about: the request digest. */
export function requestDigest(method: string, tool: string, args: unknown, policyVersion: string): string {
  const text = canonicalJson({ method, tool, arguments: args ?? {}, policy: policyVersion });
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Loads the signing key from `path`, creating it (32 random bytes, mode 0600) on first use. */
export function loadReceiptKey(path: string): Buffer {
  try {
    const key = readFileSync(path);
    if (key.length >= 32) return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  // `wx`: never overwrite a key another gateway wrote a moment ago; read theirs instead.
  try {
    writeFileSync(path, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path);
    throw err;
  }
}

export class ReceiptSigner {
  /** Ids already spent, with their expiry: a receipt works once. */
  readonly #spent = new Map<string, number>();

  constructor(
    private readonly key: Buffer,
    private readonly clock: () => number = Date.now,
  ) {}

  issue(claims: Omit<ReceiptClaims, 'id' | 'exp'>, ttlMs: number): { token: string; claims: ReceiptClaims } {
    const full: ReceiptClaims = { ...claims, id: randomUUID(), exp: this.clock() + ttlMs };
    const body = b64(JSON.stringify(full));
    return { token: `${body}.${this.#mac(body)}`, claims: full };
  }

  /** Checks signature, expiry, stage and digest, then spends the id. */
  redeem(token: string, expect: { stage: ReceiptClaims['stage']; digest: string }): ReceiptCheck {
    const dot = token.indexOf('.');
    if (dot <= 0 || token.length > 4096) return { ok: false, reason: 'the approval token is malformed' };
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const want = Buffer.from(this.#mac(body), 'base64url');
    if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'the approval token is not signed by this gateway' };
    let claims: ReceiptClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ReceiptClaims;
    } catch {
      return { ok: false, reason: 'the approval token is malformed' };
    }
    const now = this.clock();
    if (claims.stage !== expect.stage) return { ok: false, reason: `the approval token is a ${claims.stage} token` };
    if (!(claims.exp > now)) return { ok: false, reason: 'the approval expired; ask again' };
    if (claims.digest !== expect.digest) return { ok: false, reason: 'the call differs from the one that was approved (tool or arguments changed)' };
    this.#prune(now);
    if (this.#spent.has(claims.id)) return { ok: false, reason: 'this approval was already used' };
    this.#spent.set(claims.id, claims.exp);
    return { ok: true, claims };
  }

  #mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  #prune(now: number): void {
    if (this.#spent.size < 1024) return;
    for (const [id, exp] of this.#spent) if (exp <= now) this.#spent.delete(id);
  }
}
