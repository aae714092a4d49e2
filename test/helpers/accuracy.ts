// Detection accuracy against the labelled corpus in test/fixtures/corpus: every case is scanned by
// the built CLI exactly as a user runs it (`warden scan … --format json`), and each finding is
// matched to a label by (category, file, line). The report says, per category, how many labels
// were found (tp), how many findings no label expects (fp) and how many labels were missed (fn),
// and lists each miss and false positive with file:line and the rule's message, so a failing run
// tells the rule owner exactly what to fix. LABELS.json documents the labelling conventions.
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FIXTURES, tempDir, warden } from './cli.js';

export const CORPUS = join(FIXTURES, 'corpus');
export const SCORED = ['secret', 'privilege', 'supply-chain', 'injection'] as const;
export type ScoredCategory = (typeof SCORED)[number];

export interface Label {
  category: ScoredCategory;
  /** Relative to the corpus directory, `/`-separated. */
  file: string;
  line: number;
  tag?: string;
  why: string;
  /** The start of the labelled line, trimmed: catches labels left behind when a file is edited. */
  text?: string;
}

export interface CorpusCase {
  name: string;
  description: string;
  /** CLI arguments; paths are relative to the corpus directory. */
  args: string[];
  /** An allowlist file relative to the corpus directory, passed as `--allowlist`. */
  allowlist?: string;
  labels: Label[];
  /** Look-alikes that must not be reported in their category (documentation for the diagnosis). */
  decoys: Label[];
}

export interface LabelsFile {
  /** File modes to apply to the scanned copy, e.g. {"home-a/.cursor/mcp.json": "600"}. */
  chmod: Record<string, string>;
  cases: CorpusCase[];
}

export interface ReportedFinding {
  case: string;
  category: string;
  file: string;
  line: number;
  ruleId: string;
  severity: string;
  message: string;
}

export interface Miss extends Label {
  case: string;
  /** False when discovery did not read this file (not in the inventory or found coverage). */
  fileDiscovered: boolean;
  /** The nearest unlabelled findings of the same category in the same file: usually a location mismatch. */
  nearby: ReportedFinding[];
}

export interface FalsePositive {
  case: string;
  category: ScoredCategory;
  file: string;
  line: number;
  /** Every finding at this (category, file, line); one false positive however many rules fired. */
  findings: ReportedFinding[];
  /** The decoy this finding hit, when the corpus marks one here. */
  decoy?: string;
  /** Categories labelled on this same line (a finding in the wrong category shows up here). */
  labelledAs: string[];
}

export interface CategoryScore {
  category: ScoredCategory | 'overall';
  labels: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface AccuracyReport {
  corpus: { cases: number; labels: Record<ScoredCategory, number>; decoys: Record<ScoredCategory, number> };
  scores: CategoryScore[];
  misses: Miss[];
  falsePositives: FalsePositive[];
  /** Findings outside the scored categories (config, poisoning…): listed, not scored. */
  unscored: ReportedFinding[];
  /** Cases the CLI could not scan (non-zero exit, unparsable output). */
  errors: string[];
  durationMs: number;
}

const key = (category: string, file: string, line: number) => `${category}\0${file}\0${line}`;

export function loadLabels(dir = CORPUS): LabelsFile {
  const data = JSON.parse(readFileSync(join(dir, 'LABELS.json'), 'utf8')) as LabelsFile;
  if (!Array.isArray(data.cases)) throw new Error(`${dir}/LABELS.json: no "cases" list`);
  return { chmod: data.chmod ?? {}, cases: data.cases };
}

/** Problems with the labels themselves: missing files, lines past the end, duplicate keys. */
export function checkLabels(labels: LabelsFile, dir = CORPUS): string[] {
  const problems: string[] = [];
  const cache = new Map<string, string[]>();
  const lines = (file: string) => {
    let l = cache.get(file);
    if (!l) {
      l = readFileSync(join(dir, file), 'utf8').split('\n');
      cache.set(file, l);
    }
    return l;
  };
  const seen = new Set<string>();
  for (const c of labels.cases) {
    if (c.allowlist && !existsSync(join(dir, c.allowlist))) problems.push(`${c.name}: allowlist ${c.allowlist} does not exist`);
    for (const [list, entries] of [['label', c.labels], ['decoy', c.decoys]] as const) {
      for (const l of entries) {
        const where = `${c.name}: ${list} ${l.category} ${l.file}:${l.line}`;
        if (!SCORED.includes(l.category)) problems.push(`${where}: unknown category`);
        if (!l.file.startsWith(`${c.name}/`)) problems.push(`${where}: file outside the case directory`);
        if (!existsSync(join(dir, l.file))) {
          problems.push(`${where}: no such file`);
          continue;
        }
        const text = lines(l.file)[l.line - 1];
        if (!Number.isInteger(l.line) || text === undefined) problems.push(`${where}: line out of range`);
        else if (l.text !== undefined && !text.trim().startsWith(l.text)) problems.push(`${where}: line reads "${text.trim().slice(0, 48)}", label expects "${l.text}"`);
        if (!l.why) problems.push(`${where}: no "why"`);
        if (list === 'label') {
          const k = key(l.category, l.file, l.line);
          if (seen.has(k)) problems.push(`${where}: two labels at one (category, file, line)`);
          seen.add(k);
        }
      }
    }
  }
  for (const c of labels.cases)
    for (const d of c.decoys) if (seen.has(key(d.category, d.file, d.line))) problems.push(`${c.name}: decoy ${d.category} ${d.file}:${d.line} is also a label`);
  for (const p of Object.keys(labels.chmod)) if (!existsSync(join(dir, p))) problems.push(`chmod: ${p} does not exist`);
  return problems;
}

/**
 * Copies the corpus to a temporary directory with deterministic modes: git keeps only 644/755,
 * and a checkout's umask varies, while the world-readable-secrets rule reads the mode.
 */
export function prepareCorpus(labels: LabelsFile, dir = CORPUS): string {
  const root = tempDir('warden-corpus-');
  cpSync(dir, root, { recursive: true });
  const normalise = (d: string) => {
    chmodSync(d, 0o755);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) normalise(p);
      else if (e.isFile()) chmodSync(p, 0o644);
    }
  };
  normalise(root);
  for (const [p, mode] of Object.entries(labels.chmod)) chmodSync(join(root, p), parseInt(mode, 8));
  return root;
}

