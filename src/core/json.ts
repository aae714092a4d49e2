// Telling JSON shapes apart: every reader of untrusted JSON (configs, tool lists, policies,
// hook payloads, JSON-RPC frames) needs the same test for "a plain object".

/** A JSON object: not null, not an array. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
