// OSV import and matching at the size of the real exports (the real ones cannot be downloaded
// here, so the benchmark writes its own): 200,000 advisories, npm and PyPI, in one ZIP laid out
// as osv.dev publishes it. Measures `importOsv` (target: under 60 s) and matching 10,000 purls
// (target: under 2 s), and prints both.
//   node scripts/build.mjs --tests && node build/bench/osv.bench.js [--advisories N] [--purls N]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOsv, openVulnDb } from '../src/vuln/osv-db.js';
import { matchPurls } from '../src/vuln/match.js';
import { toPurl } from '../src/vuln/purl.js';
import { ZipWriter } from '../src/vuln/zip-writer.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const ADVISORIES = arg('--advisories', 200_000);
const PURLS = arg('--purls', 10_000);
// Real exports: many packages with one advisory, a few with dozens (lodash, django...).
const PACKAGES = Math.round(ADVISORIES / 3);

/** A small deterministic generator, so every run measures the same data. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const rand = lcg(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (n: number) => Math.floor(rand() * n);

interface Pkg {
  ecosystem: 'npm' | 'PyPI';
  name: string;
}

/** Package i: 70% npm (some scoped), 30% PyPI; skewed so low indices get most advisories. */
function pkg(i: number): Pkg {
  if (i % 10 < 7) return { ecosystem: 'npm', name: i % 5 === 0 ? `@scope-${i % 97}/package-${i}` : `package-${i}` };
  return { ecosystem: 'PyPI', name: i % 4 === 0 ? `Py_Package.${i}` : `py-package-${i}` };
}
const skewedPackage = () => pkg(Math.floor(PACKAGES * rand() ** 2));

function npmVersion(major: number, minor: number, patch: number, pre = false): string {
  return `${major}.${minor}.${patch}${pre ? `-beta.${int(5)}` : ''}`;
}
function pypiVersion(major: number, minor: number, patch: number): string {
  const kind = int(10);
  const base = `${major}.${minor}.${patch}`;
  return kind === 0 ? `${base}rc${int(3) + 1}` : kind === 1 ? `${base}.post${int(3) + 1}` : kind === 2 ? `${base}.dev${int(3)}` : base;
}

/** The ranges real advisories use: fixed, several intervals, last_affected, malware (everything affected). */
function affected(p: Pkg): Record<string, unknown> {
  const v = p.ecosystem === 'npm' ? npmVersion : pypiVersion;
  const type = p.ecosystem === 'npm' ? 'SEMVER' : 'ECOSYSTEM';
  const major = int(6);
  const shape = int(10);
  let events: Record<string, string>[];
  if (shape < 5) events = [{ introduced: '0' }, { fixed: v(major, int(20), int(10)) }];
  else if (shape < 7) events = [{ introduced: v(major, 0, 0) }, { fixed: v(major, int(10) + 1, int(5)) }, { introduced: v(major + 1, 0, 0) }, { fixed: v(major + 1, int(10) + 1, int(5), rand() < 0.2) }];
  else if (shape < 8) events = [{ introduced: '0' }, { last_affected: v(major, int(20), int(10)) }];
  else events = [{ introduced: '0' }];
  const entry: Record<string, unknown> = { package: { ecosystem: p.ecosystem, name: p.name, purl: toPurl(p.ecosystem, p.name) }, ranges: [{ type, events }] };
  // osv.dev expands ranges into explicit version lists for PyPI.
  if (p.ecosystem === 'PyPI') entry['versions'] = Array.from({ length: 5 + int(40) }, (_, k) => `${major}.${Math.floor(k / 5)}.${k % 5}`);
  return entry;
}

