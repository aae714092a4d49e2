// The inventory as reports may show it. Scanning keeps every value of a server declaration in
// memory because rules need them; a report goes to CI logs, tickets and dashboards, so it keeps
// names and shapes and loses the values that authenticate: env and header values are dropped
// (only their names remain), and credentials embedded in URLs and command-line arguments are
// redacted with the same redact() that evidence uses.
import type { Inventory, ServerDecl } from '../core/types.js';
import { redactArgs, redactUrl } from '../detect/redact.js';

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
