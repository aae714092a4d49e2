// Reading files that may be hostile: too large, binary, not UTF-8, unreadable. Callers get text
// or a reason a human can read; nothing here throws for a bad file.
import { openSync, readSync, fstatSync, closeSync, constants } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Position } from '../core/types.js';
import { describeFsError, formatBytes } from './exact-read.js';

export { describeFsError, formatBytes, readExactUtf8, type ExactRead } from './exact-read.js';

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
