// A stdio MCP server exposed over Streamable HTTP, side by side in one run: Warden's gateway
// (`--listen`, with a 50-rule policy and the SQLite audit store on) against the npm proxies
// `mcp-proxy` and `supergateway` doing the same job (relaying only), and a direct stdio
// connection as the floor. Same client (the v2 SDK, 2025-era session), same echo server, N
// sequential tools/call each. Issue 4: Warden, doing far more, must add less than they do.
//   node scripts/build.mjs --tests && node build/bench/gateway-http.bench.js [N]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN, FIXTURES, REPO } from '../test/helpers/cli.js';
import { fiftyRulePolicy } from './fifty-rules.js';

// The SDK's HTTP client transport leaves an abort listener per request on a shared signal; over
// thousands of calls Node warns once per call. Harmless here, and noise in the table.
process.removeAllListeners('warning');

const N = Number(process.argv[2] ?? 5000);
const WARM = 500;
const ECHO = join(FIXTURES, 'servers', 'echo-stdio.mjs');
const home = mkdtempSync(join(tmpdir(), 'warden-bench-http-'));
const policy = join(home, 'warden.yaml');
writeFileSync(policy, fiftyRulePolicy(['echo', 'github', 'slack', 'postgres', 'filesystem']));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the proxy exited with ${child.exitCode}`);
    try {
      await fetch(url, { method: 'GET', signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} did not come up`);
}

async function timeCalls(client: Client): Promise<number[]> {
  await client.listTools();
  const times: number[] = [];
  for (let i = 0; i < N + WARM; i++) {
    const t = performance.now();
    await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } });
    if (i >= WARM) times.push(performance.now() - t);
  }
  await client.close();
  return times.sort((a, b) => a - b);
}

async function overHttp(name: string, argv: (port: number) => string[], path = '/mcp'): Promise<[string, number[]]> {
  const port = await freePort();
  const child = spawn(process.execPath, argv(port), { cwd: REPO, env: { ...process.env, WARDEN_HOME: home }, stdio: ['ignore', 'ignore', 'ignore'], detached: true });
  const url = `http://127.0.0.1:${port}${path}`;
  try {
    await waitForHttp(url, child);
    const client = new Client({ name: 'bench', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return [name, await timeCalls(client)];
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const direct = new Client({ name: 'bench', version: '1' });
await direct.connect(new StdioClientTransport({ command: process.execPath, args: [ECHO], stderr: 'ignore' }));
const results: [string, number[]][] = [['direct (stdio)', await timeCalls(direct)]];
results.push(await overHttp('warden gateway --listen', (port) => [BIN, 'gateway', '--listen', `127.0.0.1:${port}`, '--policy', policy, '--name', 'echo', '--', process.execPath, ECHO]));
results.push(await overHttp('mcp-proxy', (port) => [join(REPO, 'node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs'), '--host', '127.0.0.1', '--port', String(port), '--server', 'stream', '--', process.execPath, ECHO]));
results.push(await overHttp('supergateway', (port) => [join(REPO, 'node_modules/supergateway/dist/index.js'), '--stdio', `${process.execPath} ${ECHO}`, '--outputTransport', 'streamableHttp', '--stateful', '--port', String(port), '--logLevel', 'none']));
rmSync(home, { recursive: true, force: true });

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const floor = results[0]![1];
console.log(`${N.toLocaleString('en')} sequential tools/call, stdio echo server exposed over Streamable HTTP, Node ${process.version}\n`);
console.log(`${'path'.padEnd(26)} ${'p50'.padStart(9)} ${'p99'.padStart(9)}  added p50 over direct`);
for (const [name, xs] of results) {
  console.log(`${name.padEnd(26)} ${pct(xs, 0.5).toFixed(3).padStart(6)} ms ${pct(xs, 0.99).toFixed(3).padStart(6)} ms  ${name.startsWith('direct') ? '' : `+${(pct(xs, 0.5) - pct(floor, 0.5)).toFixed(3)} ms`}`);
}
