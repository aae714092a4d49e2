// Judging throughput: every rule over tool definitions, as `warden tools` and `scan --connect`
// run them. The definitions are the labelled corpus (test/fixtures/tools), repeated to N, so the
// mix of honest and poisoned text is realistic. Side by side in one run: extracting the texts
// alone (the floor any judging pays) and JSON.parse of the same list (what reading it costs).
// Target: at least 5,000 definitions per second on one core.
//   node scripts/build.mjs --tests && node build/bench/tools-judge.bench.js [N]
import type { McpDefinition } from '../src/core/types.js';
import { definitionTexts } from '../src/inspect/texts.js';
import { RULES } from '../src/rules/index.js';
import { evaluateDefinitions } from '../src/scan/definitions.js';
import { loadToolCorpus } from '../test/helpers/tool-corpus.js';

const TARGET_PER_S = 5_000;
const n = Number(process.argv[2] ?? 20_000);
const corpus = loadToolCorpus().flatMap((s) => s.entries.map((e) => ({ server: s.server, tool: e.tool })));
if (corpus.length === 0) throw new Error('the tool corpus is empty');
const tools = Array.from({ length: n }, (_, i) => corpus[i % corpus.length]!);
const json = JSON.stringify(tools.map((t) => t.tool));
// Twenty servers per client, so name-collision and set rules see realistic groups.
const sources = tools.map((t, i) => ({ def: { kind: 'tool', name: String(t.tool['name']), raw: t.tool } as McpDefinition, server: `${t.server}-${i % 20}`, client: `client-${Math.floor(i / 400)}` }));

function time(label: string, fn: () => unknown): number {
  fn(); // warm-up
  const started = performance.now();
  fn();
  const ms = performance.now() - started;
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  ${Math.round((n / ms) * 1000).toLocaleString('en').padStart(10)} definitions/s`);
  return ms;
}

console.log(`Judging ${n.toLocaleString('en')} tool definitions (${(json.length / 1e6).toFixed(1)} MB as JSON), Node ${process.version}\n`);
const parse = time('JSON.parse of the list', () => JSON.parse(json));
const extract = time('text extraction only', () => sources.forEach((s) => definitionTexts(s.def)));
const judge = time('every rule (warden tools)', () => evaluateDefinitions(sources, RULES));
const perSecond = Math.round((n / judge) * 1000);
console.log(`\njudging / extraction: ${(judge / extract).toFixed(1)}x; judging / JSON.parse: ${(judge / parse).toFixed(1)}x`);
console.log(`${perSecond.toLocaleString('en')} definitions/s: ${perSecond >= TARGET_PER_S ? 'meets' : 'MISSES'} the ${TARGET_PER_S.toLocaleString('en')}/s target`);
