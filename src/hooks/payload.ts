// Reading hook payloads leniently: only what a decision needs is required, unknown fields are
// ignored (agents add some in every release), and a wrong type is an error naming the field.
import { isObject } from '../core/json.js';
import type { HookRequest, Phase } from './types.js';

export class HookInputError extends Error {}

/** Payloads are a few KB; a file read's `content` can be large, but never this large. */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

export function parsePayload(text: string): Record<string, unknown> {
  if (text.trim() === '') throw new HookInputError('the hook payload on standard input is empty; expected one JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HookInputError(`the hook payload is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(value)) throw new HookInputError(`the hook payload must be a JSON object, found ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}`);
  return value;
}

export function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new HookInputError(`payload field "${key}": expected a string, found ${Array.isArray(v) ? 'a list' : typeof v}`);
  return v;
}

export function requiredString(o: Record<string, unknown>, key: string): string {
  const v = optionalString(o, key);
  if (v === undefined) throw new HookInputError(`payload field "${key}" is missing`);
  return v;
}

/** First present of several names for one field (agents renamed fields between versions). */
export function firstString(o: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = optionalString(o, k);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Tool arguments: an object, or (Copilot's toolArgs, Cursor's MCP tool_input) the JSON text of one. */
export function toolInput(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = o[key];
  if (v === undefined || v === null) return {};
  if (isObject(v)) return v;
  if (typeof v === 'string') {
    if (v.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw new HookInputError(`payload field "${key}": expected an object or the JSON text of one, found text that is not JSON`);
    }
    if (isObject(parsed)) return parsed;
    throw new HookInputError(`payload field "${key}": the JSON text does not hold an object`);
  }
  throw new HookInputError(`payload field "${key}": expected an object, found ${Array.isArray(v) ? 'a list' : typeof v}`);
}

/** The working directory: the payload's, else the first workspace root (Cursor), else the process's. */
export function cwdOf(o: Record<string, unknown>): string {
  const cwd = optionalString(o, 'cwd');
  if (cwd) return cwd;
  const roots = o['workspace_roots'];
  if (Array.isArray(roots) && typeof roots[0] === 'string' && roots[0]) return roots[0];
  return process.cwd();
}

/** The phase of an event by an agent's table; no event (a payload that does not say) is pre-tool. */
export function phaseIn(table: Readonly<Record<string, Phase>>): (event: string | undefined) => Phase {
  return (event) => (event === undefined ? 'pre-tool' : Object.hasOwn(table, event) ? table[event]! : 'other');
}

/** Where an agent's payload keeps the session, the tool, its arguments and its output. */
export interface FieldNames {
  session: string;
  tool: string;
  input: string;
  output: string;
}

/** Claude Code's names, which Gemini CLI and Codex use too. */
export const SNAKE_CASE: FieldNames = { session: 'session_id', tool: 'tool_name', input: 'tool_input', output: 'tool_response' };

/** A request from a payload whose tool events carry tool, input (and output), and prompt events `prompt`. */
export function readRequest(payload: Record<string, unknown>, event: string, phase: Phase, f: FieldNames): HookRequest {
  const session = optionalString(payload, f.session);
  const req: HookRequest = { event, phase, cwd: cwdOf(payload), ...(session ? { session } : {}) };
  if (phase === 'pre-tool' || phase === 'post-tool' || phase === 'permission') {
    req.tool = requiredString(payload, f.tool);
    req.input = toolInput(payload, f.input);
    if (phase === 'post-tool') req.output = payload[f.output];
  } else if (phase === 'prompt') req.prompt = requiredString(payload, 'prompt');
  return req;
}
