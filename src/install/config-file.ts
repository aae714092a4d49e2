// Reading a client config exactly as it is on disk, and replacing it without losing anything
// the user had: its bytes are kept for the backup, its mode (and owner, when running as root)
// survive the atomic replace, and a file that changed while Warden was working is not clobbered.
import { chmodSync, chownSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { sep } from 'node:path';
import { writeFileAtomically } from '../inspect/atomic-file.js';
import { DEFAULT_MAX_BYTES, describeFsError, formatBytes } from '../parse/text.js';

export interface ConfigBytes {
  /** The path Warden was asked about (a symbolic link stays one). */
  path: string;
  /** The file actually read and replaced: `path` with links resolved. */
  target: string;
  bytes: Buffer;
  sha256: string;
  /** Decoded text without its byte-order mark; `bom` says whether one was there. */
  text: string;
  bom: boolean;
  mode: number;
  uid: number;
  gid: number;
}

export type ReadConfig = { ok: true; file: ConfigBytes } | { ok: false; missing: boolean; reason: string };

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Reads `path` for editing. A symbolic link is followed only when its target stays inside `root`
 * (the home or project being edited): a link a dotfile manager made inside the home is edited
 * through (the target changes, the link stays a link), but a link that leads out, such as a
 * repository's `.cursor/mcp.json` pointing at a file elsewhere on the machine, is refused, so
 * that running install on a tree never edits a file outside it. Refused too: files that are not
 * valid UTF-8 (the edit and the byte-exact undo both work on text), that have other hard links
 * (an atomic replace would silently split them), or that are not regular files.
 */
export function readConfig(path: string, root: string): ReadConfig {
  try {
    const link = lstatSync(path).isSymbolicLink();
    // Links anywhere on the way count, not only the file's own: a repository whose `.cursor`
    // folder links to the user's ~/.cursor must not get the user's config edited as its own.
    let target: string;
    try {
      target = realpathSync(path);
    } catch (err) {
      return { ok: false, missing: false, reason: link ? `broken symbolic link: ${describeFsError(err)}` : describeFsError(err) };
    }
    const realRoot = realpathSync(root);
    if (!target.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
      return { ok: false, missing: false, reason: `resolves through a symbolic link to ${target}, outside ${root}; Warden does not edit files outside the tree it was given (edit the target, or replace the link)` };
    }
    const st = statSync(target);
    if (!st.isFile()) return { ok: false, missing: false, reason: 'not a regular file' };
    if (st.nlink > 1) return { ok: false, missing: false, reason: `has ${st.nlink} hard links; replacing it would split them, so Warden leaves it alone` };
    if (st.size > DEFAULT_MAX_BYTES) return { ok: false, missing: false, reason: `file is ${formatBytes(st.size)}, over the ${formatBytes(DEFAULT_MAX_BYTES)} limit` };
    const bytes = readFileSync(target);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return { ok: false, missing: false, reason: 'not valid UTF-8; Warden edits only files it can restore exactly' };
    }
    const bom = text.charCodeAt(0) === 0xfeff;
    return {
      ok: true,
      file: { path, target, bytes, sha256: sha256(bytes), text: bom ? text.slice(1) : text, bom, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid },
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === 'ENOENT' || code === 'ENOTDIR', reason: describeFsError(err) };
  }
}

/** The bytes a text is written as; the byte-order mark goes back when the file had one. */
export function encodeConfig(text: string, bom: boolean): Buffer {
  return Buffer.from((bom ? '\ufeff' : '') + text, 'utf8');
}

/**
 * Replaces `file.target` with `bytes` (valid UTF-8), unless its content changed since it was read:
 * a client saving its config at the same moment wins, and the user is told to run again. The new
 * file gets the old one's mode (writeFileAtomically creates it 0600; the chmod only widens it back
 * to what the user had) and, when running as root, its owner.
 */
export function replaceConfig(file: ConfigBytes, bytes: Buffer): void {
  const now = readFileSync(file.target);
  if (!now.equals(file.bytes)) throw new Error(`${file.path} changed while Warden was editing it; nothing was written to it; run the command again`);
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  writeFileAtomically(file.target, text, { createDir: false });
  chmodSync(file.target, file.mode);
  if (process.getuid?.() === 0) {
    try {
      chownSync(file.target, file.uid, file.gid);
    } catch {
      // best effort: the content and mode are what matter to the client
    }
  }
  const written = readFileSync(file.target);
  if (!written.equals(bytes)) throw new Error(`${file.path}: what is on disk after writing is not what Warden wrote`);
}
