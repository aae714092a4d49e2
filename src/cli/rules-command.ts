// `warden rules`: the rule catalogue, for people deciding what to suppress and for the README.
import { RULES } from '../rules/index.js';
import { severityRank } from '../core/types.js';
import { renderRulesMarkdown } from '../report/reference-docs.js';

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
