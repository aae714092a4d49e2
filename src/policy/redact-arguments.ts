// A `redact` decision applied: the call's arguments with the values its JSON pointers name replaced,
// for the gateway (the call it forwards, the audit record) and the hooks (the rewritten input).
// Pointers that lead nowhere are skipped: a rule may name an argument a call does not have.
import { isObject } from '../core/json.js';
import { fromPointer } from '../core/json-pointer.js';

export const REDACTED = '[redacted by Warden]';

export function redactArguments<T extends Record<string, unknown>>(args: T, pointers: readonly string[]): T {
  const copy = structuredClone(args);
  for (const pointer of pointers) {
    const parts = fromPointer(pointer);
    let node: unknown = copy;
    for (let i = 0; i < parts.length - 1 && (isObject(node) || Array.isArray(node)); i++) node = (node as Record<string, unknown>)[parts[i]!];
    const last = parts[parts.length - 1];
    if (last !== undefined && (isObject(node) || Array.isArray(node)) && Object.hasOwn(node, last)) (node as Record<string, unknown>)[last] = REDACTED;
  }
  return copy;
}
