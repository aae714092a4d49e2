// Inspecting 20 local stdio servers at once: what Warden adds beyond the servers' own start-up.
// Side by side in one run:
//   start-up floor   — spawn the 20 servers in parallel and complete one raw JSON-RPC
//                      `initialize` exchange with each (no SDK): the least any client pays;
//   warden           — inspectServers() on the same 20 declarations, concurrency 20: era
//                      negotiation, every list, and shutdown.
// Half the servers are 2025-era (v1 SDK), half 2026-07-28 (v2 SDK), from test/fixtures/servers.
// Target: warden − floor < 1 s. Each side runs ROUNDS times; medians are reported.
//   node scripts/build.mjs --tests && node build/bench/inspect.bench.js [ROUNDS]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ServerDecl } from '../src/core/types.js';
import { inspectServers } from '../src/inspect/connect.js';
import { FIXTURES } from '../test/helpers/cli.js';

const SERVERS = 20;
const ROUNDS = Number(process.argv[2] ?? 5);
const scripts = Array.from({ length: SERVERS }, (_, i) => join(FIXTURES, 'servers', i % 2 === 0 ? 'legacy-stdio.mjs' : 'modern-stdio.mjs'));

function decl(script: string, i: number): ServerDecl {
  return {
    id: `bench:${i}`,
    name: `server-${i}`,
    client: 'claude-code',
    scope: 'user',
    transport: 'stdio',
    command: process.execPath,
    args: [script],
    env: {},
    headers: {},
    disabled: false,
    file: '/bench/.claude.json',
    pointer: `/mcpServers/server-${i}`,
    line: 1,
    column: 1,
  };
}

/** Spawns one server and resolves when it answers `initialize`; the floor of any client. */
function handshake(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'ignore'] });
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) {
        child.kill();
        resolve();
      }
    });
    child.on('error', reject);
    child.stdin.write(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } } }) + '\n',
    );
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const floor: number[] = [];
const warden: number[] = [];
let ok = 0;
await timed(() => Promise.all(scripts.map(handshake))); // warm the module cache
for (let r = 0; r < ROUNDS; r++) {
  floor.push(await timed(() => Promise.all(scripts.map(handshake))));
  warden.push(
    await timed(async () => {
      const results = await inspectServers(scripts.map(decl), { concurrency: SERVERS, timeoutMs: 30_000 });
      ok = results.filter((x) => x.status === 'ok').length;
    }),
  );
}
const f = median(floor);
const w = median(warden);
console.log(`Inspecting ${SERVERS} local stdio servers in parallel (${SERVERS / 2} 2025-era, ${SERVERS / 2} 2026-07-28), median of ${ROUNDS}, Node ${process.version}\n`);
console.log(`start-up floor (spawn + raw initialize)   ${f.toFixed(0).padStart(6)} ms`);
console.log(`warden inspectServers (all lists, close)  ${w.toFixed(0).padStart(6)} ms   (${ok}/${SERVERS} ok)`);
console.log(`\nadded by Warden: ${(w - f).toFixed(0)} ms: ${w - f < 1000 ? 'meets' : 'MISSES'} the < 1000 ms target`);
