// Reading a file the user handed Warden on purpose, exactly as written, and wording file-system
// errors for people. Apart from text.ts (which hashes what it reads) so that a hook can read its
// policy without loading node:crypto, whose start-up alone is a few milliseconds of every agent action.
import { readFileSync, statSync } from 'node:fs';

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