function advisory(i: number): Record<string, unknown> {
  // Malware reports (a fifth of the real npm export) name packages of their own, every version affected.
  const malware = i % 7 === 0;
  const p: Pkg = malware ? { ecosystem: 'npm', name: `malicious-package-${i}` } : skewedPackage();
  const id = malware ? `MAL-2025-${i}` : p.ecosystem === 'npm' ? `GHSA-${i.toString(36).padStart(4, '0')}-bench-${i % 1000}` : `PYSEC-2025-${i}`;
  return {
    schema_version: '1.6.0',
    id,
    modified: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    published: new Date(Date.UTC(2023, 0, 1) + i * 60_000).toISOString(),
    ...(i % 500 === 0 ? { withdrawn: '2025-01-01T00:00:00Z' } : {}),
    aliases: malware ? [] : [`CVE-2025-${10000 + i}`],
    summary: `Synthetic advisory ${i} for ${p.name}`,
    details: 'A vulnerability in the request parser lets a remote attacker cause '.repeat(1 + int(6)),
    severity: malware ? [] : [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [malware ? { package: { ecosystem: 'npm', name: p.name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] } : affected(p)],
    references: [{ type: 'ADVISORY', url: `https://example.com/advisories/${id}` }],
    database_specific: { severity: pick(['LOW', 'MODERATE', 'HIGH', 'CRITICAL']), cwe_ids: ['CWE-79'] },
  };
}

function ms(start: number): number {
  return performance.now() - start;
}

const dir = mkdtempSync(join(tmpdir(), 'warden-osv-bench-'));
try {
  const zipPath = join(dir, 'all.zip');
  let t = performance.now();
  const zip = new ZipWriter(zipPath);
  for (let i = 0; i < ADVISORIES; i++) {
    const a = advisory(i);
    zip.add({ name: `${a['id'] as string}.json`, data: JSON.stringify(a, null, 2) });
  }
  zip.close();
  console.log(`generated ${ADVISORIES.toLocaleString('en')} advisories in ${(ms(t) / 1000).toFixed(1)} s: ${(statSync(zipPath).size / 1048576).toFixed(1)} MB zip`);

  const dbPath = join(dir, 'vuln.db');
  t = performance.now();
  const report = await importOsv(zipPath, dbPath);
  const importMs = ms(t);
  console.log(
    `import: ${(importMs / 1000).toFixed(1)} s (target < 60 s) — ${report.advisories.toLocaleString('en')} advisories, ${report.packages.toLocaleString('en')} packages, ` +
      `${Math.round(report.advisories / (importMs / 1000)).toLocaleString('en')} advisories/s, database ${(statSync(dbPath).size / 1048576).toFixed(1)} MB`,
  );

  // Purls as a fleet would report them: mostly packages with advisories (popular ones more often), some without.
  const purls: string[] = [];
  for (let i = 0; i < PURLS; i++) {
    const p = i % 10 === 0 ? pkg(PACKAGES + i) : skewedPackage();
    const version = p.ecosystem === 'npm' ? npmVersion(int(7), int(20), int(10), rand() < 0.05) : pypiVersion(int(7), int(20), int(10));
    purls.push(toPurl(p.ecosystem, p.name, version));
  }
  t = performance.now();
  const db = await openVulnDb(dbPath);
  const openMs = ms(t);
  const result = matchPurls(db, purls);
  db.close();
  const matchMs = ms(t);
  if (process.argv.includes('--verbose')) {
    const check = await openVulnDb(dbPath);
    const seen = new Set<string>();
    let rows = 0;
    for (const purl of purls) {
      const [, type, rest] = /^pkg:(\w+)\/(.*)@/.exec(purl)!;
      if (seen.has(purl.split('@').slice(0, -1).join('@'))) continue;
      seen.add(purl.split('@').slice(0, -1).join('@'));
      const name = decodeURIComponent(rest!);
      rows += check.affectedEntries(type === 'npm' ? 'npm' : 'PyPI', type === 'npm' ? name : name.replace(/[-_.]+/g, '-').toLowerCase()).length;
    }
    check.close();
    console.log(`open: ${openMs.toFixed(1)} ms; ${seen.size} distinct packages, ${rows} affected rows read`);
  }
  console.log(
    `match: ${PURLS.toLocaleString('en')} purls in ${(matchMs / 1000).toFixed(2)} s (target < 2 s) — ${result.findings.length.toLocaleString('en')} findings, ` +
      `${result.findings.filter((f) => f.fixed).length.toLocaleString('en')} with a fix, ${result.problems.length} problems, ${(matchMs / PURLS * 1000).toFixed(0)} µs per purl`,
  );
  if (importMs > 60_000 || matchMs > 2_000) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
