// The local vulnerability database: OSV advisories in one SQLite file ($WARDEN_HOME/vuln.db), so
// matching works offline. An import never edits the database in place: it builds a new file in
// one transaction and renames it over the old one only once complete, so a damaged export, a
// full disk or a killed process leaves the previous database exactly as it was. Tables are
// STRICT and the file carries its own application_id, so --db pointed at somebody else's SQLite
// file is refused rather than replaced.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { wardenHome } from '../core/warden-home.js';
import { describeFsError } from '../parse/exact-read.js';
import { ecosystemByOsvName } from './ecosystems.js';
import { OsvRecordError, parseOsvRecord, type OsvAdvisory } from './osv-record.js';
import { DEFAULT_SOURCE_LIMITS, OsvSourceError, readOsvSource, type SourceLimits } from './osv-source.js';
import { isValidVersion, isVersionRange, listVersions, unreadableBounds, type OsvRange } from './versions.js';

type Database = BetterSqlite3.Database;

/** `~/.warden/vuln.db`, or under `$WARDEN_HOME`. */
export function defaultVulnDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(wardenHome(env), 'vuln.db');
}

/** Anything wrong with an import or the database, worded for a person and naming the file. */
export class VulnDbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VulnDbError';
  }
}

// 'Wvul' in the header: not the audit store's 'Ward', so one can never be opened as the other.
const APPLICATION_ID = 0x5776756c;

// Migration N (1-based) brings user_version from N-1 to N. Append only.
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE advisories (
     id             TEXT PRIMARY KEY,
     aliases        TEXT NOT NULL,   -- JSON list (CVE-..., GHSA-...)
     summary        TEXT,
     severity       TEXT NOT NULL,   -- JSON list of {type, score} (CVSS vectors)
     severity_label TEXT,            -- the database's own rating (GHSA: LOW..CRITICAL)
     modified       TEXT NOT NULL,
     published      TEXT,
     withdrawn      TEXT
   ) STRICT, WITHOUT ROWID;
   -- One row per affected[] entry Warden can match: the ranges and versions as OSV gives them,
   -- evaluated at match time (versions.ts) since ordering is per ecosystem, not SQL's. Keyed by
   -- package so one package's rows sit together on disk: a lookup reads a page or two instead of
   -- one page per advisory scattered in import order.
   CREATE TABLE affected (
     ecosystem   TEXT NOT NULL,
     name        TEXT NOT NULL,   -- normalised (PEP 503 for PyPI), the lookup key
     advisory_id TEXT NOT NULL REFERENCES advisories (id),
     entry       INTEGER NOT NULL, -- its index in the advisory's affected[]
     ranges      TEXT NOT NULL,   -- JSON list of SEMVER / ECOSYSTEM ranges
     -- The versions list canonicalised at import (versions.ts listVersions: 1.0 and 1.0.0 are one
     -- key), so matching looks versions up instead of parsing each; the rest kept verbatim.
     version_keys   TEXT NOT NULL, -- JSON list
     other_versions TEXT NOT NULL, -- JSON list
     PRIMARY KEY (ecosystem, name, advisory_id, entry)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX affected_advisory ON affected (advisory_id);
   CREATE TABLE imports (
     imported_at TEXT NOT NULL,
     source      TEXT NOT NULL,
     report      TEXT NOT NULL    -- JSON: the counts printed by warden db update
   ) STRICT;`,
];
export const VULN_SCHEMA_VERSION = MIGRATIONS.length;

export interface ImportReport {
  /** The database written. */
  path: string;
  source: string;
  /** Advisories stored (withdrawn ones included: matching leaves them out, listing them says why). */
  advisories: number;
  withdrawn: number;
  /** Distinct packages (ecosystem, name) with at least one advisory. */
  packages: number;
  /** affected[] entries stored. */
  affectedEntries: number;
  /** affected[] entries of ecosystems Warden cannot evaluate, by ecosystem. */
  skippedByEcosystem: Record<string, number>;
  skippedPackages: number;
  /** Advisories with nothing Warden can match (only other ecosystems, or only GIT ranges). */
  skippedAdvisories: number;
  /** Version strings in ranges or lists that are not versions of their ecosystem. */
  invalidVersions: number;
  /** Records whose id was seen before in this import: the latest `modified` is kept. */
  duplicates: number;
  /** The first few problems worth a person's look, each naming the file and entry. */
  warnings: string[];
  durationMs: number;
}

const MAX_WARNINGS = 20;

/** better-sqlite3, loaded on first use: matching is part of scans that otherwise never load a native addon. */
async function loadDriver(): Promise<typeof BetterSqlite3> {
  try {
    return (await import('better-sqlite3')).default;
  } catch (err) {
    throw new VulnDbError(`the vulnerability database needs the better-sqlite3 native addon, which did not load (${(err as Error).message.split('\n')[0]}); reinstall Warden`);
  }
}

/** SQLite's error in words, naming the file. */
function sqliteProblem(file: string, err: unknown, doing: string): VulnDbError {
  if (err instanceof VulnDbError) return err;
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const why = code === 'SQLITE_NOTADB'
    ? 'not an SQLite database'
    : code.startsWith('SQLITE_CORRUPT')
      ? 'the database is damaged; run `warden db update` to rebuild it'
      : code === 'SQLITE_FULL'
        ? 'the disk is full'
        : code.startsWith('SQLITE_CANTOPEN')
          ? 'cannot open the file (is its directory writable?)'
          : (e.message ?? String(err));
  return new VulnDbError(`${file}: ${doing}: ${why}`);
}

/** Throws unless `db` is a Warden vulnerability database of a schema this version reads. */
function checkIdentity(db: Database, file: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId !== APPLICATION_ID) throw new VulnDbError(`${file}: an SQLite database, but not a Warden vulnerability database; choose another file`);
  if (version > VULN_SCHEMA_VERSION) throw new VulnDbError(`${file}: written by a newer Warden (schema version ${version}; this one reads up to ${VULN_SCHEMA_VERSION}); upgrade Warden`);
  if (version < VULN_SCHEMA_VERSION) throw new VulnDbError(`${file}: written by an older Warden (schema version ${version}); run \`warden db update\` to rebuild it`);
}