interface JsonFinding {
  ruleId: string;
  category: string;
  severity: string;
  message: string;
  location: { file?: string; line?: number };
  suppressed?: unknown;
}

interface JsonResult {
  findings?: JsonFinding[];
  inventory?: { servers?: Array<{ file: string }>; instructionFiles?: Array<{ path: string }> };
  coverage?: Array<{ path: string; status: string }>;
}

function scanCase(c: CorpusCase, root: string): { findings: ReportedFinding[]; discovered: Set<string>; error?: string } {
  const args = [...c.args, '--format', 'json', ...(c.allowlist ? ['--allowlist', join(root, c.allowlist)] : [])];
  const r = warden(args, { cwd: root });
  const cmd = `warden ${args.join(' ')}`;
  const discovered = new Set<string>();
  if (r.status !== 0) return { findings: [], discovered, error: `${c.name}: \`${cmd}\` exited ${r.status}: ${r.stderr.trim().split('\n').slice(0, 5).join(' / ')}` };
  let out: JsonResult;
  try {
    out = JSON.parse(r.stdout) as JsonResult;
  } catch (err) {
    return { findings: [], discovered, error: `${c.name}: \`${cmd}\` printed invalid JSON (${(err as Error).message})` };
  }
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  for (const s of out.inventory?.servers ?? []) discovered.add(rel(s.file));
  for (const i of out.inventory?.instructionFiles ?? []) discovered.add(rel(i.path));
  for (const e of out.coverage ?? []) if (e.status === 'found') discovered.add(rel(e.path));
  const findings = (out.findings ?? [])
    .filter((f) => !f.suppressed && f.severity !== 'info')
    .map((f) => ({
      case: c.name,
      category: f.category,
      file: f.location.file ? rel(f.location.file) : '(no file)',
      line: f.location.line ?? 0,
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
    }));
  return { findings, discovered };
}

