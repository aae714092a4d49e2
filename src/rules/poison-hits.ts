// The poisoning rules share one pass over a definition's texts (detect/tool-poisoning): each rule
// reports the hits of its own technique. The pass is cached per definition so seven rules cost
// one analysis.
import { findPoison, type PoisonHit, type PoisonTechnique } from '../detect/tool-poisoning.js';
import type { DefinitionText } from '../inspect/texts.js';
import { defineRule, type DefinitionSubject, type Rule, type RuleCases, type RuleHit, type RuleMeta } from './rule.js';

const cache = new WeakMap<readonly DefinitionText[], PoisonHit[]>();

function poisonOf(subject: DefinitionSubject): PoisonHit[] {
  let hits = cache.get(subject.texts);
  if (!hits) {
    hits = findPoison({ name: subject.def.name, texts: subject.texts, siblings: subject.siblings, ...(subject.truncated ? { truncated: subject.truncated } : {}) });
    cache.set(subject.texts, hits);
  }
  return hits;
}

export function poisonHits(subject: DefinitionSubject, technique: PoisonTechnique): RuleHit[] {
  return poisonOf(subject)
    .filter((h) => h.technique === technique)
    .map((h) => ({
      message: h.message,
      evidence: h.evidence,
      severity: h.severity,
      at: { pointer: h.pointer, offset: h.offset, length: h.length },
      key: `${h.pointer}\0${h.evidence}`,
    }));
}

/** A poisoning rule: metadata, cases, and the technique whose hits it reports. */
export function poisoningRule(technique: PoisonTechnique, meta: Omit<RuleMeta, 'category'>, cases: RuleCases): Rule {
  return defineRule({ meta: { ...meta, category: 'poisoning' }, checkDefinition: (s) => poisonHits(s, technique), cases });
}