/** An existing file at the destination must be ours before an import may replace it. */
function checkReplaceable(Driver: typeof BetterSqlite3, file: string): void {
  if (!existsSync(file)) return;
  if (statSync(file).isDirectory()) throw new VulnDbError(`${file}: is a directory, expected the vulnerability database file`);
  if (statSync(file).size === 0) return;
  let db: Database | undefined;
  try {
    db = new Driver(file, { readonly: true, fileMustExist: true });
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID) throw new VulnDbError(`${file}: an SQLite database, but not a Warden vulnerability database; not replacing it (choose another --db)`);
  } catch (err) {
    if (err instanceof VulnDbError) throw err;
    if ((err as { code?: string }).code === 'SQLITE_NOTADB') throw new VulnDbError(`${file}: exists and is not a Warden vulnerability database; not replacing it (choose another --db)`);
    throw sqliteProblem(file, err, 'cannot check the existing database');
  } finally {
    db?.close();
  }
}

/**
 * Temporary files of imports that were killed before finishing (the database they would have
 * replaced is intact): removed when the process that wrote them is gone.
 */
function removeAbandonedImports(target: string): void {
  const prefix = `${basename(target)}.import-`;
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) ? Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]) : NaN;
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue; // still running: another import in progress
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') continue;
    }
    rmSync(join(dirname(target), name), { force: true });
  }
}

