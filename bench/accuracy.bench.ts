// Detection accuracy on the labelled corpus (test/fixtures/corpus), for docs/PERFORMANCE.md:
// per category, labels found (tp), findings no label expects (fp), labels missed (fn), precision
// and recall. Then every miss and false positive, so the table can be acted on.
//
//   node scripts/build.mjs --tests && node build/bench/accuracy.bench.js [--case NAME]... [--quiet]
import { formatProblems, formatTable, runAccuracy } from '../test/helpers/accuracy.js';

const argv = process.argv.slice(2);
const cases = argv.flatMap((a, i) => (a === '--case' && argv[i + 1] ? [argv[i + 1]!] : []));
const report = runAccuracy(cases.length ? { cases } : {});
const { corpus } = report;
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

console.log(`Detection accuracy: ${corpus.cases} cases, ${sum(corpus.labels)} labels, ${sum(corpus.decoys)} decoys (${report.durationMs} ms)\n`);
console.log(formatTable(report));
console.log(`\nlabels per category: ${JSON.stringify(corpus.labels)}; decoys: ${JSON.stringify(corpus.decoys)}`);
if (!argv.includes('--quiet')) {
  const problems = formatProblems(report);
  if (problems) console.log(`\n${problems}`);
  if (report.unscored.length) {
    console.log(`\nunscored findings (${report.unscored.length}, categories outside secret/privilege/supply-chain/injection):`);
    for (const f of report.unscored) console.log(`  ${f.category} ${f.file}:${f.line} ${f.ruleId}: ${f.message}`);
  }
}
