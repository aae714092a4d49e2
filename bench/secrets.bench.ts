// Secret scanning throughput on realistic text: instruction files (CLAUDE.md, SKILL.md), whole
// config files, and the hardcoded-secret rule over many server declarations (measured against
// the config JSON they are parsed from; the bytes of the values alone are printed too). Mostly
// clean input with a few credentials, like a real machine. Target: at least 50 MB/s.
//   node scripts/build.mjs --tests && node build/bench/secrets.bench.js
import { scanTextForSecrets } from '../src/detect/secrets.js';
import { FAKE_CREDENTIALS, fakeToken } from '../src/detect/fake-credentials.js';
import { hardcodedSecret } from '../src/rules/hardcoded-secret.js';
import type { ServerDecl } from '../src/core/types.js';

const TARGET_MB_PER_S = 50;

/** Deterministic choice, so every run measures the same text. */
let seed = 42;
function pick<T>(items: readonly T[]): T {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return items[seed % items.length]!;
}
function chance(p: number): boolean {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff < p;
}

const PROSE = [
  'Always run the full test suite before committing; the CI pipeline rejects a red build.',
  'Prefer small, focused modules. A function that does two things should be two functions.',
  'Use the repository scripts rather than calling tools directly, so flags stay consistent.',
  'The API client retries idempotent requests three times with exponential backoff.',
  'Keep secrets out of the repository: read them from the environment or the key vault.',
  'When you change the public interface, update the changelog and bump the minor version.',
  'Database migrations live in db/migrations and must be reversible.',
  'Log at info level by default; debug logging is enabled with LOG_LEVEL=debug.',
  'The auth middleware validates the bearer token and attaches the user to the request.',
  'Do not mock the HTTP layer in integration tests; use the local test server on port 8080.',
  'Max tokens for summaries is 1024; the model falls back to a shorter answer when it runs out.',
  'See https://docs.example.com/guide/setup for the full setup guide and troubleshooting.',
  'Our primary key strategy uses UUIDs; never expose sequential ids in URLs.',
];
const CODE = [
  '```bash\nnpm ci && npm run build\nnpm test -- --coverage\n```',
  '```ts\nconst apiKey = process.env.OPENAI_API_KEY;\nif (!apiKey) throw new Error("missing key");\n```',
  '```json\n{ "mcpServers": { "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_TOKEN}" } } } }\n```',
  '```yaml\nservices:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n```',
  '```sh\ncurl -H "Authorization: Bearer $API_TOKEN" https://api.example.com/v1/items\n```',
];

function instructionText(bytes: number, secretEvery: number): string {
  const parts: string[] = [];
  let size = 0;
  let n = 0;
  while (size < bytes) {
    let block: string;
    if (++n % 12 === 0) block = `## ${pick(['Conventions', 'Testing', 'Deployment', 'Architecture'])}\n`;
    else if (n % 5 === 0) block = pick(CODE);
    else block = `- ${pick(PROSE)}`;
    if (chance(1 / secretEvery)) {
      const c = pick(FAKE_CREDENTIALS);
      block += `\nFor local testing use ${c.envName}=${c.value}`;
    }
    parts.push(block);
    size += block.length + 1;
  }
  return parts.join('\n');
}

function configText(servers: number, secretEvery: number): string {
  const entries: string[] = [];
  for (let i = 0; i < servers; i++) {
    const env: Record<string, string> = { LOG_LEVEL: 'info', NODE_ENV: 'production', API_TOKEN: '${env:API_TOKEN}' };
    if (chance(1 / secretEvery)) {
      const c = pick(FAKE_CREDENTIALS);
      env[c.envName] = c.value;
    }
    entries.push(
      `"server-${i}": ${JSON.stringify({
        command: pick(['npx', 'uvx', 'docker', 'node']),
        args: ['-y', `@acme/mcp-server-${pick(['github', 'postgres', 'slack', 'files', 'search'])}`, '--port', '3000', '--region', 'us-east-1'],
        env,
        url: `https://mcp.example.com/v1/${i}`,
        headers: { 'X-Client': 'warden-bench', Authorization: 'Bearer ${input:token}' },
      })}`,
    );
  }
  return `{\n  "mcpServers": {\n    ${entries.join(',\n    ')}\n  }\n}\n`;
}

function serverDecls(count: number, secretEvery: number): ServerDecl[] {
  const out: ServerDecl[] = [];
  for (let i = 0; i < count; i++) {
    const env: Record<string, string> = {
      LOG_LEVEL: 'info',
      GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN}',
      DATABASE_URL: 'postgres://app@db.internal:5432/app',
      REGION: 'us-east-1',
    };
    const headers: Record<string, string> = { 'X-Request-Source': 'warden' };
    if (chance(1 / secretEvery)) {
      const c = pick(FAKE_CREDENTIALS);
      env[c.envName] = c.value;
    }
    if (chance(1 / secretEvery)) headers['Authorization'] = `Bearer ${fakeToken(40, undefined, i)}`;
    out.push({
      id: `bench:${i}`,
      name: `server-${i}`,
      client: 'claude-code',
      scope: 'user',
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-github', '--toolsets', 'repos,issues', '--log-level', 'info'],
      env,
      headers,
      url: i % 3 === 0 ? `https://mcp.example.com/v1/servers/${i}?region=eu` : undefined,
      disabled: false,
      file: '/home/user/.claude.json',
      pointer: `/mcpServers/server-${i}`,
      line: 1,
      column: 1,
    });
  }
  return out;
}

