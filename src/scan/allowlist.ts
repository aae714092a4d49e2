// The organisation's list of approved servers, given with --allowlist FILE (YAML or JSON): either
// a list of entries or `{ servers: [...] }`. An entry is a server name, a package name, an image
// name or a URL prefix. (Issue 7 moves this into warden.yaml's `registry` section.)
import { parseConfig, ConfigParseError } from '../parse/document.js';
import { readTextFile } from '../parse/text.js';
import { UsageError } from '../core/errors.js';
import type { Allowlist } from '../rules/rule.js';

export function loadAllowlist(file: string): Allowlist {
  const read = readTextFile(file, 4 * 1024 * 1024);
  if (!read.ok) throw new UsageError(`--allowlist ${file}: ${read.detail}`);
  let data: unknown;
  try {
    data = parseConfig(file, read.text, /\.json$/i.test(file) ? 'jsonc' : 'yaml').data;
  } catch (err) {
    if (err instanceof ConfigParseError) throw new UsageError(err.message);
    throw err;
  }
  const list = Array.isArray(data) ? data : (data as { servers?: unknown } | null)?.servers;
  if (!Array.isArray(list)) throw new UsageError(`${file}: expected a list of approved servers, or an object with a "servers" list`);
  const entries: string[] = [];
  list.forEach((e, i) => {
    if (typeof e === 'string' && e.trim()) entries.push(e.trim());
    else throw new UsageError(`${file}: entry ${i + 1} must be a non-empty string (server name, package, image or URL prefix)`);
  });
  return { file, entries };
}