function score(category: CategoryScore['category'], tp: number, fp: number, fn: number): CategoryScore {
  return {
    category,
    labels: tp + fn,
    tp,
    fp,
    fn,
    // Nothing reported is nothing wrongly reported; recall says whether that is good.
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}

export function runAccuracy(opts: { dir?: string; cases?: string[] } = {}): AccuracyReport {
  const started = performance.now();
  const dir = opts.dir ?? CORPUS;
  const labels = loadLabels(dir);
  const cases = opts.cases ? labels.cases.filter((c) => opts.cases!.includes(c.name)) : labels.cases;
  const root = prepareCorpus(labels, dir);
  const misses: Miss[] = [];
  const falsePositives: FalsePositive[] = [];
  const unscored: ReportedFinding[] = [];
  const errors: string[] = [];
  const count = Object.fromEntries(SCORED.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<ScoredCategory, { tp: number; fp: number; fn: number }>;
  try {
    for (const c of cases) {
      const { findings, discovered, error } = scanCase(c, root);
      if (error) errors.push(error);
      const byKey = new Map<string, ReportedFinding[]>();
      for (const f of findings) {
        if (!(SCORED as readonly string[]).includes(f.category)) {
          unscored.push(f);
          continue;
        }
        const k = key(f.category, f.file, f.line);
        byKey.set(k, [...(byKey.get(k) ?? []), f]);
      }
      const labelled = new Set(c.labels.map((l) => key(l.category, l.file, l.line)));
      for (const l of c.labels) {
        if (byKey.has(key(l.category, l.file, l.line))) {
          count[l.category].tp++;
          continue;
        }
        count[l.category].fn++;
        misses.push({
          ...l,
          case: c.name,
          fileDiscovered: discovered.has(l.file),
          nearby: findings
            .filter((f) => f.file === l.file && f.category === l.category && !labelled.has(key(f.category, f.file, f.line)))
            .sort((a, b) => Math.abs(a.line - l.line) - Math.abs(b.line - l.line))
            .filter((f, i, all) => all.findIndex((g) => g.line === f.line && g.ruleId === f.ruleId) === i)
            .slice(0, 2),
        });
      }
      for (const [k, fs] of byKey) {
        if (labelled.has(k)) continue;
        const { category, file, line } = fs[0]! as ReportedFinding & { category: ScoredCategory };
        count[category].fp++;
        const decoy = c.decoys.find((d) => d.category === category && d.file === file && d.line === line);
        falsePositives.push({
          case: c.name,
          category,
          file,
          line,
          findings: fs,
          ...(decoy ? { decoy: decoy.why } : {}),
          labelledAs: c.labels.filter((l) => l.file === file && l.line === line).map((l) => l.category),
        });
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const scores = SCORED.map((c) => score(c, count[c].tp, count[c].fp, count[c].fn));
  const total = (f: 'tp' | 'fp' | 'fn') => scores.reduce((n, s) => n + s[f], 0);
  scores.push(score('overall', total('tp'), total('fp'), total('fn')));
  const tally = (pick: (c: CorpusCase) => Label[]) =>
    Object.fromEntries(SCORED.map((cat) => [cat, cases.reduce((n, c) => n + pick(c).filter((l) => l.category === cat).length, 0)])) as Record<ScoredCategory, number>;
  return {
    corpus: { cases: cases.length, labels: tally((c) => c.labels), decoys: tally((c) => c.decoys) },
    scores,
    misses,
    falsePositives,
    unscored,
    errors,
    durationMs: Math.round(performance.now() - started),
  };
}

const pct = (x: number) => x.toFixed(3);

/** The per-category table, as Markdown (for docs/PERFORMANCE.md). */
export function formatTable(report: AccuracyReport): string {
  const rows = report.scores.map((s) => `| ${s.category} | ${s.labels} | ${s.tp} | ${s.fp} | ${s.fn} | ${pct(s.precision)} | ${pct(s.recall)} |`);
  return ['| category | labels | tp | fp | fn | precision | recall |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n');
}

const clip = (s: string, n = 160) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** Every miss and false positive (of one category, or all), one per line, for a developer to act on. */
export function formatProblems(report: AccuracyReport, category?: ScoredCategory): string {
  const misses = report.misses.filter((m) => !category || m.category === category);
  const fps = report.falsePositives.filter((f) => !category || f.category === category);
  const out: string[] = [];
  if (report.errors.length) out.push('scan errors:', ...report.errors.map((e) => `  ${e}`));
  if (misses.length) {
    out.push(`missed (${misses.length}):`);
    for (const m of misses) {
      let note = '';
      if (!m.fileDiscovered) note = ' — file not discovered: no client spec reads it';
      else if (m.nearby.length) note = ` — nearest unlabelled ${m.category} finding in this file: ${m.nearby.map((f) => `:${f.line} ${f.ruleId}`).join(', ')}`;
      out.push(`  ${m.category} ${m.file}:${m.line}${m.tag ? ` [${m.tag}]` : ''} ${m.why}${note}`);
    }
  }
  if (fps.length) {
    out.push(`false positives (${fps.length}):`);
    for (const f of fps) {
      const rules = f.findings.map((x) => `${x.ruleId} (${x.severity}): ${clip(x.message)}`).join(' | ');
      const why = f.decoy ? ` — decoy: ${f.decoy}` : f.labelledAs.length ? ` — line is labelled ${f.labelledAs.join(', ')}` : '';
      out.push(`  ${f.category} ${f.file}:${f.line} ${rules}${why}`);
    }
  }
  return out.join('\n');
}
