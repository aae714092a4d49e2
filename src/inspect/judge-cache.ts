// The judge's verdict cache: a 0600 JSON file of verdicts keyed by definition hash and model, so a
// second scan of the same servers sends nothing. Read defensively (a file another user can write
// could silence the judge; a corrupt one is ignored and rewritten), merged with what other runs
// wrote meanwhile, and replaced atomically. Separate from judge.ts, which asks the questions: this
// only stores answers, for the question version (`prompt`) judge.ts passes in.
import { closeSync, fstatSync, openSync, readSync, constants as fsConstants } from 'node:fs';
import { describeFsError, formatBytes } from '../parse/text.js';
import { writeFileAtomically } from './atomic-file.js';
import { SHA256_REF, dataObject, type JsonObject } from './canonical.js';
import { MAX_REASON_CHARS, VERDICTS, cleanText, isRecord } from './judge-verdict.js';

const MAX_CACHE_BYTES = 32 * 1024 * 1024;
const MAX_CACHE_ENTRIES = 20_000;

export interface CachedVerdict {
  verdict: 'malicious' | 'suspicious' | 'benign';
  confidence?: number;
  reason: string;
  at: string;
}

/** hash → model → verdict. */
export type CacheEntries = Map<string, Map<string, CachedVerdict>>;

const CACHE_VERSION = 1;

/** Reads the cache; anything wrong with it (missing, unreadable, corrupt, not ours) is an empty cache and a reason. */
export function readCache(file: string, prompt: string): { entries: CacheEntries; problem?: string } {
  const entries: CacheEntries = new Map();
  let fd: number;
  try {
    fd = openSync(file, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries };
    return { entries, problem: `cannot read the judge cache ${file}: ${describeFsError(err)}; ignored` };
  }
  let text: string;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { entries, problem: `the judge cache ${file} is not a regular file; ignored` };
    // Verdicts another user could write would let them silence the judge.
    if (typeof process.getuid === 'function' && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) {
      return { entries, problem: `the judge cache ${file} is writable by others or not owned by you; ignored` };
    }
    if (st.size > MAX_CACHE_BYTES) return { entries, problem: `the judge cache ${file} is ${formatBytes(st.size)}, over ${formatBytes(MAX_CACHE_BYTES)}; ignored` };
    const buf = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, buf, read, st.size - read, read);
      if (n === 0) break;
      read += n;
    }
    text = buf.subarray(0, read).toString('utf8');
  } catch (err) {
    return { entries, problem: `cannot read the judge cache ${file}: ${describeFsError(err)}; ignored` };
  } finally {
    closeSync(fd);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { entries, problem: `the judge cache ${file} is not valid JSON; ignored and rewritten` };
  }
  if (!isRecord(doc) || doc['version'] !== CACHE_VERSION || !isRecord(doc['entries'])) {
    return { entries, problem: `the judge cache ${file} is not a Warden judge cache (version ${CACHE_VERSION}); ignored and rewritten` };
  }
  // Verdicts given to another question are not answers to this one: dropped silently.
  if (doc['prompt'] !== prompt) return { entries };
  for (const [hash, byModel] of Object.entries(doc['entries'])) {
    if (!SHA256_REF.test(hash) || !isRecord(byModel)) continue;
    for (const [model, v] of Object.entries(byModel)) {
      const entry = validCached(v);
      if (!entry || model === '' || model.length > 256) continue;
      let m = entries.get(hash);
      if (!m) entries.set(hash, (m = new Map()));
      m.set(model, entry);
    }
  }
  return { entries };
}

function validCached(v: unknown): CachedVerdict | undefined {
  if (!isRecord(v) || typeof v['verdict'] !== 'string' || !VERDICTS.has(v['verdict']) || typeof v['reason'] !== 'string') return undefined;
  const c = v['confidence'];
  if (c !== undefined && !(typeof c === 'number' && c >= 0 && c <= 1)) return undefined;
  const at = typeof v['at'] === 'string' && !Number.isNaN(Date.parse(v['at'])) ? v['at'] : new Date(0).toISOString();
  return {
    verdict: v['verdict'] as CachedVerdict['verdict'],
    ...(typeof c === 'number' ? { confidence: c } : {}),
    reason: cleanText(v['reason'], MAX_REASON_CHARS),
    at,
  };
}

function formatCache(entries: CacheEntries, prompt: string): string {
  // Oldest entries go first when the cache is full.
  const flat: Array<[string, string, CachedVerdict]> = [];
  for (const [hash, byModel] of entries) for (const [model, v] of byModel) flat.push([hash, model, v]);
  flat.sort((a, b) => (a[2].at < b[2].at ? 1 : a[2].at > b[2].at ? -1 : 0));
  const kept = flat.slice(0, MAX_CACHE_ENTRIES);
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const out: JsonObject = dataObject();
  for (const [hash, model, v] of kept) {
    const byModel = (out[hash] ??= dataObject()) as JsonObject;
    byModel[model] = { verdict: v.verdict, ...(v.confidence !== undefined ? { confidence: v.confidence } : {}), reason: v.reason, at: v.at };
  }
  return `${JSON.stringify({ version: CACHE_VERSION, prompt, entries: out }, null, 1)}\n`;
}

/** Atomic replace, file 0600 in a 0700 directory (when Warden creates it). */
function writeCache(file: string, entries: CacheEntries, prompt: string): void {
  writeFileAtomically(file, formatCache(entries, prompt));
}

/**
 * Stores `cache` (the verdicts read before judging) and `fresh` (the ones just given) in `file`.
 * A cache that cannot be written costs a warning, never the verdicts.
 */
export function saveCache(file: string, prompt: string, cache: CacheEntries, fresh: CacheEntries, warn: (message: string) => void): void {
  // Re-read so that verdicts another Warden run wrote meanwhile are kept.
  const latest = fresh.size > 0 ? readCache(file, prompt).entries : new Map<string, Map<string, CachedVerdict>>();
  for (const [hash, byModel] of [...cache, ...fresh]) {
    let m = latest.get(hash);
    if (!m) latest.set(hash, (m = new Map()));
    for (const [k, v] of byModel) m.set(k, v);
  }
  try {
    writeCache(file, latest, prompt);
  } catch (err) {
    warn(`cannot write the judge cache ${file}: ${describeFsError(err)}; verdicts were not cached`);
  }
}
