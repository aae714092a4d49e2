// Every file and folder under a directory, for "nothing was written" and "undone exactly" checks:
// files as their bytes (base64), folders and symbolic links marked.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

export function fileTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isSymbolicLink()) out.set(relative(dir, p), `link:${readlinkSync(p)}`);
      else if (e.isDirectory()) {
        out.set(relative(dir, p), 'dir');
        walk(p);
      } else out.set(relative(dir, p), readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return out;
}
