// Turning a rule's hit into a finding: metadata, a fingerprint that survives moves and reruns,
// and the inline suppression that silences it. Shared by the configuration scan and the judging
// of live tool definitions.
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { SEVERITIES, type Finding, type Severity } from '../core/types.js';
import { redactSecretsIn } from '../detect/secrets.js';
import type { DiscoverOptions } from '../discover/discover.js';
import type { Rule, RuleHit } from '../rules/rule.js';
import type { Suppression } from './suppress.js';

export interface Root {
  path: string;
  /** Keeps `~/.cursor/mcp.json` and `<project>/.cursor/mcp.json` apart in fingerprints. */
  label: '~' | '.';
}

/** Roots that paths are made relative to for fingerprints, so they survive a move of the checkout. */
export function rootsOf(opts: Pick<DiscoverOptions, 'projects' | 'homes'>): Root[] {
  const roots: Root[] = [...opts.projects.map((path) => ({ path, label: '.' as const })), ...opts.homes.map((h) => ({ path: h.path, label: '~' as const }))];
  return roots.sort((a, b) => b.path.length - a.path.length);
}

export function finding(rule: Rule, hit: RuleHit, roots: Root[], location: Finding['location'], suppressions: Suppression[]): Finding {
  const file = location.file ?? '';
  const root = roots.find((r) => file === r.path || file.startsWith(r.path + '/') || file.startsWith(r.path + '\\'));
  const stablePath = root ? `${root.label}/${relative(root.path, file).split('\\').join('/')}` : file;
  const fingerprint = createHash('sha256')
    .update(
      [
        rule.meta.id,
        stablePath,
        location.pointer ?? '',
        location.server ?? '',
        hit.key ?? hit.message,
        // A definition's findings are keyed by what it is, not where a report happened to find it.
        ...(location.tool !== undefined ? [location.definition ?? 'tool', location.tool, location.client ?? ''] : []),
      ].join('\0'),
    )
    .digest('hex')
    .slice(0, 32);
  const f: Finding = {
    ruleId: rule.meta.id,
    category: rule.meta.category,
    severity: hit.severity ?? rule.meta.severity,
    owasp: [...rule.meta.owasp],
    title: rule.meta.title,
    message: hit.message,
    location,
    ...(hit.evidence !== undefined ? { evidence: hit.evidence } : {}),
    remediation: rule.meta.remediation,
    fingerprint,
  };
  const s = suppressions.find((x) => x.appliesTo(rule.meta.id, location.line ?? 0));
  if (s) f.suppressed = { reason: s.reason, source: `${file}:${s.line}` };
  return f;
}

/** Two rules' hits at one place are distinct findings; one rule's identical hits are one. */
export function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.fingerprint}\0${f.location.line}\0${f.location.column}\0${f.location.range?.start}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}


/** Unsuppressed findings per severity, for a result's summary. */
export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (!f.suppressed) counts[f.severity]++;
  return counts;
}

/**
 * Rules redact the secrets they report; a message or evidence that quotes a command line or a
 * description may still carry one, so every string a report shows passes the detector once more.
 */
export async function redactFindings(findings: Finding[]): Promise<void> {
  for (const f of findings) {
    f.message = await redactSecretsIn(f.message);
    if (f.evidence !== undefined) f.evidence = await redactSecretsIn(f.evidence);
  }
}
