// The human report: inventory first (what is there), then findings grouped by severity (what is
// wrong), then what discovery could not see. Colour only when the caller says the stream is a TTY.
import { createColors } from 'picocolors';
import { homedir } from 'node:os';
import type { ScanResult } from '../core/result.js';
import type { Finding, Severity } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import { publicServer } from './public-inventory.js';
import { escapeInvisible as safe } from '../detect/unicode.js';

export interface TableOptions {
  color: boolean;
  quiet?: boolean;
  /** Shown as `~` in paths, for width. */
  home?: string;
}

export function renderTable(result: ScanResult, opts: TableOptions): string {
  const c = createColors(opts.color);
  const home = opts.home ?? result.target.home ?? homedir();
  // Every string from a scanned file passes through safe(): a server named with escape sequences
  // must not rewrite the user's terminal.
  const short = (p: string | undefined) => safe(p && home && p.startsWith(home + '/') ? '~' + p.slice(home.length) : (p ?? ''));
  const sevColor: Record<Severity, (s: string) => string> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
  };
  const out: string[] = [];

  if (!opts.quiet) {
    const targets = [
      result.target.home ? `home ${short(result.target.home) || result.target.home}` : '',
      ...result.target.projects.map((p) => short(p)),
      result.target.definitions !== undefined ? `definitions from ${short(result.target.definitions)}` : '',
    ].filter(Boolean);
    out.push(c.bold(`Warden ${result.tool.version}`) + c.dim(` — scanned ${targets.join(', ') || 'nothing'} in ${result.summary.durationMs} ms`));
    out.push('');
    const installed = result.inventory.clients.filter((cl) => cl.installed);
    out.push(c.bold('Inventory'));
    out.push(`  Agent clients      ${installed.length ? installed.map((cl) => cl.name + (cl.version ? ` ${safe(cl.version)}` : '')).join(', ') : c.dim('none found')}`);
    const servers = result.inventory.servers.map(publicServer);
    const remote = servers.filter((s) => s.transport === 'http' || s.transport === 'sse').length;
    out.push(`  MCP servers        ${servers.length}${servers.length ? c.dim(` (${servers.length - remote} local, ${remote} remote)`) : ''}`);
    out.push(`  Instruction files  ${result.inventory.instructionFiles.length}`);
    const inspections = result.inventory.inspections;
    if (inspections) out.push(...inspectionLines(inspections, c));
    if (servers.length) {
      out.push('');
      const rows = servers.map((s) => [
        s.client,
        s.scope,
        safe(s.name),
        s.transport,
        truncate(safe(s.url ?? [s.command ?? '', ...s.args].join(' ')), 56),
        `${short(s.file)}:${s.line}`,
      ]);
      out.push(...table([['CLIENT', 'SCOPE', 'SERVER', 'TRANSPORT', 'LAUNCH', 'DECLARED AT'], ...rows], c.dim).map((l) => '  ' + l));
    }
    out.push('');
  }

  const active = result.findings.filter((f) => !f.suppressed);
  const counts = SEVERITIES.filter((s) => result.summary.findings[s] > 0).map((s) => sevColor[s](`${result.summary.findings[s]} ${s}`));
  out.push(c.bold('Findings') + ' ' + (counts.length ? counts.join(', ') : c.green('none')) + (result.summary.suppressed ? c.dim(` (${result.summary.suppressed} suppressed)`) : ''));
  // A rule's remediation is printed with its first finding only: twenty identical paragraphs hide the findings.
  const shownFixes = new Set<string>();
  for (const sev of SEVERITIES) {
    const group = active.filter((f) => f.severity === sev);
    if (!group.length) continue;
    out.push('');
    out.push(sevColor[sev](sev.toUpperCase()));
    for (const f of group) out.push(...renderFinding(f, short, c, shownFixes));
  }

  if (!opts.quiet) {
    out.push('');
    const cov = result.coverage;
    const by = (s: string) => cov.filter((e) => e.status === s);
    const failed = [...by('parse-error'), ...by('unreadable')];
    out.push(
      c.bold('Coverage') +
        ` ${cov.length} locations probed: ${by('found').length} found, ${by('not-present').length} not present` +
        (failed.length ? `, ${c.yellow(`${failed.length} could not be read`)}` : '') +
        (by('skipped').length ? `, ${by('skipped').length} skipped` : '') +
        c.dim(' (--format json lists each; --list-locations shows every path)'),
    );
    for (const e of failed) out.push(`  ${c.yellow(e.status)} ${e.client} ${short(e.path)}: ${safe(e.detail ?? '')}`);
    const warnings = result.warnings.filter((w) => !failed.some((e) => e.path === w.file));
    if (warnings.length) {
      out.push(c.bold('Warnings'));
      for (const w of warnings.slice(0, 50)) out.push(`  ${w.file ? short(w.file) + ': ' : ''}${safe(w.message)}`);
      if (warnings.length > 50) out.push(c.dim(`  … ${warnings.length - 50} more (see --format json)`));
    }
  }
  return out.join('\n') + '\n';
}

