// Detection accuracy on the labelled corpora (test/fixtures/corpus, and corpus-holdout, written
// later without reading the rules): recall and precision of at least 0.95 for each scored category
// and overall. A failure lists every missed label and every
// false positive with file:line and the rule's message.
import { describe, it, before } from 'node:test';
import { join } from 'node:path';
import { FIXTURES } from '../helpers/cli.js';
import assert from 'node:assert/strict';
import { checkLabels, formatProblems, formatTable, loadLabels, runAccuracy, SCORED, type AccuracyReport, type ScoredCategory } from '../helpers/accuracy.js';

const TARGET = 0.95;

describe('labelled corpus', () => {
  it('has consistent labels: files exist, lines in range, one label per (category, file, line)', () => {
    const problems = checkLabels(loadLabels());
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('has at least 40 labels in every scored category', () => {
    const labels = loadLabels();
    for (const cat of SCORED) {
      const n = labels.cases.reduce((sum, c) => sum + c.labels.filter((l) => l.category === cat).length, 0);
      assert.ok(n >= 40, `${cat}: only ${n} labels`);
    }
  });
});

for (const [name, dir] of [['main corpus', undefined], ['held-out corpus', join(FIXTURES, 'corpus-holdout')]] as const) {
  describe(`detection accuracy: ${name}`, () => {
    let report: AccuracyReport;
    before(() => {
      report = runAccuracy(dir ? { dir } : {});
    });

    it('has consistent labels', () => {
      const problems = dir ? checkLabels(loadLabels(dir), dir) : [];
      assert.deepEqual(problems, [], problems.join('\n'));
    });

    it('scans every case', () => {
      assert.deepEqual(report.errors, [], report.errors.join('\n'));
    });

    const check = (category: ScoredCategory | 'overall') => {
      const s = report.scores.find((x) => x.category === category)!;
      const detail = `${category}: precision ${s.precision.toFixed(3)} (tp ${s.tp}, fp ${s.fp}), recall ${s.recall.toFixed(3)} (fn ${s.fn} of ${s.labels})\n` +
        formatProblems(report, category === 'overall' ? undefined : category) + '\n\n' + formatTable(report);
      assert.ok(s.recall >= TARGET, `recall below ${TARGET}\n${detail}`);
      assert.ok(s.precision >= TARGET, `precision below ${TARGET}\n${detail}`);
    };

    for (const category of SCORED) it(`${category}: recall and precision ≥ ${TARGET}`, () => check(category));
    it(`overall: recall and precision ≥ ${TARGET}`, () => check('overall'));
  });
}
