// Poisoning accuracy on the labelled tool corpus (test/fixtures/tools, and the blind holdout in
// test/fixtures/tools-holdout when present), for docs/PERFORMANCE.md: recall per technique and
// false positives on benign tools, then every miss and false positive.
//
//   node scripts/build.mjs --tests && node build/bench/tools-accuracy.bench.js [--holdout] [--quiet]
import { existsSync } from 'node:fs';
import { formatToolAccuracy, formatToolProblems, runToolAccuracy, TOOL_CORPUS, TOOL_CORPUS_HOLDOUT } from '../test/helpers/tool-corpus.js';

const argv = process.argv.slice(2);
const dirs = argv.includes('--holdout') ? [TOOL_CORPUS_HOLDOUT] : [TOOL_CORPUS, ...(existsSync(TOOL_CORPUS_HOLDOUT) ? [TOOL_CORPUS_HOLDOUT] : [])];
for (const dir of dirs) {
  const a = runToolAccuracy(dir);
  console.log(`\n${dir.endsWith('holdout') ? 'Holdout' : 'Corpus'}: ${a.benign} benign, ${a.malicious} malicious tools (${a.durationMs} ms)\n`);
  console.log(formatToolAccuracy(a));
  if (!argv.includes('--quiet')) {
    const problems = formatToolProblems(a);
    if (problems) console.log(`\n${problems}`);
  }
}
