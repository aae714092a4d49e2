// `--judge`: after the rules ran, the definitions they flagged as poisoned (all definitions with
// --judge-all) go to the language-model judge; its verdicts become `tool-judge-verdict` findings.
// A judge that cannot answer is a warning on stderr, never a finding and never a failed gate.
import type { Finding, McpDefinition } from '../core/types.js';
import { judgeDefinitions, type JudgeOptions } from '../inspect/judge.js';
import { toolJudgeVerdict } from '../rules/tool-judge-verdict.js';
import { evaluateDefinitions, type DefinitionSource } from './definitions.js';
import type { Root } from './findings.js';

export interface SecondOpinion {
  judge: JudgeOptions;
  /** Judge every definition, not only those a rule flagged. */
  all: boolean;
  warn(message: string): void;
}

function flaggedBy(findings: readonly Finding[]): (s: DefinitionSource) => boolean {
  const keys = new Set(
    findings.filter((f) => f.category === 'poisoning' && f.location.tool !== undefined).map((f) => `${f.location.client ?? ''}\0${f.location.server ?? ''}\0${f.location.definition ?? 'tool'}\0${f.location.tool}`),
  );
  return (s) => keys.has(`${s.client ?? ''}\0${s.server ?? ''}\0${s.def.kind}\0${s.def.name}`);
}

export async function secondOpinion(sources: readonly DefinitionSource[], findings: readonly Finding[], o: SecondOpinion, roots: Root[] = []): Promise<Finding[]> {
  const chosen = o.all ? [...sources] : sources.filter(flaggedBy(findings));
  if (chosen.length === 0) return [];
  const verdicts = await judgeDefinitions(
    chosen.map((s) => s.def),
    o.judge,
  );
  const failed = [...verdicts.values()].filter((v) => v.verdict === 'error');
  if (failed.length > 0) o.warn(`the judge gave no verdict on ${failed.length} of ${chosen.length} definitions: ${failed[0]!.reason}`);
  return evaluateDefinitions(chosen, [toolJudgeVerdict], roots, verdicts as ReadonlyMap<McpDefinition, (typeof failed)[number]>);
}
