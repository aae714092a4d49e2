// Poisoning accuracy against the labelled tool corpus in test/fixtures/tools: each file is one
// server's tools, benign and malicious (most malicious entries are a benign entry's twin with
// the poison added). Every server is judged by the definition rules exactly as `warden tools`
// judges it; an entry is detected when a poisoning rule reports it at low severity or above.
// Recall is reported per technique twice: detected by any poisoning rule (what a user sees) and
// by the rule made for that technique (whether each detector pulls its weight).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, McpDefinition } from '../../src/core/types.js';
import { RULES } from '../../src/rules/index.js';
import { evaluateDefinitions } from '../../src/scan/definitions.js';
import { FIXTURES } from './cli.js';

export const TOOL_CORPUS = join(FIXTURES, 'tools');
export const TOOL_CORPUS_HOLDOUT = join(FIXTURES, 'tools-holdout');
/** Written blind, after the detectors had been tuned on the first two (see docs/PERFORMANCE.md). */
export const TOOL_CORPUS_HOLDOUT_2 = join(FIXTURES, 'tools-holdout-2');
export const TOOL_HOLDOUTS = [TOOL_CORPUS_HOLDOUT, TOOL_CORPUS_HOLDOUT_2];

export const TECHNIQUES = [
  'model-instructions',
  'concealment',
  'sensitive-access',
  'exfiltration',
  'shadowing',
  'hidden-characters',
  'encoded-payload',
  'lying-annotations',
] as const;
export type Technique = (typeof TECHNIQUES)[number];

/** The rule built for each technique. */
export const RULE_FOR: Record<Technique, string> = {
  'model-instructions': 'tool-hidden-instructions',
  concealment: 'tool-concealment',
  'sensitive-access': 'tool-sensitive-access',
  exfiltration: 'tool-exfiltration',
  shadowing: 'tool-shadowing',
  'hidden-characters': 'tool-hidden-characters',
  'encoded-payload': 'tool-encoded-payload',
  'lying-annotations': 'tool-annotation-mismatch',
};

export interface CorpusEntry {
  id: string;
  label: 'benign' | 'malicious';
  twin?: string;
  techniques?: Technique[];
  tool: Record<string, unknown>;
}

export interface CorpusServer {
  file: string;
  server: string;
  entries: CorpusEntry[];
}

export function loadToolCorpus(dir = TOOL_CORPUS): CorpusServer[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { server: string; entries: CorpusEntry[] };
      return { file, server: data.server, entries: data.entries };
    });
}

export interface EntryResult {
  entry: CorpusEntry;
  server: string;
  findings: Finding[];
}

export interface ToolAccuracy {
  benign: number;
  malicious: number;
  falsePositives: EntryResult[];
  misses: EntryResult[];
  /** Per technique: entries using it, detected by any poisoning rule, detected by its own rule. */
  perTechnique: Record<Technique, { entries: number; detected: number; byOwnRule: number }>;
  /** Per rule: benign entries it fired on. */
  falsePositivesPerRule: Record<string, number>;
  entries: EntryResult[];
  durationMs: number;
}

const POISONING = new Set(['poisoning']);

export function runToolAccuracy(dir = TOOL_CORPUS): ToolAccuracy {
  const started = performance.now();
  const rules = RULES.filter((r) => POISONING.has(r.meta.category) && r.checkDefinition);
  const results: EntryResult[] = [];
  for (const s of loadToolCorpus(dir)) {
    // Each entry is judged alone (its twin must not change its verdict), with the server's other
    // tool names as siblings, as a live listing would give them.
    for (const entry of s.entries) {
      const def: McpDefinition = { kind: 'tool', name: String(entry.tool['name']), raw: entry.tool };
      const siblings = s.entries.filter((e) => e !== entry && e.label === 'benign').map((e) => ({ def: { kind: 'tool' as const, name: String(e.tool['name']), raw: {} }, server: s.server, client: 'corpus' }));
      const findings = evaluateDefinitions([{ def, server: s.server, client: 'corpus' }, ...siblings], rules).filter((f) => f.location.tool === def.name && f.severity !== 'info' && f.location.pointer !== undefined);
      // Siblings carry no text, so every finding is the entry's own.
      results.push({ entry, server: s.server, findings });
    }
  }
  const perTechnique = Object.fromEntries(TECHNIQUES.map((t) => [t, { entries: 0, detected: 0, byOwnRule: 0 }])) as ToolAccuracy['perTechnique'];
  const falsePositivesPerRule: Record<string, number> = {};
  for (const r of results) {
    if (r.entry.label === 'benign') {
      for (const id of new Set(r.findings.map((f) => f.ruleId))) falsePositivesPerRule[id] = (falsePositivesPerRule[id] ?? 0) + 1;
      continue;
    }
    for (const t of r.entry.techniques ?? []) {
      const p = perTechnique[t];
      p.entries++;
      if (r.findings.length > 0) p.detected++;
      if (r.findings.some((f) => f.ruleId === RULE_FOR[t])) p.byOwnRule++;
    }
  }
  return {
    benign: results.filter((r) => r.entry.label === 'benign').length,
    malicious: results.filter((r) => r.entry.label === 'malicious').length,
    falsePositives: results.filter((r) => r.entry.label === 'benign' && r.findings.length > 0),
    misses: results.filter((r) => r.entry.label === 'malicious' && r.findings.length === 0),
    perTechnique,
    falsePositivesPerRule,
    entries: results,
    durationMs: Math.round(performance.now() - started),
  };
}

export function formatToolAccuracy(a: ToolAccuracy): string {
  const pct = (n: number, d: number) => (d === 0 ? '—' : (n / d).toFixed(3));
  const lines = [
    `| technique | malicious entries | recall (any rule) | recall (own rule) |`,
    `|---|---:|---:|---:|`,
    ...TECHNIQUES.map((t) => {
      const p = a.perTechnique[t];
      return `| ${t} | ${p.entries} | ${pct(p.detected, p.entries)} | ${pct(p.byOwnRule, p.entries)} |`;
    }),
    `| **all** | ${a.malicious} | ${pct(a.malicious - a.misses.length, a.malicious)} | |`,
    '',
    `false positives: ${a.falsePositives.length} of ${a.benign} benign tools (${pct(a.falsePositives.length, a.benign)}); per rule: ${JSON.stringify(a.falsePositivesPerRule)}`,
  ];
  return lines.join('\n');
}

export function formatToolProblems(a: ToolAccuracy): string {
  const out: string[] = [];
  for (const m of a.misses) out.push(`MISS ${m.entry.id} [${(m.entry.techniques ?? []).join(', ')}]`);
  for (const f of a.falsePositives) {
    for (const x of f.findings) out.push(`FP   ${f.entry.id} ${x.ruleId} ${x.location.pointer}: ${x.message} | ${x.evidence ?? ''}`);
  }
  return out.join('\n');
}
