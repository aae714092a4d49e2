// Reports may hold paths and server names a user considers private: files Warden writes are
// created 0600 and replaced atomically, so a reader never sees half a report.
import { writeFileAtomically } from '../inspect/atomic-file.js';
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
  try {
    writeFileAtomically(file, text, { createDir: false });
  } catch (err) {
    throw new UsageError(`-o ${file}: ${describeFsError(err)}`);
  }
}
