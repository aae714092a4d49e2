// Package versions (as purls) against the local OSV database: which advisories affect each one,
// under which ids, and what to upgrade to. Detection only: turning these into scan findings
// (rule, severity, OWASP ASI04) and rendering them is the scanner's and the reporters' job.
import { ecosystemByOsvName } from './ecosystems.js';
import type { AffectedRow, VulnDb } from './osv-db.js';
import { parsePurl } from './purl.js';
import { compareVersions, compileAffected, evaluateCompiled, isValidVersion, type CompiledAffected, type OsvRange } from './versions.js';

export interface VulnFinding {
  purl: string;
  ecosystem: string;
  name: string;
  version: string;
  /** The advisory's OSV id (GHSA-..., PYSEC-..., CVE-...). */
  advisory: string;
  /** Its other ids (CVE, GHSA), as the advisory lists them. */
  aliases: string[];
  summary?: string;
  /** CVSS vectors as published. */
  severity: { type: string; score: string }[];
  /** The publishing database's rating (GHSA: LOW, MODERATE, HIGH, CRITICAL). */
  severityLabel?: string;
  /** The smallest version that leaves every matching range, when the advisory names one. */
  fixed?: string;
  /** The command that installs `fixed` (npm install name@fixed, pip install 'name>=fixed'). */
  upgrade?: string;
  modified: string;
  published?: string;
  /** Set when the advisory could not be decided (a bound it gives is not a valid version): reported rather than silently passed. */
  uncertain?: string;
}

export interface PurlProblem {
  purl: string;
  problem: string;
}

export interface MatchResult {
  findings: VulnFinding[];
  /** Purls that could not be matched at all (not a purl, no version, an ecosystem or version Warden cannot read). */
  problems: PurlProblem[];
}

function parseJsonList<T>(text: string): T[] {
  const v = JSON.parse(text) as unknown;
  return Array.isArray(v) ? (v as T[]) : [];
}

/** One advisory's entries for a package, compiled once per package and call. */
interface PackageAdvisory {
  id: string;
  row: AffectedRow;
  entries: CompiledAffected[];
}

function advisoriesOf(db: VulnDb, ecosystem: string, key: string): PackageAdvisory[] {
  // One advisory may list the package in several entries.
  const byId = new Map<string, PackageAdvisory>();
  for (const row of db.affectedEntries(ecosystem, key)) {
    const listed = { keys: parseJsonList<string>(row.version_keys), raw: parseJsonList<string>(row.other_versions) };
    const compiled = compileAffected(ecosystem, { ranges: parseJsonList<OsvRange>(row.ranges), listed });
    if (!compiled) continue;
    const known = byId.get(row.advisory_id);
    if (known) known.entries.push(compiled);
    else byId.set(row.advisory_id, { id: row.advisory_id, row, entries: [compiled] });
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Matches each purl against `db`. Never throws on a purl; each one is a finding, nothing, or a problem. */
export function matchPurls(db: VulnDb, purls: readonly string[]): MatchResult {
  const result: MatchResult = { findings: [], problems: [] };
  // A fleet reports the same packages many times: each is looked up and compiled once.
  const cache = new Map<string, PackageAdvisory[]>();
  for (const purl of purls) {
    const parsed = parsePurl(purl);
    if (!parsed.ok) {
      result.problems.push({ purl, problem: parsed.error });
      continue;
    }
    const { ref } = parsed;
    if (!isValidVersion(ref.ecosystem, ref.version)) {
      result.problems.push({ purl, problem: `${JSON.stringify(ref.version)} is not a valid ${ref.ecosystem} version` });
      continue;
    }
    const ecosystem = ecosystemByOsvName(ref.ecosystem)!;
    const cacheKey = `${ref.ecosystem}\0${ref.key}`;
    let advisories = cache.get(cacheKey);
    if (!advisories) cache.set(cacheKey, (advisories = advisoriesOf(db, ref.ecosystem, ref.key)));
    let versionProblem: string | undefined;
    for (const { id, row, entries } of advisories) {
      let affected = false;
      let fixed: string | undefined;
      let uncertain: string | undefined;
      for (const entry of entries) {
        const verdict = evaluateCompiled(entry, ref.version);
        if (verdict.status === 'affected') {
          affected = true;
          // Several entries matching: the highest of their fixes leaves them all.
          if (verdict.fixed !== undefined && (fixed === undefined || (compareVersions(ref.ecosystem, verdict.fixed, fixed) ?? 0) > 0)) fixed = verdict.fixed;
        } else if (verdict.status === 'invalid-version') versionProblem ??= verdict.detail;
        else if (verdict.status === 'invalid-range') uncertain ??= `the advisory's range cannot be evaluated: ${verdict.detail}`;
      }
      if (!affected && uncertain === undefined) continue;
      const finding: VulnFinding = {
        purl,
        ecosystem: ref.ecosystem,
        name: ref.name,
        version: ref.version,
        advisory: id,
        aliases: parseJsonList<string>(row.aliases),
        severity: parseJsonList<{ type: string; score: string }>(row.severity),
        modified: row.modified,
      };
      if (row.summary !== null) finding.summary = row.summary;
      if (row.severity_label !== null) finding.severityLabel = row.severity_label;
      if (row.published !== null) finding.published = row.published;
      if (affected && fixed !== undefined) {
        finding.fixed = fixed;
        finding.upgrade = ecosystem.upgradeCommand(ref.name, fixed);
      }
      if (!affected && uncertain !== undefined) finding.uncertain = uncertain;
      result.findings.push(finding);
    }
    if (versionProblem !== undefined) result.problems.push({ purl, problem: versionProblem });
  }
  return result;
}
