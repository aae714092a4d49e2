// Detection accuracy on the held-out corpus (test/fixtures/corpus-holdout): cases written blind,
// without reading the main corpus, the rules or the detectors, to check that the scores on
// test/fixtures/corpus are not optimistic. Same harness, same conventions, another directory.
//
//   node scripts/build.mjs --tests && node build/bench/accuracy-holdout.bench.js [--case NAME]... [--quiet]
import { join } from 'node:path';
import { FIXTURES } from '../test/helpers/cli.js';
import { checkLabels, formatProblems, formatTable, loadLabels, runAccuracy } from '../test/helpers/accuracy.js';

const dir = join(FIXTURES, 'corpus-holdout');
const argv = process.argv.slice(2);
const cases = argv.flatMap((a, i) => (a === '--case' && argv[i + 1] ? [argv[i + 1]!] : []));

const problems = checkLabels(loadLabels(dir), dir);
if (problems.length) {
  console.error(`LABELS.json problems:\n  ${problems.join('\n  ')}`);
  process.exitCode = 1;
}

const report = runAccuracy({ dir, ...(cases.length ? { cases } : {}) });
const { corpus } = report;
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

console.log(`Held-out detection accuracy: ${corpus.cases} cases, ${sum(corpus.labels)} labels, ${sum(corpus.decoys)} decoys (${report.durationMs} ms)\n`);
console.log(formatTable(report));
console.log(`\nlabels per category: ${JSON.stringify(corpus.labels)}; decoys: ${JSON.stringify(corpus.decoys)}`);
if (!argv.includes('--quiet')) {
  const out = formatProblems(report);
  if (out) console.log(`\n${out}`);
  if (report.unscored.length) {
    console.log(`\nunscored findings (${report.unscored.length}, categories outside secret/privilege/supply-chain/injection):`);
    for (const f of report.unscored) console.log(`  ${f.category} ${f.file}:${f.line} ${f.ruleId}: ${f.message}`);
  }
}
