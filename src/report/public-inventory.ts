// The inventory as reports may show it. Scanning keeps every value of a server declaration in
// memory because rules need them; a report goes to CI logs, tickets and dashboards, so it keeps
// names and shapes and loses the values that authenticate: env and header values are dropped
// (only their names remain), and credentials embedded in URLs and command-line arguments are
// redacted with the same redact() that evidence uses.
import type { Inventory, ServerDecl } from '../core/types.js';
import { redact, redactUrl, redactUrlsIn } from '../detect/redact.js';

/** A server declaration as JSON, SARIF and other reports print it: no env or header values. */
export type PublicServer = Omit<ServerDecl, 'env' | 'headers'> & {
  /** Names of the environment variables the client sets; values are never reported. */
  envKeys: string[];
  /** Names of the HTTP headers the client sends; values are never reported. */
  headerNames: string[];
};

export interface PublicInventory {
  clients: Inventory['clients'];
  servers: PublicServer[];
  instructionFiles: Inventory['instructionFiles'];
  inspections?: Inventory['inspections'];
}

/** `--token`, `--api-key`, `--client-secret`, `--password`, `--auth`, ...: the flag's last word names a credential. */
const SECRET_FLAG = /^--?(?:[a-z0-9]+[-_])*(?:token|key|apikey|secret|password|passwd|auth|credentials?|pat)$/i;
/** Flags whose next argument is `NAME=VALUE` for the child's environment (docker/podman `-e`). */
const ENV_FLAG = /^(?:-e|--env)$/;
/** Flags whose next argument is an HTTP header `Name: value` (mcp-remote, curl-style). */
const HEADER_FLAG = /^(?:-H|--header)$/;

/**
 * Redacts credentials passed on a command line: `--token=VALUE` and `--api-key VALUE` (the value
 * through redact()), `-e NAME=VALUE` / `--env NAME=VALUE` (an environment value, like `env`),
 * `--header "Name: value"`, and credentials inside URL arguments. Other arguments are unchanged.
 */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    if (arg.startsWith('-') && eq > 0) {
      const flag = arg.slice(0, eq);
      const value = arg.slice(eq + 1);
      if (SECRET_FLAG.test(flag) && value !== '') out.push(`${flag}=${redact(value)}`);
      else if (ENV_FLAG.test(flag)) out.push(`${flag}=${redactEnvAssignment(value)}`);
      else if (HEADER_FLAG.test(flag)) out.push(`${flag}=${redactHeaderLine(value)}`);
      else out.push(redactUrlsIn(arg));
      continue;
    }
    out.push(redactUrlsIn(arg));
    const next = args[i + 1];
    if (next === undefined || next.startsWith('-')) continue;
    if (SECRET_FLAG.test(arg)) {
      out.push(redact(next));
      i++;
    } else if (ENV_FLAG.test(arg)) {
      out.push(redactEnvAssignment(next));
      i++;
    } else if (HEADER_FLAG.test(arg)) {
      out.push(redactHeaderLine(next));
      i++;
    }
  }
  return out;
}

/** `NAME=VALUE` → `NAME=<redacted>`; a bare `NAME` (inherit from the parent) stays. */
function redactEnvAssignment(s: string): string {
  const eq = s.indexOf('=');
  if (eq <= 0 || eq === s.length - 1) return s;
  return `${s.slice(0, eq)}=${redact(s.slice(eq + 1))}`;
}

/** `Authorization: Bearer x` → `Authorization: <redacted>`. */
function redactHeaderLine(s: string): string {
  const colon = s.indexOf(':');
  if (colon <= 0) return redact(s);
  const value = s.slice(colon + 1).trim();
  return value === '' ? s : `${s.slice(0, colon)}: ${redact(value)}`;
}

/** One server as reports show it; key order is the documented order of the JSON output. */
export function publicServer(s: ServerDecl): PublicServer {
  return {
    id: s.id,
    name: s.name,
    client: s.client,
    scope: s.scope,
    transport: s.transport,
    ...(s.command !== undefined ? { command: s.command } : {}),
    args: redactArgs(s.args),
    envKeys: Object.keys(s.env),
    ...(s.cwd !== undefined ? { cwd: s.cwd } : {}),
    ...(s.url !== undefined ? { url: redactUrl(s.url) } : {}),
    headerNames: Object.keys(s.headers),
    disabled: s.disabled,
    file: s.file,
    pointer: s.pointer,
    line: s.line,
    column: s.column,
  };
}

/** Deeper than any honest schema; a hostile server's 100,000-level nesting would overflow JSON.stringify. */
const MAX_REPORTED_DEPTH = 64;

function clampDepth(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth === 0) return `[nested deeper than ${MAX_REPORTED_DEPTH} levels: not shown]`;
  if (Array.isArray(value)) return value.map((v) => clampDepth(v, depth - 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = clampDepth(v, depth - 1);
  return out;
}

export function publicInventory(inventory: Inventory): PublicInventory {
  return {
    clients: inventory.clients,
    servers: inventory.servers.map(publicServer),
    instructionFiles: inventory.instructionFiles,
    // What servers sent is reported as sent: it is the evidence a reviewer checks findings against.
    ...(inventory.inspections ? { inspections: inventory.inspections.map((i) => ({ ...i, definitions: i.definitions.map((d) => ({ ...d, raw: clampDepth(d.raw, MAX_REPORTED_DEPTH) as Record<string, unknown> })) })) } : {}),
  };
}
