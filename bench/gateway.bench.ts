// The gateway's cost, side by side in one run against the stdio echo fixture, with a 50-rule
// policy and the SQLite audit store on (its spool written before each result goes back):
//   1. N sequential tools/call through a real MCP client: added latency at p50 and p99
//      (issue 4: ≤ 0.25 ms and ≤ 1 ms);
//   2. the same calls with 32 in flight: throughput through the gateway as a share of direct
//      (≥ 80%);
//   3. the gateway's resident memory at the end (< 100 MB);
//   4. the same with the audit in a JSON Lines file, to show what the SQLite store costs.
//   node scripts/build.mjs --tests && node build/bench/gateway.bench.js [N]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN, FIXTURES } from '../test/helpers/cli.js';
import { NODE_FLAGS } from '../src/install/launcher.js';
import { fiftyRulePolicy } from './fifty-rules.js';

const N = Number(process.argv[2] ?? 20_000);
const IN_FLIGHT = 32;
const WARM = 1000;
const ECHO = join(FIXTURES, 'servers', 'echo-stdio.mjs');
const home = mkdtempSync(join(tmpdir(), 'warden-bench-gateway-'));
const policy = join(home, 'warden.yaml');
writeFileSync(policy, fiftyRulePolicy(['echo', 'github', 'slack', 'postgres', 'filesystem']));

async function connect(args: string[]): Promise<{ client: Client; transport: StdioClientTransport }> {
  const client = new Client({ name: 'bench', version: '1' });
  const transport = new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore', env: { ...(process.env as Record<string, string>), WARDEN_HOME: home } });
  await client.connect(transport);
  await client.listTools();
  return { client, transport };
}

const call = (client: Client, i: number) => client.callTool({ name: 'echo', arguments: { text: `call ${i}` } });

/** `count` sequential calls; their times. */
async function sequential(client: Client, count: number, from: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await call(client, from + i);
    times.push(performance.now() - t);
  }
  return times;
}

/** Seconds for `count` calls with IN_FLIGHT outstanding at all times. */
async function concurrent(client: Client, count: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count) await call(client, next++);
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return (performance.now() - t) / 1000;
}

function rssMb(pid: number | null): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

// The three paths are measured in interleaved rounds (each round in a rotated order), so that
// whatever else the machine is doing lands on all of them alike rather than on whichever ran first.
const ROUNDS = 10;
const paths = [
  { name: 'direct', args: [ECHO] },
  // As `warden install` launches it (Node's flags first).
  { name: 'gateway', args: [NODE_FLAGS, BIN, 'gateway', '--policy', policy, '--name', 'echo', '--', process.execPath, ECHO] },
  // The same pipeline with the audit appended to a JSON Lines file instead: what the SQLite store costs.
  { name: 'jsonl', args: [NODE_FLAGS, BIN, 'gateway', '--policy', policy, '--name', 'echo', '--audit-jsonl', join(home, 'audit.jsonl'), '--', process.execPath, ECHO] },
];
const open = await Promise.all(paths.map((p) => connect(p.args)));
const seqTimes = paths.map(() => [] as number[]);
const busySeconds = paths.map(() => 0);
for (const o of open) await sequential(o.client, WARM, 0); // warm each JIT
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < paths.length; k++) {
    const i = (k + r) % paths.length;
    seqTimes[i]!.push(...(await sequential(open[i]!.client, N / ROUNDS, r * N)));
  }
}
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < paths.length; k++) {
    const i = (k + r) % paths.length;
    busySeconds[i]! += await concurrent(open[i]!.client, N / ROUNDS);
  }
}
const results = paths.map((p, i) => ({ seq: seqTimes[i]!.sort((a, b) => a - b), rate: N / busySeconds[i]!, rss: rssMb(open[i]!.transport.pid) }));
await Promise.all(open.map((o) => o.client.close()));
const [direct, gateway, jsonl] = results as [(typeof results)[0], (typeof results)[0], (typeof results)[0]];
rmSync(home, { recursive: true, force: true });

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => `${x.toFixed(3)} ms`;
console.log(`${N.toLocaleString('en')} tools/call over stdio (50-rule policy, SQLite audit), Node ${process.version}\n`);
console.log(`           p50        p99        ${IN_FLIGHT} in flight     RSS`);
console.log(`direct   ${ms(pct(direct.seq, 0.5))}  ${ms(pct(direct.seq, 0.99))}  ${Math.round(direct.rate).toLocaleString('en').padStart(7)} calls/s  (server ${direct.rss.toFixed(0)} MB)`);
console.log(`gateway  ${ms(pct(gateway.seq, 0.5))}  ${ms(pct(gateway.seq, 0.99))}  ${Math.round(gateway.rate).toLocaleString('en').padStart(7)} calls/s  ${gateway.rss.toFixed(0)} MB`);
console.log(`added    ${ms(pct(gateway.seq, 0.5) - pct(direct.seq, 0.5))}  ${ms(pct(gateway.seq, 0.99) - pct(direct.seq, 0.99))}  ${((gateway.rate / direct.rate) * 100).toFixed(0)}% of direct`);
console.log(`jsonl    ${ms(pct(jsonl.seq, 0.5))}  ${ms(pct(jsonl.seq, 0.99))}  ${Math.round(jsonl.rate).toLocaleString('en').padStart(7)} calls/s  ${jsonl.rss.toFixed(0)} MB   (gateway with --audit-jsonl)`);
console.log(`added    ${ms(pct(jsonl.seq, 0.5) - pct(direct.seq, 0.5))}  ${ms(pct(jsonl.seq, 0.99) - pct(direct.seq, 0.99))}  ${((jsonl.rate / direct.rate) * 100).toFixed(0)}% of direct`);
console.log(`targets  ≤ 0.250 ms   ≤ 1.000 ms   ≥ 80% of direct       < 100 MB`);
