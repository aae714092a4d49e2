// The README's reference tables (rules, clients) are generated from the code itself, and a test
// compares them with the README, so the documentation cannot drift from what Warden does.
import { RULES } from '../rules/index.js';
import { OWASP_AGENTIC } from '../core/types.js';
import { CATALOGUE } from '../discover/catalogue.js';
import type { Scope } from '../core/types.js';

export function renderRulesMarkdown(): string {
  const lines = ['| id | category | severity | OWASP | what it finds | remediation |', '| --- | --- | --- | --- | --- | --- |'];
  const rules = [...RULES].sort((a, b) => a.meta.category.localeCompare(b.meta.category) || a.meta.id.localeCompare(b.meta.id));
  for (const r of rules) {
    const owasp = r.meta.owasp.map((id) => `${id} ${OWASP_AGENTIC[id]}`).join('; ');
    lines.push(`| \`${r.meta.id}\` | ${r.meta.category} | ${r.meta.severity} | ${owasp} | ${cell(r.meta.description)} | ${cell(r.meta.remediation)} |`);
  }
  return lines.join('\n') + '\n';
}

export function renderClientsMarkdown(): string {
  const lines = ['| client | id | user / managed / plugin scope | project scope | instruction files |', '| --- | --- | --- | --- | --- |'];
  const fmt = (paths: string[]) => [...new Set(paths)].map((p) => `\`${p}\``).join('<br>');
  for (const c of CATALOGUE) {
    const outside = (s: Scope) => s !== 'project';
    const user = c.configs.filter((x) => outside(x.scope)).map((x) => x.path + (x.os ? ` (${x.os.join(', ')})` : ''));
    const project = c.configs.filter((x) => x.scope === 'project').map((x) => x.path);
    const instr = (c.instructions ?? []).map((x) => x.path);
    lines.push(`| ${c.name} | \`${c.id}\` | ${fmt(user)} | ${fmt(project)} | ${fmt(instr)} |`);
  }
  return lines.join('\n') + '\n';
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
export function replaceSection(doc: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i === -1 || j < i) throw new Error(`README has no ${start} … ${end} section`);
  return doc.slice(0, i + start.length) + '\n' + body + doc.slice(j);
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
