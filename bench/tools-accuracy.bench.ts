// Poisoning accuracy on the labelled tool corpus (test/fixtures/tools, and the holdouts written
// blind in test/fixtures/tools-holdout and tools-holdout-2), for docs/PERFORMANCE.md: recall per technique and
// false positives on benign tools, then every miss and false positive.
//
//   node scripts/build.mjs --tests && node build/bench/tools-accuracy.bench.js [--holdout] [--quiet]
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { formatToolAccuracy, formatToolProblems, runToolAccuracy, TOOL_CORPUS, TOOL_HOLDOUTS } from '../test/helpers/tool-corpus.js';

const argv = process.argv.slice(2);
const holdouts = TOOL_HOLDOUTS.filter((d) => existsSync(d));
const dirs = argv.includes('--holdout') ? holdouts : [TOOL_CORPUS, ...holdouts];
for (const dir of dirs) {
  const a = runToolAccuracy(dir);
  console.log(`\n${basename(dir)}: ${a.benign} benign, ${a.malicious} malicious tools (${a.durationMs} ms)\n`);
  console.log(formatToolAccuracy(a));
  if (!argv.includes('--quiet')) {
    const problems = formatToolProblems(a);
    if (problems) console.log(`\n${problems}`);
  }
}
