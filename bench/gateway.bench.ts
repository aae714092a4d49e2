// Added latency of `warden gateway` (stdio, first slice): N sequential tools/call `echo` through a
// real MCP client, direct to the fixture server and through the gateway with the balanced policy
// and JSONL audit on, side by side in one run. Issue 4's target: p50 ≤ 0.25 ms and p99 ≤ 1 ms added.
//   node scripts/build.mjs --tests && node build/bench/gateway.bench.js [N]
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN, FIXTURES } from '../test/helpers/cli.js';

const N = Number(process.argv[2] ?? 5000);
const ECHO = join(FIXTURES, 'servers', 'echo-stdio.mjs');

async function measure(args: string[]): Promise<number[]> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' }));
  await client.listTools();
  const times: number[] = [];
  for (let i = 0; i < N + 500; i++) {
    const t = performance.now();
    await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } });
    if (i >= 500) times.push(performance.now() - t); // the first 500 warm the JIT on both sides
  }
  await client.close();
  return times.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const direct = await measure([ECHO]);
const gateway = await measure([BIN, 'gateway', '--preset', 'balanced', '--name', 'echo', '--audit', join(tmpdir(), `warden-bench-audit-${process.pid}.jsonl`), '--', process.execPath, ECHO]);
console.log(`${N.toLocaleString('en')} sequential tools/call over stdio, Node ${process.version}\n`);
console.log(`           p50       p99`);
console.log(`direct   ${pct(direct, 0.5).toFixed(3)} ms  ${pct(direct, 0.99).toFixed(3)} ms`);
console.log(`gateway  ${pct(gateway, 0.5).toFixed(3)} ms  ${pct(gateway, 0.99).toFixed(3)} ms`);
console.log(`added    ${(pct(gateway, 0.5) - pct(direct, 0.5)).toFixed(3)} ms  ${(pct(gateway, 0.99) - pct(direct, 0.99)).toFixed(3)} ms  (targets 0.25 / 1.0)`);
