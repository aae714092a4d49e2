// A policy for a process that lives for one decision (a hook): the validated document is kept in
// Warden's cache folder beside the exact text it came from, so the next hook compares texts and
// skips the YAML reader and the CEL compiler altogether; conditions are compiled only when an
// action reaches them (conditions.ts). A different text, a different Warden build, or an unreadable
// cache is a miss: the policy is read and validated in full, as every other command does, and an
// invalid policy is an error, never a fall-back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../inspect/atomic-file.js';
import { compilePolicy, type PolicyDocument, type PolicySpec } from './compile.js';
import { PolicyError } from './load-errors.js';
import { locatePolicy, type PolicyChoice } from './locate.js';

interface Snapshot {
  build: string;
  text: string;
  document: PolicyDocument;
}

/** FNV-1a of the source path: a file name per policy, no crypto needed (the text is compared in full). */
function nameOf(source: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < source.length; i++) h = Math.imul(h ^ source.charCodeAt(i), 0x01000193) >>> 0;
  return `policy-${h.toString(16).padStart(8, '0')}.json`;
}

/**
 * The policy `choice` selects, from `cacheDir` when its snapshot is current. `build` names the
 * Warden build: a new build may read the same text differently, so it does not trust old snapshots.
 */
export async function loadPolicySnapshot(choice: PolicyChoice, cacheDir: string, build: string): Promise<PolicySpec> {
  const { source, text } = locatePolicy(choice);
  const file = join(cacheDir, nameOf(source));
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    if (cached.build === build && cached.text === text && cached.document?.source === source) return compilePolicy(cached.document);
  } catch {
    // absent or unreadable: read the policy in full below
  }
  const { readPolicy } = await import('./load.js');
  const read = readPolicy(source, text);
  if (!read.document) throw new PolicyError(read.problems);
  try {
    writeFileAtomically(file, JSON.stringify({ build, text, document: read.document } satisfies Snapshot));
  } catch {
    // A cache that cannot be written costs the next hook a few milliseconds, nothing else.
  }
  return compilePolicy(read.document, (s) => read.conditions.get(s)!);
}
