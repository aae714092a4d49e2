// Reports may hold paths and server names a user considers private: files Warden writes are
// created 0600 and replaced atomically, so a reader never sees half a report.
import { renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import { describeFsError } from '../parse/text.js';

export function writeOutput(file: string | undefined, text: string): void {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  writeFileAtomic(file, text);
}

export function writeFileAtomic(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was created
    }
    throw new UsageError(`-o ${file}: ${describeFsError(err)}`);
  }
}
