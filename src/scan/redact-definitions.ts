// What servers sent goes into the report as evidence, but a server may quote a credential in a
// description or its instructions (its own API key, a token from its environment). Definitions
// are scanned once as JSON; only those holding a secret are walked and redacted string by string.
import type { McpDefinition, ServerInspection } from '../core/types.js';
import { redactSecretsIn, scanTextForSecrets } from '../detect/secrets.js';

async function redactValue(value: unknown, depth: number): Promise<unknown> {
  if (typeof value === 'string') return redactSecretsIn(value);
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) return Promise.all(value.map((v) => redactValue(v, depth + 1)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = await redactValue(v, depth + 1);
  return out;
}

function jsonOf(def: McpDefinition): string {
  try {
    return JSON.stringify(def.raw);
  } catch {
    return ''; // nested beyond what JSON.stringify can write; the report clamps it anyway
  }
}

/** Text per secret-detector call: one call for a typical machine, a few for 10,000 tools. */
const BATCH_CHARS = 4 * 1024 * 1024;

/**
 * Which definitions hold a secret. They are scanned as a few large texts rather than one call per
 * definition (the detector's cost per call dominates for thousands of short definitions).
 */
async function definitionsWithSecrets(defs: readonly McpDefinition[]): Promise<Set<McpDefinition>> {
  const found = new Set<McpDefinition>();
  let batch: { def: McpDefinition; start: number }[] = [];
  let parts: string[] = [];
  let size = 0;
  const flush = async () => {
    if (parts.length === 0) return;
    const matches = await scanTextForSecrets(parts.join('\n'));
    for (const m of matches) {
      // The last definition starting at or before the match holds it.
      let lo = 0;
      let hi = batch.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (batch[mid]!.start <= m.offset) lo = mid;
        else hi = mid - 1;
      }
      found.add(batch[lo]!.def);
    }
    batch = [];
    parts = [];
    size = 0;
  };
  for (const def of defs) {
    const text = jsonOf(def);
    batch.push({ def, start: size });
    parts.push(text);
    size += text.length + 1;
    if (size >= BATCH_CHARS) await flush();
  }
  await flush();
  return found;
}

/** The inspections with every credential inside a definition redacted (first 4 characters kept). */
export async function redactInspections(inspections: readonly ServerInspection[]): Promise<ServerInspection[]> {
  const secret = await definitionsWithSecrets(inspections.flatMap((i) => i.definitions));
  if (secret.size === 0) return [...inspections];
  const out: ServerInspection[] = [];
  for (const i of inspections) {
    const definitions: McpDefinition[] = [];
    for (const d of i.definitions) definitions.push(secret.has(d) ? { ...d, raw: (await redactValue(d.raw, 0)) as Record<string, unknown> } : d);
    out.push({ ...i, definitions });
  }
  return out;
}
