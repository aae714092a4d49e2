// The posture scan: discovery, then every rule over every subject, then findings with resolved
// locations, fingerprints and suppressions. Output formats are not known here.
import type { Finding, ScanWarning, ServerDecl, ServerInspection, Severity } from '../core/types.js';
import type { DriftEntry } from '../inspect/drift.js';
import { connectedSources, judgeConnected } from './connected.js';
import { secondOpinion, type SecondOpinion } from './second-opinion.js';
import { redactInspections } from './redact-definitions.js';
import { severityRank } from '../core/types.js';
import { RESULT_SCHEMA_VERSION, type ScanResult } from '../core/result.js';
import { discover, type DiscoverOptions, type Discovery } from '../discover/discover.js';
import { fieldPath } from '../discover/servers.js';
import { toPointer, type PathSegment } from '../parse/document.js';
import { LineIndex } from '../parse/text.js';
import { RULES } from '../rules/index.js';
import type { Allowlist, HitAt, Rule } from '../rules/rule.js';
import { findSuppressions, type Suppression } from './suppress.js';
import { dedupe, finding, redactFindings, rootsOf, severityCounts, type Root } from './findings.js';
import { VERSION } from '../core/version.js';
import { redactSecretsIn } from '../detect/secrets.js';

export interface ScanOptions extends DiscoverOptions {
  allowlist?: Allowlist;
  rules?: readonly Rule[];
  /** false: ignore inline `warden-ignore` comments (a repository under review can write them too). */
  inlineSuppressions?: boolean;
  /** Fixed clock for reproducible output in tests. */
  now?: Date;
  /**
   * `--connect`: inspects the discovered servers (consent is the caller's business) and, when
   * lockfiles pin them, says how they drifted.
   */
  connect?: {
    inspect(servers: readonly ServerDecl[]): Promise<ServerInspection[]>;
    drift?(inspections: readonly ServerInspection[], servers: readonly ServerDecl[], warnings: ScanWarning[]): Promise<DriftEntry[]>;
    /** `--judge`: a language model's second opinion on what the rules flagged. */
    secondOpinion?: SecondOpinion;
  };
}