function renderFinding(f: Finding, short: (p?: string) => string, c: ReturnType<typeof createColors>, shownFixes: Set<string>): string[] {
  const l = f.location;
  const file = l.file ? `${short(l.file)}${l.line ? `:${l.line}:${l.column ?? 1}` : ''}` : '';
  // A definition's finding names what the model read: server, tool and the field inside it.
  const definition =
    l.tool !== undefined
      ? `${[l.server, l.tool].filter((p) => p !== undefined).map((p) => safe(p!)).join(' › ')}${l.definition && l.definition !== 'tool' ? ` (${l.definition})` : ''}${l.pointer !== undefined ? ` ${c.dim(safe(l.pointer || '/'))}` : ''}${l.range ? c.dim(` [${l.range.start}..${l.range.end}]`) : ''}`
      : '';
  const where = [definition, file].filter(Boolean).join(c.dim(' in ')) || safe(l.server ?? '');
  // A diff is evidence of several lines: shown as a block, each line escaped on its own.
  const multiline = f.evidence?.includes('\n');
  const lines = [`  ${c.bold(f.ruleId)}  ${safe(f.message)}`, `    ${c.dim('at')} ${where}${f.evidence && !multiline ? `  ${c.dim('evidence')} ${safe(f.evidence)}` : ''}`];
  if (f.evidence && multiline) lines.push(...f.evidence.split('\n').slice(0, 40).map((e) => `      ${safe(e)}`));
  if (!shownFixes.has(f.ruleId)) {
    shownFixes.add(f.ruleId);
    lines.push(`    ${c.dim('fix')} ${f.remediation}`);
  }
  return lines;
}

function inspectionLines(inspections: NonNullable<ScanResult['inventory']['inspections']>, c: ReturnType<typeof createColors>): string[] {
  const n = (status: string) => inspections.filter((i) => i.status === status).length;
  const defs = inspections.flatMap((i) => i.definitions);
  const count = (kind: string) => defs.filter((d) => d.kind === kind).length;
  const lines = [
    `  Inspected          ${inspections.length} servers: ${n('ok')} answered${n('failed') ? `, ${c.yellow(`${n('failed')} failed`)}` : ''}${n('skipped') ? `, ${n('skipped')} skipped` : ''}; ${count('tool')} tools, ${count('prompt')} prompts, ${count('resource') + count('resource-template')} resources`,
  ];
  for (const i of inspections.filter((x) => x.status !== 'ok')) lines.push(`    ${i.status === 'failed' ? c.yellow('failed') : c.dim('skipped')} ${i.client} ${safe(i.server)}: ${safe(i.reason ?? '')}`);
  return lines;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function table(rows: string[][], header: (s: string) => string): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r, ri) => {
    const line = r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
    return ri === 0 ? header(line) : line;
  });
}
