// `warden rules`: the rule catalogue, for people deciding what to suppress and for the README.
import { RULES } from '../rules/index.js';
import { OWASP_AGENTIC, severityRank } from '../core/types.js';

export function runRules(o: { format: 'table' | 'json' | 'markdown' }): number {
  const rules = [...RULES].sort((a, b) => a.meta.category.localeCompare(b.meta.category) || severityRank(b.meta.severity) - severityRank(a.meta.severity) || a.meta.id.localeCompare(b.meta.id));
  if (o.format === 'json') {
    process.stdout.write(JSON.stringify(rules.map((r) => r.meta), null, 2) + '\n');
  } else if (o.format === 'markdown') {
    process.stdout.write(renderRulesMarkdown());
  } else {
    const w = Math.max(...rules.map((r) => r.meta.id.length));
    for (const r of rules) process.stdout.write(`${r.meta.id.padEnd(w)}  ${r.meta.severity.padEnd(8)}  ${r.meta.category.padEnd(12)}  ${r.meta.owasp.join(',').padEnd(11)}  ${r.meta.title}\n`);
  }
  return 0;
}

/** The README's rule reference is generated from the rules themselves, so it cannot drift. */
export function renderRulesMarkdown(): string {
  const lines = ['| id | category | severity | OWASP | what it finds | remediation |', '| --- | --- | --- | --- | --- | --- |'];
  const rules = [...RULES].sort((a, b) => a.meta.category.localeCompare(b.meta.category) || a.meta.id.localeCompare(b.meta.id));
  for (const r of rules) {
    const owasp = r.meta.owasp.map((id) => `${id} ${OWASP_AGENTIC[id]}`).join('; ');
    lines.push(`| \`${r.meta.id}\` | ${r.meta.category} | ${r.meta.severity} | ${owasp} | ${cell(r.meta.description)} | ${cell(r.meta.remediation)} |`);
  }
  return lines.join('\n') + '\n';
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