/** The old database's write-ahead log must not outlive it: beside the new file it would be replayed into it. */
function retireOldDatabase(Driver: typeof BetterSqlite3, file: string): void {
  if (existsSync(file) && statSync(file).size > 0) {
    try {
      const old = new Driver(file, { fileMustExist: true });
      old.pragma('wal_checkpoint(TRUNCATE)');
      old.close();
    } catch {
      // A damaged old database is being replaced anyway.
    }
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

function fsyncPath(path: string, flags: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, flags);
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

interface Statements {
  insertAdvisory: BetterSqlite3.Statement;
  insertAffected: BetterSqlite3.Statement;
  modifiedOf: BetterSqlite3.Statement;
  deleteAdvisory: BetterSqlite3.Statement;
  deleteAffected: BetterSqlite3.Statement;
}

/** Checks one record's versions, counting and naming what its ecosystem cannot read. */
function countInvalidVersions(advisory: OsvAdvisory, where: string, report: ImportReport): void {
  for (const a of advisory.affected) {
    if (!ecosystemByOsvName(a.ecosystem)) continue;
    const bad = [...a.ranges.flatMap((r) => unreadableBounds(a.ecosystem, r)), ...a.versions.filter((v) => !isValidVersion(a.ecosystem, v))];
    report.invalidVersions += bad.length;
    if (bad.length > 0 && report.warnings.length < MAX_WARNINGS) {
      report.warnings.push(`${where}: ${a.ecosystem}/${a.name}: not valid ${a.ecosystem} versions: ${bad.slice(0, 3).map((b) => JSON.stringify(b)).join(', ')}${bad.length > 3 ? ', ...' : ''}`);
    }
  }
}

function storeAdvisory(st: Statements, advisory: OsvAdvisory, where: string, report: ImportReport): void {
  const rows: { entry: number; ecosystem: string; name: string; ranges: OsvRange[]; versions: string[] }[] = [];
  for (const [entry, a] of advisory.affected.entries()) {
    const ecosystem = ecosystemByOsvName(a.ecosystem);
    if (!ecosystem) {
      report.skippedPackages++;
      report.skippedByEcosystem[a.ecosystem] = (report.skippedByEcosystem[a.ecosystem] ?? 0) + 1;
      continue;
    }
    const ranges = a.ranges.filter(isVersionRange);
    if (ranges.length === 0 && a.versions.length === 0) continue;
    rows.push({ entry, ecosystem: ecosystem.osv, name: ecosystem.normaliseName(a.name), ranges, versions: a.versions });
  }
  if (rows.length === 0) {
    report.skippedAdvisories++;
    return;
  }
  countInvalidVersions(advisory, where, report);
  const previous = st.modifiedOf.get(advisory.id) as { modified: string } | undefined;
  if (previous) {
    report.duplicates++;
    // OSV `modified` is RFC 3339 UTC: string order is time order.
    if (previous.modified >= advisory.modified) return;
    st.deleteAffected.run(advisory.id);
    st.deleteAdvisory.run(advisory.id);
  } else {
    report.advisories++;
    if (advisory.withdrawn !== undefined) report.withdrawn++;
  }
  st.insertAdvisory.run(advisory.id, JSON.stringify(advisory.aliases), advisory.summary ?? null, JSON.stringify(advisory.severity), advisory.severityLabel ?? null, advisory.modified, advisory.published ?? null, advisory.withdrawn ?? null);
  for (const r of rows) {
    const listed = listVersions(r.ecosystem, r.versions);
    st.insertAffected.run(r.ecosystem, r.name, advisory.id, r.entry, JSON.stringify(r.ranges), JSON.stringify(listed.keys), JSON.stringify(listed.raw));
  }
}

export interface ImportOptions {
  limits?: SourceLimits;
}

/**
 * Imports the OSV data in `source` into a new database that replaces `dbPath` once complete.
 * Throws VulnDbError naming the file (and entry) on any problem; the previous database is then untouched.
 */
export async function importOsv(source: string, dbPath: string = defaultVulnDbPath(), options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const target = resolve(dbPath);
  const Driver = await loadDriver();
  const dir = dirname(target);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new VulnDbError(`${target}: cannot create the directory ${dir}: ${describeFsError(err)}`);
  }
  checkReplaceable(Driver, target);
  removeAbandonedImports(target);

  const report: ImportReport = {
    path: target, source, advisories: 0, withdrawn: 0, packages: 0, affectedEntries: 0,
    skippedByEcosystem: {}, skippedPackages: 0, skippedAdvisories: 0, invalidVersions: 0, duplicates: 0, warnings: [], durationMs: 0,
  };
  // Beside the target, so the final rename stays on one file system and is atomic.
  const temp = `${target}.import-${process.pid}-${randomBytes(4).toString('hex')}`;
  let db: Database | undefined;
  try {
    try {
      closeSync(openSync(temp, 'wx', 0o600));
      db = new Driver(temp, { fileMustExist: true });
    } catch (err) {
      throw sqliteProblem(temp, err, 'cannot create the new database');
    }
    // A file nobody else sees until the rename: no WAL and no fsync while loading it; one fsync before the rename.
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma('trusted_schema = OFF');
    for (let v = 0; v < VULN_SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
    const st: Statements = {
      insertAdvisory: db.prepare('INSERT INTO advisories (id, aliases, summary, severity, severity_label, modified, published, withdrawn) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      insertAffected: db.prepare('INSERT INTO affected (ecosystem, name, advisory_id, entry, ranges, version_keys, other_versions) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      modifiedOf: db.prepare('SELECT modified FROM advisories WHERE id = ?'),
      deleteAdvisory: db.prepare('DELETE FROM advisories WHERE id = ?'),
      deleteAffected: db.prepare('DELETE FROM affected WHERE advisory_id = ?'),
    };
    const load = db.transaction(() => {
      for (const { where, value } of readOsvSource(source, options.limits ?? DEFAULT_SOURCE_LIMITS)) {
        let advisory: OsvAdvisory;
        try {
          advisory = parseOsvRecord(value);
        } catch (err) {
          if (err instanceof OsvRecordError) throw new VulnDbError(`${where}: ${err.message}`);
          throw err;
        }
        storeAdvisory(st, advisory, where, report);
      }
      const counts = db!.prepare('SELECT count(*) AS entries, count(DISTINCT ecosystem || char(0) || name) AS packages FROM affected').get() as { entries: number; packages: number };
      report.affectedEntries = counts.entries;
      report.packages = counts.packages;
      report.durationMs = Math.round(performance.now() - started);
      db!.prepare('INSERT INTO imports (imported_at, source, report) VALUES (?, ?, ?)').run(new Date().toISOString(), resolve(source), JSON.stringify({ ...report, path: undefined }));
    });
    try {
      load();
    } catch (err) {
      if (err instanceof VulnDbError) throw err;
      if (err instanceof OsvSourceError) throw new VulnDbError(err.message);
      throw sqliteProblem(temp, err, 'import failed');
    }
    // Readers (scans, the gateway) get WAL from here on; the mode is stored in the file.
    db.pragma('journal_mode = WAL');
    db.close();
    db = undefined;
    fsyncPath(temp, 'r+');
    retireOldDatabase(Driver, target);
    renameSync(temp, target);
    fsyncPath(dir, 'r');
  } catch (err) {
    db?.close();
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${temp}${suffix}`, { force: true });
    if (err instanceof VulnDbError) throw err;
    throw new VulnDbError(`${target}: import failed: ${describeFsError(err)}`);
  }
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

export interface AffectedRow {
  advisory_id: string;
  aliases: string;
  summary: string | null;
  severity: string;
  severity_label: string | null;
  modified: string;
  published: string | null;
  ranges: string;
  version_keys: string;
  other_versions: string;
}

/** A database opened for matching: read-only, one prepared lookup. */
export class VulnDb {
  readonly #lookup: BetterSqlite3.Statement;

  constructor(
    readonly path: string,
    readonly db: Database,
  ) {
    // Withdrawn advisories were retracted by their publisher: never a finding.
    this.#lookup = db.prepare(
      `SELECT a.advisory_id, v.aliases, v.summary, v.severity, v.severity_label, v.modified, v.published, a.ranges, a.version_keys, a.other_versions
         FROM affected a JOIN advisories v ON v.id = a.advisory_id
        WHERE a.ecosystem = ? AND a.name = ? AND v.withdrawn IS NULL`,
    );
  }

  /** The affected entries of one package (`name` in its normalised form), withdrawn advisories left out. */
  affectedEntries(ecosystem: string, name: string): AffectedRow[] {
    return this.#lookup.all(ecosystem, name) as AffectedRow[];
  }

  /** The last import's report, for `warden db status` and scans that say how old their data is. */
  lastImport(): { importedAt: string; source: string } | undefined {
    const row = this.db.prepare('SELECT imported_at, source FROM imports ORDER BY rowid DESC LIMIT 1').get() as { imported_at: string; source: string } | undefined;
    return row ? { importedAt: row.imported_at, source: row.source } : undefined;
  }

  close(): void {
    this.db.close();
  }
}

/** Opens the database for matching; VulnDbError when it is missing, foreign or damaged. */
export async function openVulnDb(dbPath: string = defaultVulnDbPath()): Promise<VulnDb> {
  const path = resolve(dbPath);
  if (!existsSync(path)) throw new VulnDbError(`${path}: no vulnerability database yet; run \`warden db update --from FILE\` with an OSV export`);
  const Driver = await loadDriver();
  let db: Database | undefined;
  try {
    db = new Driver(path, { readonly: true, fileMustExist: true });
    db.pragma('trusted_schema = OFF');
    checkIdentity(db, path);
    // Matching a fleet touches much of the file: map it rather than read it page by page.
    db.pragma('mmap_size = 1073741824');
    db.pragma('cache_size = -65536');
    return new VulnDb(path, db);
  } catch (err) {
    db?.close();
    throw sqliteProblem(path, err, 'cannot read the vulnerability database');
  }
}
