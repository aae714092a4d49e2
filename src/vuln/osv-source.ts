// The advisories in a file handed to `warden db update --from`: an OSV export as osv.dev publishes
// it (a ZIP of one JSON file per advisory), one advisory as JSON, a JSON list of advisories, or
// JSON Lines. Each comes out with where it came from (`all.zip!GHSA-xxxx.json`, `list.json[3]`,
// `feed.jsonl:12`) so every later error can name it. A file that cannot be read as any of these
// is an OsvSourceError naming the file, the entry and the line.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { describeFsError, formatBytes } from '../parse/exact-read.js';
import { DEFAULT_ZIP_LIMITS, ZipError, ZipReader, looksLikeZip, type ZipLimits } from './zip-reader.js';

export class OsvSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OsvSourceError';
  }
}

export interface SourceRecord {
  /** The file, and the entry or line within it. */
  where: string;
  value: unknown;
}

export interface SourceLimits extends ZipLimits {
  /** Largest plain JSON / JSON Lines file (a V8 string tops out near 512 MB). */
  maxJsonBytes: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = { ...DEFAULT_ZIP_LIMITS, maxJsonBytes: 400 * 1024 * 1024 };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Where JSON.parse failed, as line:column a person can find in an editor. V8 gives a position for
 * some errors only, so the text is parsed again (only on this failure path) by jsonc-parser in
 * strict mode, which always reports one.
 */
function jsonError(text: string, err: unknown): string {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return (err as Error).message.split('\n')[0]!;
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return `${printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} at line ${line}, column ${column}`;
}

function decode(bytes: Buffer, where: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new OsvSourceError(`${where}: not valid UTF-8 text`);
  }
}

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const n = readSync(fd, head, 0, 4, 0);
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The advisories in `path`, one at a time (a ZIP is never held in memory whole). */
export function* readOsvSource(path: string, limits: SourceLimits = DEFAULT_SOURCE_LIMITS): Generator<SourceRecord> {
  let head: Buffer;
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new OsvSourceError(`${path}: is a directory; give the export file (all.zip, or a JSON file)`);
    if (!st.isFile()) throw new OsvSourceError(`${path}: not a regular file`);
    size = st.size;
    head = readHead(path);
  } catch (err) {
    if (err instanceof OsvSourceError) throw err;
    throw new OsvSourceError(`${path}: ${describeFsError(err)}`);
  }
  if (looksLikeZip(head)) {
    yield* readZip(path, limits);
    return;
  }
  if (size > limits.maxJsonBytes) throw new OsvSourceError(`${path}: ${formatBytes(size)} of JSON, over the ${formatBytes(limits.maxJsonBytes)} limit; use the ZIP export`);
  let bytes: Buffer;
  try {
    bytes = Buffer.alloc(size);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, bytes, 0, size, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new OsvSourceError(`${path}: ${describeFsError(err)}`);
  }
  yield* readJsonText(decode(bytes, path), path);
}

function* readZip(path: string, limits: ZipLimits): Generator<SourceRecord> {
  let zip: ZipReader;
  try {
    zip = ZipReader.open(path, limits);
  } catch (err) {
    throw new OsvSourceError(`${path}: ${err instanceof ZipError ? err.message : describeFsError(err)}`);
  }
  try {
    for (const entry of zip.entries) {
      // osv.dev's archives hold only <ID>.json; anything else (a directory, a README) is not an advisory.
      if (entry.name.endsWith('/') || !entry.name.toLowerCase().endsWith('.json')) continue;
      const where = `${path}!${entry.name}`;
      let bytes: Buffer;
      try {
        bytes = zip.read(entry);
      } catch (err) {
        throw new OsvSourceError(`${path}: ${err instanceof ZipError ? err.message : `${entry.name}: ${describeFsError(err)}`}`);
      }
      const text = decode(bytes, where);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new OsvSourceError(`${where}: invalid JSON: ${jsonError(text, err)}`);
      }
      yield { where, value };
    }
  } finally {
    zip.close();
  }
}

/** One advisory, a list of them, or JSON Lines (one per line). */
function* readJsonText(text: string, path: string): Generator<SourceRecord> {
  const trimmed = text.trim();
  if (trimmed === '') throw new OsvSourceError(`${path}: empty file, expected OSV JSON (an advisory, a list of them, or JSON Lines) or a ZIP export`);
  let whole: unknown;
  let wholeError: unknown;
  try {
    whole = JSON.parse(text);
  } catch (err) {
    wholeError = err;
  }
  if (wholeError === undefined) {
    if (Array.isArray(whole)) {
      for (let i = 0; i < whole.length; i++) yield { where: `${path}[${i}]`, value: whole[i] };
    } else {
      yield { where: path, value: whole };
    }
    return;
  }
  // Not one JSON value: JSON Lines if its first record stands on a line of its own.
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  let firstIsRecord = false;
  try {
    firstIsRecord = typeof JSON.parse(lines[first]!) === 'object';
  } catch {
    firstIsRecord = false;
  }
  if (!firstIsRecord) throw new OsvSourceError(`${path}: invalid JSON: ${jsonError(text, wholeError)}`);
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new OsvSourceError(`${path}:${i + 1}: invalid JSON Lines record: ${jsonError(line, err).replace(/ at line 1, column/, ' at column')}`);
    }
    yield { where: `${path}:${i + 1}`, value };
  }
}