/** Bytes of the values the rule reads (names included). */
function valueBytes(s: ServerDecl): number {
  let n = (s.url ?? '').length + (s.command ?? '').length;
  for (const a of s.args) n += a.length;
  for (const [k, v] of Object.entries(s.env)) n += k.length + v.length;
  for (const [k, v] of Object.entries(s.headers)) n += k.length + v.length;
  return n;
}

/** Bytes of the config text the declaration is parsed from (its JSON entry). */
function jsonBytes(s: ServerDecl): number {
  return JSON.stringify({ [s.name]: { command: s.command, args: s.args, env: s.env, headers: s.headers, url: s.url } }).length;
}

/** Best of a few runs after a warm-up (JIT, secretlint's first call): the machine is shared. */
async function time(fn: () => Promise<number>, runs = 3): Promise<{ ms: number; found: number }> {
  let found = await fn();
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    found = await fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, found };
}

function report(label: string, bytes: number, ms: number, found: number): boolean {
  const mbps = bytes / 1e6 / (ms / 1000);
  const ok = mbps >= TARGET_MB_PER_S;
  console.log(`${label.padEnd(44)} ${(bytes / 1e6).toFixed(1).padStart(6)} MB ${ms.toFixed(0).padStart(6)} ms ${mbps.toFixed(1).padStart(7)} MB/s  ${String(found).padStart(5)} found ${ok ? '' : ' (below target)'}`);
  return ok;
}

async function main(): Promise<void> {
  let ok = true;
  // Instruction files of typical sizes: 2 KB to 64 KB each.
  const docs: string[] = [];
  let docBytes = 0;
  while (docBytes < 16e6) {
    const doc = instructionText(pick([2_000, 8_000, 16_000, 64_000]), 400);
    docs.push(doc);
    docBytes += doc.length;
  }
  const r1 = await time(async () => {
    let n = 0;
    for (const d of docs) n += (await scanTextForSecrets(d)).length;
    return n;
  });
  ok = report(`scanTextForSecrets, ${docs.length} instruction files`, docBytes, r1.ms, r1.found) && ok;

  const big = instructionText(16e6, 400);
  const r2 = await time(async () => (await scanTextForSecrets(big)).length);
  ok = report('scanTextForSecrets, one 16 MB instruction text', big.length, r2.ms, r2.found) && ok;

  const configs = Array.from({ length: 400 }, () => configText(100, 50));
  const configBytes = configs.reduce((n, c) => n + c.length, 0);
  const r3 = await time(async () => {
    let n = 0;
    for (const c of configs) n += (await scanTextForSecrets(c)).length;
    return n;
  });
  ok = report(`scanTextForSecrets, ${configs.length} config files`, configBytes, r3.ms, r3.found) && ok;

  const servers = serverDecls(50_000, 50);
  const bytes = servers.reduce((n, s) => n + jsonBytes(s), 0);
  const values = servers.reduce((n, s) => n + valueBytes(s), 0);
  const names = new Set(servers.map((s) => s.name));
  const r4 = await time(async () => {
    let n = 0;
    for (const server of servers) n += (await hardcodedSecret.checkServer!({ server, allServerNames: names })).length;
    return n;
  });
  ok = report(`hardcoded-secret checkServer, ${servers.length} servers`, bytes, r4.ms, r4.found) && ok;
  console.log(
    `  ${((r4.ms * 1000) / servers.length).toFixed(1)} µs per server: ${Math.round(bytes / servers.length)} bytes of config JSON, ` +
      `${Math.round(values / servers.length)} bytes of names and values (${(values / 1e6 / (r4.ms / 1000)).toFixed(1)} MB/s of values alone)`,
  );

  if (!ok) process.exitCode = 1;
}

await main();
