// Policy decisions per second: a 50-rule policy (the balanced preset's rules plus 43 realistic
// server/tool rules with conditions on arguments), compiled once, deciding a mix of actions, on one
// core. Side by side: the same actions through a policy with no rules (the floor: defaults only).
// Target: at least 200,000 decisions per second.
//   node scripts/build.mjs --tests && node build/bench/policy.bench.js
import { parsePolicy, type PolicySpec } from '../src/policy/load.js';
import { decide } from '../src/policy/evaluate.js';
import { PRESETS } from '../src/policy/presets.js';
import { extraRules } from './fifty-rules.js';
import type { Action } from '../src/policy/types.js';

const TARGET = 200_000;
const N = Number(process.argv[2] ?? 400_000);

function compile(text: string): PolicySpec {
  const { policy, problems } = parsePolicy('bench.yaml', text);
  if (!policy) throw new Error(problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n'));
  return policy;
}

const balanced = compile(PRESETS.balanced);
const fifty = compile(PRESETS.balanced + extraRules(50 - balanced.rules.length, ['github', 'slack', 'postgres', 'filesystem', 'jira']));
const empty = compile('version: 1\n');
const actions: Action[] = [
  { kind: 'tool_call', server: 'github', tool: 'get_issue', args: { repo: 'acme/web', number: 12 }, capabilities: ['untrusted-input'] },
  { kind: 'tool_call', server: 'github', tool: 'create_pull_request', args: { repo: 'acme/web', title: 'x' }, capabilities: ['writes', 'egress'], session: { taint: [] } },
  { kind: 'tool_call', server: 'postgres', tool: 'run_query', args: { sql: 'select 1', limit: 50 }, capabilities: ['private-data'] },
  { kind: 'file_read', args: { path: '/home/me/project/src/index.ts' } },
  { kind: 'shell', args: { command: 'npm test -- --coverage' } },
  { kind: 'fetch', args: { url: 'https://registry.npmjs.org/left-pad' } },
  { kind: 'tool_call', server: 'slack', tool: 'post_message', args: { channel: 'C1', text: 'done' }, capabilities: ['egress'], session: { taint: ['untrusted-input'] } },
  { kind: 'tool_call', server: 'filesystem', tool: 'read_file', args: { path: '/srv/private-9/notes.txt' }, capabilities: ['private-data'] },
];

function run(p: PolicySpec): number {
  const now = new Date();
  for (let i = 0; i < 20_000; i++) decide(p, actions[i % actions.length]!, now); // warm-up
  const started = performance.now();
  for (let i = 0; i < N; i++) decide(p, actions[i % actions.length]!, now);
  return (N / (performance.now() - started)) * 1000;
}

console.log(`Policy decisions, ${N.toLocaleString('en')} per policy, one core, Node ${process.version}\n`);
const floor = run(empty);
const base = run(balanced);
const full = run(fifty);
const fmt = (x: number) => Math.round(x).toLocaleString('en').padStart(11);
console.log(`no rules (defaults only, the floor)  ${fmt(floor)} decisions/s`);
console.log(`balanced preset (${balanced.rules.length} rules)            ${fmt(base)} decisions/s`);
console.log(`50-rule policy                       ${fmt(full)} decisions/s   (${(floor / full).toFixed(1)}x the floor's cost)`);
console.log(`\n${full >= TARGET ? 'meets' : 'MISSES'} the ${TARGET.toLocaleString('en')}/s target`);
