// Importing OSV exports into the SQLite store and matching purls against it: the real MCP
// advisories, every input format, bad input of each kind, and that a failed import leaves the
// previous database exactly as it was.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importOsv, openVulnDb, VulnDbError } from '../../src/vuln/osv-db.js';
import { matchPurls, type VulnFinding } from '../../src/vuln/match.js';
import { writeZip } from '../../src/vuln/zip-writer.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';

const EXPORT = join(FIXTURES, 'osv', 'export');
const BAD = join(FIXTURES, 'osv', 'bad');

function exportFiles(): { name: string; text: string }[] {
  return readdirSync(EXPORT)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(EXPORT, name), 'utf8') }));
}

/** The fixture export zipped as osv.dev publishes it. */
function exportZip(dir: string, extra: { name: string; data: string | Buffer }[] = []): string {
  const path = join(dir, 'all.zip');
  writeZip(path, [...exportFiles().map((f) => ({ name: f.name, data: f.text })), ...extra]);
  return path;
}

async function match(db: string, purls: string[]) {
  const vdb = await openVulnDb(db);
  try {
    return matchPurls(vdb, purls);
  } finally {
    vdb.close();
  }
}

const ids = (findings: VulnFinding[]) => findings.map((f) => f.advisory).sort();

async function rejects(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof VulnDbError, `a VulnDbError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

describe('OSV import', () => {
  it('imports the zip export: counts advisories, packages, skipped ecosystems and invalid versions', async () => {
    const dir = tempDir();
    const db = join(dir, 'vuln.db');
    const r = await importOsv(exportZip(dir), db);
    const files = exportFiles().length;
    assert.equal(r.advisories, files - 1, 'all but the Go-only advisory');
    assert.equal(r.skippedAdvisories, 1);
    assert.equal(r.withdrawn, 1);
    assert.deepEqual(r.skippedByEcosystem, { Go: 2, Maven: 1 });
    assert.equal(r.skippedPackages, 3);
    assert.equal(r.invalidVersions, 1);
    assert.match(r.warnings.join('\n'), /all\.zip!WARDEN-TEST-invalid-bound\.json: npm\/osv-example-bad-bound: not valid npm versions: "not-a-version"/);
    // osv-example-fixed appears in two advisories (one withdrawn): one package.
    assert.equal(r.packages, r.affectedEntries - 1);
    // The file is Warden's, STRICT, WAL, at the current schema, with nothing left beside it.
    const raw = new Database(db, { readonly: true });
    assert.equal(raw.pragma('application_id', { simple: true }), 0x5776756c);
    assert.equal(raw.pragma('user_version', { simple: true }), 1);
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.match((raw.prepare("SELECT sql FROM sqlite_schema WHERE name = 'advisories'").get() as { sql: string }).sql, /STRICT/);
    raw.close();
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.import-')), []);
  });

  it('mcp-remote and the MCP Inspector: ids, aliases, fixed version and upgrade command', async () => {
    const dir = tempDir();
    const db = join(dir, 'vuln.db');
    await importOsv(exportZip(dir), db);
    const { findings, problems } = await match(db, [
      'pkg:npm/mcp-remote@0.1.15',
      'pkg:npm/mcp-remote@0.1.16',
      'pkg:npm/mcp-remote@0.0.4',
      'pkg:npm/%40modelcontextprotocol/inspector@0.14.0',
      'pkg:npm/%40modelcontextprotocol/inspector@0.14.1',
    ]);
    assert.deepEqual(problems, []);
    assert.equal(findings.length, 2);
    const [remote, inspector] = findings;
    assert.deepEqual(
      { purl: remote!.purl, advisory: remote!.advisory, aliases: remote!.aliases, fixed: remote!.fixed, upgrade: remote!.upgrade, label: remote!.severityLabel },
      { purl: 'pkg:npm/mcp-remote@0.1.15', advisory: 'GHSA-6xpm-ggf7-wc3p', aliases: ['CVE-2025-6514'], fixed: '0.1.16', upgrade: 'npm install mcp-remote@0.1.16', label: 'CRITICAL' },
    );
    assert.deepEqual(remote!.severity, [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H' }]);
    assert.match(remote!.summary!, /OS command injection/);
    assert.deepEqual(
      { advisory: inspector!.advisory, aliases: inspector!.aliases, fixed: inspector!.fixed, upgrade: inspector!.upgrade, name: inspector!.name },
      { advisory: 'GHSA-7f8r-222p-6f5g', aliases: ['CVE-2025-49596'], fixed: '0.14.1', upgrade: 'npm install @modelcontextprotocol/inspector@0.14.1', name: '@modelcontextprotocol/inspector' },
    );
  });

  it('range semantics end to end: schema examples, prereleases, PEP 440, PEP 503 names, withdrawn', async () => {
    const dir = tempDir();
    const db = join(dir, 'vuln.db');
    await importOsv(exportZip(dir), db);
    const cases: [string, string[], string?][] = [
      ['pkg:npm/osv-example-unfixed@99.0.0', ['WARDEN-TEST-unfixed']],
      ['pkg:npm/osv-example-fixed@1.0.1', ['WARDEN-TEST-fixed'], '1.0.2'],
      ['pkg:npm/osv-example-fixed@1.0.2', []],
      ['pkg:npm/osv-example-multiple@3.1.0', ['WARDEN-TEST-multiple'], '3.2.5'],
      ['pkg:npm/osv-example-multiple@2.0.0', []],
      ['pkg:npm/osv-example-last-affected@2.1.214', ['WARDEN-TEST-last-affected']],
      ['pkg:npm/osv-example-last-affected@2.1.215', []],
      ['pkg:npm/osv-example-limit@1.9.0', ['WARDEN-TEST-limit']],
      ['pkg:npm/osv-example-limit@2.0.0', []],
      ['pkg:npm/%40osv-example/prerelease@2.0.0-beta.1', ['WARDEN-TEST-npm-prerelease'], '2.0.0'],
      ['pkg:npm/osv-example-listed@1.2.5', ['WARDEN-TEST-versions-list']],
      ['pkg:npm/osv-example-listed@1.2.4', []],
      ['pkg:npm/osv-example-mixed@3.0.0', ['WARDEN-TEST-other-ecosystems'], '4.0.0'],
      ['pkg:pypi/osv-example-epoch@1!1.5', ['WARDEN-TEST-pypi-epoch'], '1!2.0'],
      ['pkg:pypi/osv-example-epoch@5.0', []],
      ['pkg:pypi/example-pkg-name@2.0rc1', ['WARDEN-TEST-pypi-prerelease'], '2.0'],
      ['pkg:pypi/Example.Pkg_Name@2.0.dev1', ['WARDEN-TEST-pypi-prerelease'], '2.0'],
      ['pkg:pypi/example-pkg-name@2.0', []],
      ['pkg:pypi/osv-example-post@1.0%2Blocal', ['WARDEN-TEST-pypi-post'], '1.0.post1'],
      ['pkg:pypi/osv-example-post@1.0.post1', []],
    ];
    for (const [purl, expected, fixed] of cases) {
      const { findings, problems } = await match(db, [purl]);
      assert.deepEqual(problems, [], purl);
      assert.deepEqual(ids(findings), expected, purl);
      if (fixed) assert.equal(findings[0]!.fixed, fixed, purl);
    }
    const pip = (await match(db, ['pkg:pypi/example-pkg-name@2.0rc1'])).findings[0]!;
    assert.equal(pip.upgrade, "pip install 'example-pkg-name>=2.0'");
    assert.deepEqual(pip.aliases, ['PYSEC-0000-0001']);
  });

  it('reports what it cannot decide rather than passing it silently', async () => {
    const dir = tempDir();
    const db = join(dir, 'vuln.db');
    await importOsv(exportZip(dir), db);
    const { findings, problems } = await match(db, [
      'pkg:npm/osv-example-bad-bound@1.0.0',
      'pkg:npm/mcp-remote@latest',
      'pkg:golang/example.com/module@v1.0.0',
      'pkg:npm/mcp-remote',
      'garbage',
      'pkg:npm/unknown-package@1.0.0',
    ]);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.advisory, 'WARDEN-TEST-invalid-bound');
    assert.match(findings[0]!.uncertain!, /cannot be evaluated: fixed "not-a-version" is not a valid SemVer version/);
    assert.equal(findings[0]!.fixed, undefined);
    assert.deepEqual(problems.map((p) => p.purl), ['pkg:npm/mcp-remote@latest', 'pkg:golang/example.com/module@v1.0.0', 'pkg:npm/mcp-remote', 'garbage']);
    assert.match(problems[0]!.problem, /"latest" is not a valid npm version/);
  });

  it('reads one advisory as JSON, a JSON list, and JSON Lines', async () => {
    const dir = tempDir();
    const files = exportFiles();
    const single = join(dir, 'one.json');
    copyFileSync(join(EXPORT, 'GHSA-6xpm-ggf7-wc3p.json'), single);
    const list = join(dir, 'list.json');
    writeFileSync(list, `[${files.map((f) => f.text).join(',')}]`);
    const lines = join(dir, 'feed.jsonl');
    writeFileSync(lines, files.map((f) => JSON.stringify(JSON.parse(f.text))).join('\n') + '\n\n');
    assert.equal((await importOsv(single, join(dir, 'a.db'))).advisories, 1);
    assert.equal((await importOsv(list, join(dir, 'b.db'))).advisories, files.length - 1);
    assert.equal((await importOsv(lines, join(dir, 'c.db'))).advisories, files.length - 1);
    assert.equal((await match(join(dir, 'c.db'), ['pkg:npm/mcp-remote@0.1.0'])).findings[0]?.advisory, 'GHSA-6xpm-ggf7-wc3p');
  });

  it('a repeated advisory id keeps the latest modified', async () => {
    const dir = tempDir();
    const base = JSON.parse(readFileSync(join(EXPORT, 'WARDEN-TEST-fixed.json'), 'utf8')) as Record<string, unknown>;
    const newer = { ...base, modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'osv-example-fixed' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '5.0.0' }] }] }] };
    const path = join(dir, 'dup.json');
    writeFileSync(path, JSON.stringify([newer, base]));
    const r = await importOsv(path, join(dir, 'vuln.db'));
    assert.equal(r.advisories, 1);
    assert.equal(r.duplicates, 1);
    assert.equal((await match(join(dir, 'vuln.db'), ['pkg:npm/osv-example-fixed@2.0.0'])).findings[0]?.fixed, '5.0.0');
  });
});

describe('bad input: a clear error naming the file and entry, and the previous database intact', () => {
  /** A database from the good export, and a way to check it still answers as before. */
  async function previous(): Promise<{ dir: string; db: string; intact: () => Promise<void> }> {
    const dir = tempDir();
    const db = join(dir, 'vuln.db');
    await importOsv(exportZip(dir), db);
    const before = readFileSync(db);
    return {
      dir,
      db,
      intact: async () => {
        assert.ok(readFileSync(db).equals(before), 'the database file is byte for byte the same');
        assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.import-')), [], 'no temporary file left');
        assert.equal((await match(db, ['pkg:npm/mcp-remote@0.1.15'])).findings[0]?.advisory, 'GHSA-6xpm-ggf7-wc3p');
      },
    };
  }

  it('a truncated zip', async () => {
    const p = await previous();
    const zip = exportZip(tempDir());
    const bytes = readFileSync(zip);
    writeFileSync(zip, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    await rejects(importOsv(zip, p.db), /all\.zip: no end-of-central-directory record: not a ZIP file, or truncated/);
    await p.intact();
  });

  it('a tampered entry (CRC mismatch) names the entry', async () => {
    const p = await previous();
    const zip = join(tempDir(), 'all.zip');
    writeZip(zip, exportFiles().map((f) => ({ name: f.name, data: f.text, store: true })));
    const bytes = readFileSync(zip);
    const at = bytes.indexOf(Buffer.from('mcp-remote exposed'));
    bytes.write('MCP', at);
    writeFileSync(zip, bytes);
    await rejects(importOsv(zip, p.db), /all\.zip: GHSA-6xpm-ggf7-wc3p\.json: CRC-32 mismatch/);
    await p.intact();
  });

  it('an entry over the size cap (zip bomb-ish)', async () => {
    const p = await previous();
    const zip = exportZip(tempDir(), [{ name: 'huge.json', data: Buffer.alloc(3 * 1024 * 1024, 0x20) }]);
    await rejects(importOsv(zip, p.db, { limits: { maxEntryBytes: 1024 * 1024, maxTotalBytes: 1 << 30, maxEntries: 1000, maxJsonBytes: 1 << 20 } }), /huge\.json: 3145728 bytes uncompressed, over the 1048576-byte limit per entry/);
    await p.intact();
  });

  it('invalid JSON inside the zip: entry, line and column', async () => {
    const p = await previous();
    const zip = exportZip(tempDir(), [{ name: 'WARDEN-TEST-broken.json', data: readFileSync(join(BAD, 'invalid.json')) }]);
    await rejects(importOsv(zip, p.db), /all\.zip!WARDEN-TEST-broken\.json: invalid JSON: .* at line 5, column 1/);
    await p.intact();
  });

  it('invalid JSON, a JSON Lines record that is not JSON, an empty file, a directory, a missing file', async () => {
    const p = await previous();
    const dir = tempDir();
    await rejects(importOsv(join(BAD, 'invalid.json'), p.db), /invalid\.json: invalid JSON: .* at line 5, column 1/);
    const jsonl = join(dir, 'feed.jsonl');
    writeFileSync(jsonl, '{"id":"A","modified":"2025-01-01T00:00:00Z"}\n{"id": broken}\n');
    await rejects(importOsv(jsonl, p.db), /feed\.jsonl:2: invalid JSON Lines record/);
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '  \n');
    await rejects(importOsv(empty, p.db), /empty\.json: empty file/);
    await rejects(importOsv(dir, p.db), /is a directory/);
    await rejects(importOsv(join(dir, 'nope.zip'), p.db), /nope\.zip: no such file/);
    const binary = join(dir, 'latin1.json');
    writeFileSync(binary, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    await rejects(importOsv(binary, p.db), /latin1\.json: not valid UTF-8/);
    await p.intact();
  });

  it('records missing required fields or with the wrong shapes', async () => {
    const p = await previous();
    await rejects(importOsv(join(BAD, 'missing-id.json'), p.db), /missing-id\.json: advisory without an "id"/);
    await rejects(importOsv(join(BAD, 'missing-modified.json'), p.db), /missing-modified\.json: WARDEN-TEST-no-modified: missing "modified"/);
    await rejects(importOsv(join(BAD, 'events-not-list.json'), p.db), /WARDEN-TEST-events: affected\[0\]\.ranges\[0\]\.events must be a list, found an object/);
    await rejects(importOsv(join(BAD, 'two-kinds-in-one-event.json'), p.db), /events\[0\] must have exactly one of introduced, fixed, last_affected, limit, found introduced and fixed/);
    const dir = tempDir();
    const list = join(dir, 'list.json');
    writeFileSync(list, JSON.stringify([{ id: 'A', modified: 'x' }, 42]));
    await rejects(importOsv(list, p.db), /list\.json\[1\]: an advisory must be a JSON object, found a number/);
    const zip = exportZip(dir, [{ name: 'no-id.json', data: readFileSync(join(BAD, 'missing-id.json')) }]);
    await rejects(importOsv(zip, p.db), /all\.zip!no-id\.json: advisory without an "id"/);
    await p.intact();
  });

  it('refuses to replace a file that is not a Warden vulnerability database', async () => {
    const dir = tempDir();
    const foreign = join(dir, 'other.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE precious (x)');
    other.close();
    const before = readFileSync(foreign);
    await rejects(importOsv(join(EXPORT, 'GHSA-6xpm-ggf7-wc3p.json'), foreign), /not a Warden vulnerability database; not replacing it/);
    assert.ok(readFileSync(foreign).equals(before));
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'my notes, which are long enough to not be empty '.repeat(10));
    await rejects(importOsv(join(EXPORT, 'GHSA-6xpm-ggf7-wc3p.json'), text), /not a Warden vulnerability database; not replacing it/);
    assert.match(readFileSync(text, 'utf8'), /^my notes/);
    // The audit store is a Warden database too, but not this one.
    await rejects(openVulnDb(foreign), /not a Warden vulnerability database/);
  });

  it('opening a database that does not exist says how to make one', async () => {
    const missing = join(tempDir(), 'vuln.db');
    await rejects(openVulnDb(missing), /no vulnerability database yet; run `warden db update --from FILE`/);
    assert.equal(existsSync(missing), false);
  });
});
