// Replacing a file that may hold private data (the lockfile, the judge's verdict cache) so that a
// reader sees the old file or the new one, never half of one: written 0600 to a temporary file
// beside it, flushed to disk, then renamed over it. Its own module because both writers need the
// same steps and neither owns them; cli/output.ts uses it for reports too. Errors are thrown as
// they come: each caller words them for its own file.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Atomic replace, file 0600 in a 0700 directory (when Warden creates it). `createDir: false` for a
 * path the user typed (`-o`): a missing folder is their typo, not something to create.
 */
let written = 0;

export function writeFileAtomically(path: string, text: string, o: { createDir?: boolean } = {}): void {
  const dir = dirname(path);
  // Unique per process and call; 'wx' (O_EXCL) refuses a name someone planted, link or file.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.${written++}.tmp`);
  let fd: number | undefined;
  try {
    if (o.createDir !== false) mkdirSync(dir, { recursive: true, mode: 0o700 });
    fd = openSync(tmp, 'wx', 0o600);
    writeSync(fd, text, null, 'utf8');
    // On disk before the rename: a crash must not leave an empty file behind a valid name.
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was created
    }
    throw err;
  }
}