export async function scan(opts: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const discovery = discover(opts);
  const rules = opts.rules ?? RULES;
  const roots = rootsOf(opts);
  const findings = await evaluate(discovery, rules, opts.allowlist, roots, opts.inlineSuppressions !== false);
  let inspections: ServerInspection[] | undefined;
  if (opts.connect) {
    const decls = discovery.servers.map((s) => s.decl);
    inspections = await opts.connect.inspect(decls);
    const drift = (await opts.connect.drift?.(inspections, decls, discovery.warnings)) ?? [];
    const connected = judgeConnected(inspections, decls, drift, rules, roots);
    findings.push(...connected);
    if (opts.connect.secondOpinion) findings.push(...(await secondOpinion(connectedSources(inspections, decls), connected, opts.connect.secondOpinion, roots)));
  }
  findings.sort(compareFindings);
  await redactFindings(findings);
  const servers = await Promise.all(discovery.servers.map((s) => displayedServer(s.decl)));
  const counts = severityCounts(findings);
  return {
    version: RESULT_SCHEMA_VERSION,
    tool: { name: 'warden', version: VERSION },
    scannedAt: (opts.now ?? new Date()).toISOString(),
    target: {
      home: opts.homes[0]?.path ?? null,
      os: [...new Set(opts.homes.flatMap((h) => h.os))],
      projects: [...opts.projects],
    },
    inventory: {
      clients: discovery.clients,
      servers,
      instructionFiles: discovery.instructions.map((i) => i.file),
      ...(inspections ? { inspections: await redactInspections(inspections) } : {}),
    },
    coverage: discovery.coverage,
    findings,
    warnings: discovery.warnings,
    summary: {
      clients: discovery.clients.filter((c) => c.installed).length,
      servers: discovery.servers.length,
      instructionFiles: discovery.instructions.length,
      findings: counts,
      suppressed: findings.filter((f) => f.suppressed).length,
      filesRead: discovery.filesRead,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

/**
 * A server as the result carries it after the rules have run: the launch command, arguments,
 * working directory and URL with credentials redacted. Env and header values stay for callers
 * in this process; every renderer prints only their names.
 */
async function displayedServer(s: ServerDecl): Promise<ServerDecl> {
  return {
    ...s,
    ...(s.command !== undefined ? { command: await redactSecretsIn(s.command) } : {}),
    args: await Promise.all(s.args.map(redactSecretsIn)),
    ...(s.cwd !== undefined ? { cwd: await redactSecretsIn(s.cwd) } : {}),
    ...(s.url !== undefined ? { url: await redactSecretsIn(s.url) } : {}),
  };
}

async function evaluate(d: Discovery, rules: readonly Rule[], allowlist: Allowlist | undefined, roots: Root[], honourSuppressions: boolean): Promise<Finding[]> {
  const out: Finding[] = [];
  const suppressionCache = new Map<string, Suppression[]>();
  const suppressionsFor = (file: string, text: string) => {
    if (!honourSuppressions) return [];
    let s = suppressionCache.get(file);
    if (!s) {
      s = findSuppressions(file, text, d.warnings);
      suppressionCache.set(file, s);
    }
    return s;
  };
  const allServerNames = new Set(d.servers.map((s) => s.decl.name));

  for (const rule of rules) {
    if (rule.checkServer) {
      for (const s of d.servers) {
        const hits = await rule.checkServer({ server: s.decl, allServerNames, ...(allowlist ? { allowlist } : {}) });
        for (const hit of hits) {
          const path = hitPath(hit.at, s.sources.base, (f) => fieldPath(s.sources, f));
          const pos = s.doc.locate(path);
          out.push(
            finding(rule, hit, roots, {
              file: s.doc.path,
              line: pos.line,
              column: pos.column,
              pointer: toPointer(path),
              client: s.decl.client,
              server: s.decl.name,
            }, suppressionsFor(s.doc.path, s.doc.text)),
          );
        }
      }
    }
    if (rule.checkConfig) {
      for (const c of d.configs) {
        const hits = await rule.checkConfig({ client: c.client, scope: c.scope, doc: c.doc, mode: c.mode });
        const text = new TextSpans(c.doc.text);
        for (const hit of hits) {
          const at = hit.at;
          const base = { file: c.doc.path, client: c.client };
          if (at && 'offset' in at && !('pointer' in at)) {
            // A hit in the file's raw text (a secret anywhere in it) rather than at a config value.
            const span = text.at(at.offset, at.length);
            out.push(finding(rule, { ...hit, key: hit.key ?? span.snippet }, roots, { ...base, line: span.line, column: span.column }, suppressionsFor(c.doc.path, c.doc.text)));
          } else {
            const path = at && 'path' in at ? at.path : [];
            const pos = c.doc.locate(path);
            out.push(finding(rule, hit, roots, { ...base, line: pos.line, column: pos.column, pointer: toPointer(path) }, suppressionsFor(c.doc.path, c.doc.text)));
          }
        }
      }
    }
    if (rule.checkInstruction) {
      for (const i of d.instructions) {
        const hits = await rule.checkInstruction({ path: i.file.path, kind: i.file.kind, scope: i.file.scope, text: i.text });
        const text = new TextSpans(i.text);
        for (const hit of hits) {
          const span = hit.at && 'offset' in hit.at && hit.at.offset !== undefined ? text.at(hit.at.offset, hit.at.length) : { line: 1, column: 1, snippet: '' };
          const location = { file: i.file.path, line: span.line, column: span.column, client: i.file.clients[0]! };
          out.push(finding(rule, { ...hit, key: hit.key ?? span.snippet }, roots, location, suppressionsFor(i.file.path, i.text)));
        }
      }
    }
    if (rule.checkCoverage) {
      for (const entry of d.coverage) {
        for (const hit of rule.checkCoverage(entry)) {
          // A parse error's detail starts with its position ("line 4, column 5: ...").
          const at = /^line (\d+), column (\d+)/.exec(entry.detail ?? '');
          out.push(finding(rule, hit, roots, { file: entry.path, line: Number(at?.[1] ?? 1), column: Number(at?.[2] ?? 1), client: entry.client }, []));
        }
      }
    }
  }
  return dedupe(out);
}

/**
 * Positions of text hits, with a short snippet that keys the fingerprint: the text a finding is
 * about survives lines added above it, where a line number would not.
 */
class TextSpans {
  private index: LineIndex | undefined;
  constructor(private readonly text: string) {}
  at(offset: number, length = 64): { line: number; column: number; snippet: string } {
    this.index ??= new LineIndex(this.text);
    return { ...this.index.position(offset), snippet: this.text.slice(offset, offset + Math.min(length, 64)) };
  }
}

function hitPath(at: HitAt | undefined, base: readonly PathSegment[], field: (f: Exclude<HitAt, { path: unknown } | { offset?: unknown }>) => readonly PathSegment[]) {
  if (!at) return base;
  if ('path' in at) return at.path;
  if ('offset' in at || 'pointer' in at) return base;
  return field(at);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.location.file ?? '').localeCompare(b.location.file ?? '') ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    (a.location.column ?? 0) - (b.location.column ?? 0) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/** True when an unsuppressed finding at or above `threshold` exists; `info` never fails a gate. */
export function failsGate(result: ScanResult, threshold: Severity): boolean {
  return result.findings.some((f) => !f.suppressed && f.severity !== 'info' && severityRank(f.severity) >= severityRank(threshold));
}
