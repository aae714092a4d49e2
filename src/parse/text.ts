// Reading files that may be hostile: too large, binary, not UTF-8, unreadable. Callers get text
// or a reason a human can read; nothing here throws for a bad file.
import { openSync, readSync, fstatSync, closeSync, constants, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Position } from '../core/types.js';

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export type ReadResult =
  | { ok: true; text: string; bytes: number; mode: number; sha256: string; note?: string }
  | { ok: false; status: 'not-present' | 'unreadable'; detail: string };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false });

export function readTextFile(path: string, maxBytes = DEFAULT_MAX_BYTES): ReadResult {
  let fd: number;
  try {
    // Non-blocking open: a FIFO planted where a config should be must not hang the scan.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, status: 'not-present', detail: 'no such file' };
    return { ok: false, status: 'unreadable', detail: describeFsError(err) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, status: 'unreadable', detail: 'is a directory, expected a file' };
    if (!st.isFile()) return { ok: false, status: 'unreadable', detail: 'not a regular file (device, FIFO or socket); skipped' };
    if (st.size > maxBytes) {
      return { ok: false, status: 'unreadable', detail: `file is ${formatBytes(st.size)}, over the ${formatBytes(maxBytes)} limit; skipped` };
    }
    const buf = Buffer.allocUnsafe(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, buf, read, st.size - read, read);
      if (n === 0) break;
      read += n;
    }
    const bytes = buf.subarray(0, read);
    if (looksBinary(bytes)) return { ok: false, status: 'unreadable', detail: 'binary file (NUL bytes), not text; skipped' };
    let text: string;
    let note: string | undefined;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      text = lenientUtf8.decode(bytes);
      note = 'not valid UTF-8; invalid bytes were read as U+FFFD';
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { ok: true, text, bytes: read, mode: st.mode, sha256, ...(note ? { note } : {}) };
  } catch (err) {
    return { ok: false, status: 'unreadable', detail: describeFsError(err) };
  } finally {
    closeSync(fd);
  }
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EISDIR':
      return 'is a directory, expected a file';
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file';
    default:
      return e.code ? `${e.code}: ${e.message}` : String(e.message ?? err);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

/** Maps character offsets to 1-based line/column, built once per text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
  }
}

export type ExactRead =
  | { ok: true; text: string }
  | { ok: false; problem: 'unreadable' | 'not-a-file' | 'too-large' | 'not-utf8'; detail: string; bytes?: number };

/**
 * Reads a file the user handed Warden on purpose (`warden tools FILE`, a policy), or standard
 * input when `path` is 0, exactly as written: unlike a config found on disk (read leniently so one
 * bad byte cannot hide a server), invalid UTF-8 is refused, and so is anything over `maxBytes`.
 * Each caller words the problem for its own file.
 */
export function readExactUtf8(path: string | 0, maxBytes: number): ExactRead {
  let buf: Buffer;
  try {
    if (path !== 0) {
      const st = statSync(path);
      if (!st.isFile()) return { ok: false, problem: 'not-a-file', detail: 'not a regular file' };
      if (st.size > maxBytes) return { ok: false, problem: 'too-large', detail: `${formatBytes(st.size)} over the ${formatBytes(maxBytes)} limit`, bytes: st.size };
    }
    buf = readFileSync(path);
  } catch (err) {
    return { ok: false, problem: 'unreadable', detail: describeFsError(err) };
  }
  if (buf.length > maxBytes) return { ok: false, problem: 'too-large', detail: `${formatBytes(buf.length)} over the ${formatBytes(maxBytes)} limit`, bytes: buf.length };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(buf) };
  } catch {
    return { ok: false, problem: 'not-utf8', detail: 'not valid UTF-8' };
  }
}
