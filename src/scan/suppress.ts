// Inline suppression: a comment `warden-ignore RULE[,RULE...] -- REASON` silences those rules on
// its own line and on the next line. The reason is required: a security team reading the report
// must see why a finding was accepted, so a suppression without one is ignored with a warning.
// Comment syntax is the file's own (`//`, `#`, `<!-- -->`); the marker is found in any of them.
import type { ScanWarning } from '../core/types.js';

export interface Suppression {
  line: number;
  rules: string[];
  reason: string;
  appliesTo(ruleId: string, line: number): boolean;
}

const MARKER = /warden-ignore[ \t]+([a-z0-9*][a-z0-9*, \t-]*?)(?:(?:[ \t]+--|[ \t]*:)[ \t]*(.*?))?[ \t]*(?:-->|\*\/)?[ \t]*$/;

export function findSuppressions(file: string, text: string, warnings: ScanWarning[]): Suppression[] {
  if (!text.includes('warden-ignore')) return [];
  const out: Suppression[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    if (!raw.includes('warden-ignore')) return;
    const m = MARKER.exec(raw.replace(/\r$/, ''));
    if (!m) return;
    const line = i + 1;
    const rules = m[1]!.split(/[,\s]+/).filter(Boolean);
    const reason = (m[2] ?? '').replace(/["',]+$/, '').trim();
    if (!reason) {
      warnings.push({ file, message: `line ${line}: warden-ignore without a reason ("warden-ignore ${rules.join(',')} -- why"); not applied` });
      return;
    }
    out.push({
      line,
      rules,
      reason,
      appliesTo: (ruleId, at) => (at === line || at === line + 1) && (rules.includes(ruleId) || rules.includes('all')),
    });
  });
  return out;
}
