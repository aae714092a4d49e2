// Every rule's own cases (RuleTester style): each invalid case must hit, each valid case must not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../../src/rules/index.js';
import { CATEGORIES, OWASP_AGENTIC, SEVERITIES } from '../../src/core/types.js';
import { runCase } from '../helpers/rule-subjects.js';

describe('rule catalogue', () => {
  it('has unique ids that name their module', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
  it('gives every rule complete metadata and cases on both sides', () => {
    for (const r of RULES) {
      assert.ok(CATEGORIES.includes(r.meta.category), `${r.meta.id}: category`);
      assert.ok(SEVERITIES.includes(r.meta.severity), `${r.meta.id}: severity`);
      assert.ok(r.meta.owasp.length > 0 && r.meta.owasp.every((o) => o in OWASP_AGENTIC), `${r.meta.id}: owasp`);
      assert.ok(r.meta.title && r.meta.description && r.meta.remediation, `${r.meta.id}: texts`);
      assert.ok(r.cases.invalid.length > 0 && r.cases.valid.length > 0, `${r.meta.id}: needs valid and invalid cases`);
    }
  });
});

for (const rule of RULES) {
  describe(`rule ${rule.meta.id}`, () => {
    rule.cases.invalid.forEach((c, i) => {
      it(`flags invalid case ${c.name ?? i}`, async () => {
        const hits = await runCase(rule, c);
        assert.ok(hits, 'the rule has no check for this kind of case');
        assert.ok(hits.length > 0, `expected a hit for ${JSON.stringify(c)}`);
        for (const h of hits) assert.ok(h.message.length > 0);
      });
    });
    rule.cases.valid.forEach((c, i) => {
      it(`passes valid case ${c.name ?? i}`, async () => {
        const hits = await runCase(rule, c);
        assert.ok(hits, 'the rule has no check for this kind of case');
        assert.deepEqual(hits.map((h) => h.message), [], `unexpected hit for ${JSON.stringify(c)}`);
      });
    });
  });
}
