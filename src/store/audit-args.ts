// What the audit log keeps of a call's arguments, in one shape for the gateway and the hooks: long
// strings cut, deep or wide values bounded, a value under a credential-like key (`password`,
// `apiKey`, `token`) replaced whatever it looks like (the log can afford to hide a weak password
// that format detection would let through), every other string passed through `redactString`.
// The caller picks `redactString`: the full secret detectors, or (a hook whose arguments the
// keyword pass cleared) only the URL redaction, so a hook need not load secretlint for an `ls`.
import { secretNameClass } from '../detect/secret-patterns.js';

const MAX_DEPTH = 16;
const MAX_STRING = 4096;
const MAX_ITEMS = 1000;

export async function auditCopy(v: unknown, redactString: (s: string) => string | Promise<string>, depth = 0): Promise<unknown> {
  if (typeof v === 'string') return redactString(v.length > MAX_STRING ? `${v.slice(0, MAX_STRING)}…(${v.length} chars)` : v);
  if (v === null || typeof v !== 'object') return v;
  if (depth >= MAX_DEPTH) return '…(nested deeper)';
  if (Array.isArray(v)) return Promise.all(v.slice(0, MAX_ITEMS).map((x) => auditCopy(x, redactString, depth + 1)));
  const out: Record<string, unknown> = {};
  // Nothing of a value under a credential name is kept: a prefix of a short password is most of it.
  for (const [k, x] of Object.entries(v).slice(0, MAX_ITEMS)) out[k] = typeof x === 'string' && x !== '' && secretNameClass(k) ? `[redacted: ${x.length} chars]` : await auditCopy(x, redactString, depth + 1);
  return out;
}
