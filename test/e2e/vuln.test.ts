// `warden db update` as a person runs it: the built CLI, a temporary WARDEN_HOME, real exit codes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openVulnDb } from '../../src/vuln/osv-db.js';
import { matchPurls } from '../../src/vuln/match.js';
import { ZipWriter, writeZip } from '../../src/vuln/zip-writer.js';
import { BIN, FIXTURES, tempDir, warden } from '../helpers/cli.js';

const EXPORT = join(FIXTURES, 'osv', 'export');

function exportZip(dir: string): string {
  const path = join(dir, 'npm-all.zip');
  writeZip(path, readdirSync(EXPORT).filter((f) => f.endsWith('.json')).map((name) => ({ name, data: readFileSync(join(EXPORT, name)) })));
  return path;
}

describe('warden db update', () => {
  it('imports an OSV zip into $WARDEN_HOME/vuln.db and prints the counts', async () => {
    const home = tempDir();
    const r = warden(['db', 'update', '--from', exportZip(home)], { env: { WARDEN_HOME: home } });
    assert.equal(r.status, 0, r.stderr);
    const advisories = readdirSync(EXPORT).length - 1;
    assert.match(r.stdout, new RegExp(`^imported ${advisories} advisories \\(1 withdrawn\\) for \\d+ packages into ${join(home, 'vuln.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in \\d+\\.\\d s$`, 'm'));
    assert.match(r.stdout, /^skipped: 3 affected packages of ecosystems Warden does not match \((Go 2, Maven 1)\); 1 advisory with nothing to match$/m);
    assert.match(r.stdout, /^invalid versions: 1 /m);
    assert.match(r.stderr, /^warning: .*npm-all\.zip!WARDEN-TEST-invalid-bound\.json: npm\/osv-example-bad-bound: not valid npm versions: "not-a-version"$/m);
    const db = await openVulnDb(join(home, 'vuln.db'));
    const { findings } = matchPurls(db, ['pkg:npm/mcp-remote@0.1.15']);
    db.close();
    assert.equal(findings[0]?.upgrade, 'npm install mcp-remote@0.1.16');
  });

  it('--db and --format json', () => {
    const dir = tempDir();
    const db = join(dir, 'custom', 'v.db');
    const r = warden(['db', 'update', '--from', join(EXPORT, 'GHSA-7f8r-222p-6f5g.json'), '--db', db, '-f', 'json'], { env: { WARDEN_HOME: join(dir, 'home') } });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(report['advisories'], 1);
    assert.equal(report['packages'], 1);
    assert.equal(report['path'], db);
    assert.ok(existsSync(db));
    assert.equal(existsSync(join(dir, 'home', 'vuln.db')), false);
  });

  it('a damaged export: exit 1, the file and entry named, the previous database kept', () => {
    const home = tempDir();
    const good = exportZip(home);
    assert.equal(warden(['db', 'update', '--from', good], { env: { WARDEN_HOME: home } }).status, 0);
    const before = readFileSync(join(home, 'vuln.db'));
    const truncated = join(home, 'truncated.zip');
    const bytes = readFileSync(good);
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
    const r = warden(['db', 'update', '--from', truncated], { env: { WARDEN_HOME: home } });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^warden: db update: .*truncated\.zip: no end-of-central-directory record: not a ZIP file, or truncated$/m);
    assert.match(r.stderr, /previous vulnerability database \(if any\) is unchanged/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(readFileSync(join(home, 'vuln.db')).equals(before));

    const invalid = join(home, 'bad.json');
    writeFileSync(invalid, '{"id": "X", "modified": ');
    const j = warden(['db', 'update', '--from', invalid], { env: { WARDEN_HOME: home } });
    assert.equal(j.status, 1);
    assert.match(j.stderr, /bad\.json: invalid JSON: value expected at line 1, column 25/);
  });

  it('an import killed halfway leaves the previous database, and the next import clears its leftovers', async () => {
    const home = tempDir();
    assert.equal(warden(['db', 'update', '--from', exportZip(home)], { env: { WARDEN_HOME: home } }).status, 0);
    const before = readFileSync(join(home, 'vuln.db'));
    // Big enough that the import is still running when it is killed.
    const big = join(home, 'big.zip');
    const zip = new ZipWriter(big);
    const template = JSON.parse(readFileSync(join(EXPORT, 'GHSA-6xpm-ggf7-wc3p.json'), 'utf8')) as Record<string, unknown>;
    for (let i = 0; i < 60_000; i++) zip.add({ name: `X-${i}.json`, data: JSON.stringify({ ...template, id: `X-${i}` }) });
    zip.close();
    const child = spawn(process.execPath, [BIN, 'db', 'update', '--from', big], { env: { ...process.env, WARDEN_HOME: home }, stdio: 'ignore' });
    // Kill it once its temporary database exists, mid-import.
    const deadline = Date.now() + 20_000;
    while (!readdirSync(home).some((f) => f.startsWith('vuln.db.import-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.ok(readdirSync(home).some((f) => f.startsWith('vuln.db.import-')), 'killed while its temporary database was being written');
    assert.ok(readFileSync(join(home, 'vuln.db')).equals(before), 'the previous database is byte for byte the same');
    const db = await openVulnDb(join(home, 'vuln.db'));
    assert.equal(matchPurls(db, ['pkg:npm/mcp-remote@0.1.15']).findings[0]?.advisory, 'GHSA-6xpm-ggf7-wc3p');
    db.close();
    assert.equal(warden(['db', 'update', '--from', join(EXPORT, 'GHSA-7f8r-222p-6f5g.json')], { env: { WARDEN_HOME: home } }).status, 0);
    assert.deepEqual(readdirSync(home).filter((f) => f.includes('.import-')), [], 'leftovers of the killed import removed');
  });

  it('usage errors exit 2: no --from, a file that does not exist, an unknown format', () => {
    const home = tempDir();
    const none = warden(['db', 'update'], { env: { WARDEN_HOME: home } });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--from FILE is required/);
    const missing = warden(['db', 'update', '--from', join(home, 'nope.zip')], { env: { WARDEN_HOME: home } });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.zip: no such file/);
    assert.equal(warden(['db', 'update', '--from', 'x', '-f', 'xml'], { env: { WARDEN_HOME: home } }).status, 2);
    assert.equal(existsSync(join(home, 'vuln.db')), false);
  });
});
