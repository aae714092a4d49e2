// Tool capability classification throughput: realistic tool definitions (names, descriptions of a
// few sentences, schemas of a few properties, some annotations), half from unknown servers (every
// heuristic runs) and half from catalogued ones. The whole scan must judge 5,000 definitions a
// second on one core with every detector; this classifier's share is at least 50,000 a second.
//   node scripts/build.mjs --tests && node build/bench/capabilities.bench.js
import type { McpDefinition } from '../src/core/types.js';
import { classifyTool, contradictions, type ServerRef } from '../src/inspect/capabilities.js';

const TARGET_PER_S = 50_000;
const N = 100_000;

let seed = 7;
function pick<T>(items: readonly T[]): T {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return items[seed % items.length]!;
}

const VERBS = ['get', 'list', 'search', 'create', 'update', 'delete', 'send', 'read', 'fetch', 'run', 'query', 'add', 'post', 'navigate'];
const OBJECTS = ['file', 'issue', 'message', 'email', 'record', 'table', 'page', 'user', 'event', 'comment', 'command', 'branch', 'customer', 'url'];
const OPENINGS = [
  'Retrieves the {o} with the given identifier and returns its fields as JSON.',
  'Create a new {o} in the workspace. Fails if one with the same name already exists.',
  'Search for {o}s matching a query. Results are paginated; pass the cursor to get the next page.',
  'Permanently deletes the {o}. This cannot be undone.',
  'Sends a {o} to the given recipients and returns the delivery status.',
  'Lists every {o} the authenticated account can see, newest first.',
  'Executes the given {o} and returns its standard output and exit code.',
  'Fetches the content at a URL and converts the HTML to markdown for the model.',
];
const DETAILS = [
  'Only works within the directories the server was started with.',
  'Use this tool when the user asks about recent activity; do not use it for historical reports.',
  'Read-only; never modifies anything.',
  'Rate limited to 60 requests per minute per token.',
  'Returns an error if the caller lacks permission.',
  'Large results are truncated to 100 items; narrow the query to see more.',
];
const PROPS = ['id', 'path', 'url', 'query', 'limit', 'cursor', 'to', 'subject', 'body', 'command', 'owner', 'repo', 'sql', 'content'];

function makeTool(i: number): McpDefinition {
  const o = pick(OBJECTS);
  const name = `${pick(VERBS)}_${o}${i % 7 === 0 ? 's' : ''}`;
  const description = [pick(OPENINGS).replaceAll('{o}', o), pick(DETAILS), i % 3 === 0 ? pick(DETAILS) : ''].join(' ');
  const properties: Record<string, unknown> = {};
  for (let k = 0; k < 2 + (i % 4); k++) properties[pick(PROPS)] = { type: 'string', description: `The ${o} ${pick(['identifier', 'text', 'to send', 'to read', 'filter'])}.` };
  const raw: Record<string, unknown> = { name, description, inputSchema: { type: 'object', properties } };
  if (i % 4 === 0) raw['annotations'] = { readOnlyHint: i % 8 === 0, openWorldHint: i % 16 === 0 };
  return { kind: 'tool', name, raw };
}

const KNOWN: { server: ServerRef; tool: string }[] = [
  { server: { name: 'fs', packageName: '@modelcontextprotocol/server-filesystem' }, tool: 'read_file' },
  { server: { name: 'gh', url: 'https://api.githubcopilot.com/mcp/' }, tool: 'get_issue' },
  { server: { name: 'github' }, tool: 'create_pull_request' },
  { server: { name: 'pw', packageName: '@playwright/mcp' }, tool: 'browser_navigate' },
  { server: { name: 'slack', packageName: '@modelcontextprotocol/server-slack' }, tool: 'slack_search_messages' },
];

const tools = Array.from({ length: 2_000 }, (_, i) => makeTool(i));
const work: { def: McpDefinition; server?: ServerRef }[] = tools.map((def, i) => {
  if (i % 2 === 0) return { def };
  const known = KNOWN[i % KNOWN.length]!;
  return { def: { ...def, name: known.tool, raw: { ...def.raw, name: known.tool } }, server: known.server };
});

/** CPU seconds, not wall time: on a shared machine other processes would otherwise count against us. */
function run(n: number, fn: (w: (typeof work)[number]) => unknown): number {
  const started = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(work[i % work.length]!);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1e6;
}

run(20_000, (w) => classifyTool(w.def, w.server)); // warm up
const classify = run(N, (w) => classifyTool(w.def, w.server));
const both = run(N, (w) => {
  classifyTool(w.def, w.server);
  contradictions(w.def, w.server);
});

const perSecond = N / classify;
console.log(`classifyTool: ${Math.round(perSecond).toLocaleString('en')} tools per CPU-second (${((classify / N) * 1e6).toFixed(1)} µs each)`);
console.log(`classifyTool + contradictions: ${Math.round(N / both).toLocaleString('en')} tools per CPU-second`);
const hostile = { kind: 'tool', name: 'x', raw: { description: 'Deletes the file and sends it. '.repeat(40_000) } } as McpDefinition;
const started = process.hrtime.bigint();
classifyTool(hostile);
console.log(`1.2 MB description: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(2)} ms`);
console.log(perSecond >= TARGET_PER_S ? `ok: at least ${TARGET_PER_S.toLocaleString('en')} tools/s` : `SLOW: below ${TARGET_PER_S.toLocaleString('en')} tools/s`);
if (perSecond < TARGET_PER_S) process.exitCode = 1;
