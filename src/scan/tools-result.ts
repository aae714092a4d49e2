// `warden tools`: judging definitions someone already has (a `tools/list` result, a list of
// tools, Warden's own output) with the same rules as `warden scan --connect`, into the same
// result shape, so formats and exit codes are shared.
import type { McpDefinition, ServerInspection } from '../core/types.js';
import { RESULT_SCHEMA_VERSION, type ScanResult } from '../core/result.js';
import { VERSION } from '../core/version.js';
import { RULES } from '../rules/index.js';
import type { Rule } from '../rules/rule.js';
import { evaluateDefinitions, type DefinitionSource } from './definitions.js';
import { redactFindings, severityCounts } from './findings.js';
import { compareFindings } from './scan.js';
import { redactInspections } from './redact-definitions.js';
import { secondOpinion, type SecondOpinion } from './second-opinion.js';

/** The definitions of one input, grouped as the servers that listed them (one group when no server is named). */
function asInspections(sources: readonly DefinitionSource[]): ServerInspection[] {
  const groups = new Map<string, { server: string; client: string; defs: McpDefinition[] }>();
  for (const s of sources) {
    const key = `${s.client ?? ''}\0${s.server ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { server: s.server ?? '', client: s.client ?? '', defs: [] }));
    g.defs.push(s.def);
  }
  return [...groups.values()].map((g) => ({
    serverId: g.server,
    server: g.server,
    client: g.client,
    scope: 'user',
    status: 'ok',
    definitions: g.defs,
    durationMs: 0,
  }));
}

export async function toolsResult(sources: readonly DefinitionSource[], opts: { label: string; rules?: readonly Rule[]; now?: Date; secondOpinion?: SecondOpinion }): Promise<ScanResult> {
  const started = performance.now();
  const findings = evaluateDefinitions(sources, opts.rules ?? RULES);
  if (opts.secondOpinion) findings.push(...(await secondOpinion(sources, findings, opts.secondOpinion)));
  findings.sort(compareFindings);
  await redactFindings(findings);
  return {
    version: RESULT_SCHEMA_VERSION,
    tool: { name: 'warden', version: VERSION },
    scannedAt: (opts.now ?? new Date()).toISOString(),
    target: { home: null, os: [], projects: [], definitions: opts.label },
    inventory: { clients: [], servers: [], instructionFiles: [], inspections: await redactInspections(asInspections(sources)) },
    coverage: [],
    findings,
    warnings: [],
    summary: {
      clients: 0,
      servers: 0,
      instructionFiles: 0,
      findings: severityCounts(findings),
      suppressed: 0,
      filesRead: opts.label === '-' ? 0 : 1,
      durationMs: Math.round(performance.now() - started),
    },
  };
}
