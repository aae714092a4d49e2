// The labelled tool corpus (test/fixtures/tools) and the poisoning detectors' accuracy on it. The
// corpus is a fixture people extend by hand, so its integrity is checked first; then the
// figures the issue sets: recall of at least 0.95 on every technique, false positives on at most
// 1% of honest tools. bench/tools-accuracy.bench.ts prints the full table and every miss.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { formatToolProblems, loadToolCorpus, runToolAccuracy, TECHNIQUES, TOOL_CORPUS, TOOL_HOLDOUTS } from '../helpers/tool-corpus.js';

for (const dir of [TOOL_CORPUS, ...TOOL_HOLDOUTS].filter((d) => existsSync(d))) {
  const name = dir === TOOL_CORPUS ? 'tool corpus' : `tool holdout corpus ${basename(dir)}`;
  describe(name, () => {
    const servers = loadToolCorpus(dir);
    const entries = servers.flatMap((s) => s.entries);

    it('is well formed: unique ids, benign twins that exist, known techniques, real tools', () => {
      const byId = new Map(entries.map((e) => [e.id, e]));
      assert.equal(byId.size, entries.length, 'duplicate ids');
      for (const e of entries) {
        assert.ok(e.label === 'benign' || e.label === 'malicious', `${e.id}: label`);
        assert.equal(typeof e.tool['name'], 'string', `${e.id}: name`);
        if (e.label === 'benign') assert.equal(e.techniques, undefined, `${e.id}: a benign entry has no techniques`);
        else assert.ok(e.techniques && e.techniques.length > 0 && e.techniques.every((t) => (TECHNIQUES as readonly string[]).includes(t)), `${e.id}: techniques`);
        if (e.twin) assert.equal(byId.get(e.twin)?.label, 'benign', `${e.id}: twin ${e.twin}`);
      }
    });

    if (dir === TOOL_CORPUS) {
      it('holds at least 300 honest and 150 poisoned tools, every technique at least 15 times', () => {
        assert.ok(entries.filter((e) => e.label === 'benign').length >= 300);
        assert.ok(entries.filter((e) => e.label === 'malicious').length >= 150);
        for (const t of TECHNIQUES) assert.ok(entries.filter((e) => e.techniques?.includes(t)).length >= 15, t);
      });
    }

    if (dir === TOOL_CORPUS) {
      it('is judged with recall >= 0.95 per technique and false positives on <= 1% of honest tools', () => {
        const a = runToolAccuracy(dir);
        const problems = formatToolProblems(a);
        for (const t of TECHNIQUES) {
          const p = a.perTechnique[t];
          assert.ok(p.detected / p.entries >= 0.95, `${t}: recall ${(p.detected / p.entries).toFixed(3)}\n${problems}`);
        }
        assert.ok((a.malicious - a.misses.length) / a.malicious >= 0.95, `overall recall\n${problems}`);
        assert.ok(a.falsePositives.length / a.benign <= 0.01, `false positives ${a.falsePositives.length}/${a.benign}\n${problems}`);
      });
    } else {
      // A holdout measures generalisation (its figures are in docs/PERFORMANCE.md); the test holds
      // the floor below them so that a change which loses what the holdout shows is caught.
      it('stays above its regression floor: recall >= 0.9 overall, false positives <= 2%', () => {
        const a = runToolAccuracy(dir);
        const problems = formatToolProblems(a);
        assert.ok((a.malicious - a.misses.length) / a.malicious >= 0.9, `overall recall\n${problems}`);
        assert.ok(a.falsePositives.length / a.benign <= 0.02, `false positives ${a.falsePositives.length}/${a.benign}\n${problems}`);
      });
    }
  });
}
