// SQLite audit store throughput: what the gateway does (one committed transaction per event,
// record() returning only after the commit) against a batched transaction of 100 rows (what it
// could do under load), side by side on the same file settings (WAL, synchronous=NORMAL, the
// store's indexes). Also the per-call latency of record(), since the gateway waits for it.
//   node scripts/build.mjs --tests && node build/bench/audit-store.bench.js
import { uuid7 } from '../src/core/uuid7.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '../src/store/audit-event.js';
import { SCHEMA_VERSION, openSqliteStore } from '../src/store/sqlite-store.js';

const SINGLE_ROWS = 20_000;
const BATCH = 100;
const BATCHED_ROWS = 200_000;
const WARMUP = 2_000;

const AGENTS = ['claude-code', 'cursor', 'vscode', 'codex'];
const TOOLS = ['read_file', 'write_file', 'create_issue', 'search_code', 'run_query', 'fetch'];

/** A realistic event: redacted arguments of a few hundred bytes, an OWASP id on denials. */
function event(i: number): AuditEvent {
  const deny = i % 10 === 0;
  return {
    id: uuid7(),
    time: new Date().toISOString(),
    agent: AGENTS[i % AGENTS.length]!,
    session: `session-${i % 16}`,
    method: 'tools/call',
    server: `server-${i % 8}`,
    tool: TOOLS[i % TOOLS.length]!,
    args: { path: `/home/me/project/src/module-${i % 100}.ts`, content: 'x'.repeat(200), token: '[REDACTED:github-pat]' },
    decision: deny ? 'deny' : 'allow',
    rule: deny ? 'deny-secret-files' : 'default:tool_call',
    reason: deny ? 'reading secret files is not allowed' : 'allowed by default',
    ...(deny ? { owasp: ['ASI02'] } : {}),
    outcome: deny ? 'blocked' : 'forwarded',
    latencyMs: 0.12,
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function singleRows(dir: string) {
  const store = await openSqliteStore(join(dir, 'single.db'));
  for (let i = 0; i < WARMUP; i++) store.record(event(i));
  const events = Array.from({ length: SINGLE_ROWS }, (_, i) => event(i));
  const latencies = new Float64Array(SINGLE_ROWS);
  const start = performance.now();
  for (let i = 0; i < SINGLE_ROWS; i++) {
    const t = performance.now();
    store.record(events[i]!);
    latencies[i] = performance.now() - t;
  }
  const ms = performance.now() - start;
  store.close();
  const sorted = [...latencies].sort((a, b) => a - b);
  return { rows: SINGLE_ROWS, commits: SINGLE_ROWS, ms, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

async function batchedRows(dir: string) {
  const store = await openSqliteStore(join(dir, 'batched.db'));
  store.recordMany(Array.from({ length: WARMUP }, (_, i) => event(i)));
  const batches = Array.from({ length: BATCHED_ROWS / BATCH }, (_, b) => Array.from({ length: BATCH }, (_, i) => event(b * BATCH + i)));
  const latencies = new Float64Array(batches.length);
  const start = performance.now();
  for (const [i, batch] of batches.entries()) {
    const t = performance.now();
    store.recordMany(batch);
    latencies[i] = performance.now() - t;
  }
  const ms = performance.now() - start;
  store.close();
  const sorted = [...latencies].sort((a, b) => a - b);
  return { rows: BATCHED_ROWS, commits: batches.length, ms, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

const dir = mkdtempSync(join(tmpdir(), 'warden-bench-audit-'));
try {
  const single = await singleRows(dir);
  const batched = await batchedRows(dir);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const rows = [
    ['mode', 'rows', 'commits', 'seconds', 'rows/s', 'commits/s', 'p50 per commit', 'p99 per commit'],
    ...[
      ['one row per transaction', single],
      [`batch of ${BATCH} rows`, batched],
    ].map(([name, r]) => {
      const x = r as typeof single;
      return [name as string, fmt(x.rows), fmt(x.commits), (x.ms / 1000).toFixed(2), fmt((x.rows / x.ms) * 1000), fmt((x.commits / x.ms) * 1000), `${(x.p50 * 1000).toFixed(1)} µs`, `${(x.p99 * 1000).toFixed(1)} µs`];
    }),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`SQLite audit store: better-sqlite3, WAL, synchronous=NORMAL, schema v${SCHEMA_VERSION} indexes; Node ${process.version}`);
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  console.log(`batched / single: ${((batched.rows / batched.ms) / (single.rows / single.ms)).toFixed(1)}x rows/s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
