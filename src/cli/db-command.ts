// `warden db update --from FILE`: load an OSV export into the local vulnerability database, offline.
// The counts are the command's output (stdout); warnings and errors go to stderr. Exit 0 when the
// database was replaced, 1 when the import failed (the previous database is untouched), 2 for a
// usage error such as a --from file that does not exist.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { escapeInvisible as safe } from '../detect/unicode.js';
import { defaultVulnDbPath, importOsv, VulnDbError, type ImportReport } from '../vuln/osv-db.js';

export interface DbUpdateOptions {
  from?: string;
  db?: string;
  format?: 'text' | 'json';
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function summary(r: ImportReport): string {
  const skipped = Object.entries(r.skippedByEcosystem)
    .sort((a, b) => b[1] - a[1])
    .map(([ecosystem, n]) => `${safe(ecosystem)} ${n}`)
    .join(', ');
  return [
    `imported ${count(r.advisories, 'advisory', 'advisories')} (${r.withdrawn} withdrawn) for ${count(r.packages, 'package')} into ${safe(r.path)} in ${(r.durationMs / 1000).toFixed(1)} s`,
    `skipped: ${count(r.skippedPackages, 'affected package')} of ecosystems Warden does not match${skipped ? ` (${skipped})` : ''}; ${count(r.skippedAdvisories, 'advisory', 'advisories')} with nothing to match`,
    ...(r.invalidVersions > 0 ? [`invalid versions: ${r.invalidVersions} (ranges using them are reported as uncertain when they match)`] : []),
    ...(r.duplicates > 0 ? [`duplicates: ${count(r.duplicates, 'repeated advisory id')} (the latest modified kept)`] : []),
  ].join('\n') + '\n';
}

export async function runDbUpdate(options: DbUpdateOptions): Promise<number> {
  if (!options.from) {
    process.stderr.write('warden: db update: --from FILE is required (an OSV export: all.zip, or OSV JSON); --online is not available yet\n');
    return 2;
  }
  const from = resolve(options.from);
  if (!existsSync(from)) {
    process.stderr.write(`warden: db update: --from ${safe(from)}: no such file\n`);
    return 2;
  }
  try {
    const report = await importOsv(from, options.db ?? defaultVulnDbPath());
    for (const w of report.warnings) process.stderr.write(`warning: ${safe(w)}\n`);
    process.stdout.write(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
    return 0;
  } catch (err) {
    if (err instanceof VulnDbError) {
      process.stderr.write(`warden: db update: ${safe(err.message)}\nthe previous vulnerability database (if any) is unchanged\n`);
      return 1;
    }
    throw err;
  }
}
