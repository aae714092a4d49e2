// Everything a gateway session consults, built once at start-up and shared by every session of
// the process: the compiled policy and its rate limiter, pins, argument checks, the kill switch,
// the receipt signer. Building it is where an invalid policy, lockfile or key stops the start.
import { homedir } from 'node:os';
import { wardenHome } from '../core/warden-home.js';
import type { PolicySpec } from '../policy/load.js';
import { RateLimiter } from '../policy/rate-limit.js';
import { ArgumentChecker } from './argument-checks.js';
import type { KillSwitch } from './kill-switch.js';
import type { PinSet } from './pinning.js';
import type { ReceiptSigner } from './receipts.js';

export interface GatewayContext {
  /** The server's name in policy rules and the audit log. */
  server: string;
  policy: PolicySpec;
  limiter: RateLimiter;
  pins: PinSet | undefined;
  args: ArgumentChecker;
  kill: KillSwitch;
  receipts: ReceiptSigner;
  /** How long a person has to answer, and how long an approval stays valid. */
  approvalTtlMs: number;
  /** A forwarded request without an answer after this long is cancelled (0: never). */
  requestTimeoutMs: number;
  /** Operator notes (stderr): never sent to the client. */
  warn(line: string): void;
  /** Where relative path arguments are resolved, the home `~` means, and Warden's state folder (self-protection). */
  paths: { cwd: string; home: string; wardenHome: string };
}

export function gatewayContext(o: Omit<GatewayContext, 'limiter' | 'args' | 'paths'> & { cwd?: string }): GatewayContext {
  const { cwd, ...rest } = o;
  return {
    ...rest,
    limiter: new RateLimiter(o.policy.rateLimits),
    args: new ArgumentChecker(o.policy.arguments, cwd),
    paths: { cwd: cwd ?? process.cwd(), home: homedir(), wardenHome: wardenHome() },
  };
}
