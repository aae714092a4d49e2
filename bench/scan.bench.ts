// Full-scan benchmark (issue 2): a generated home with 30 clients' configs and 2,000 project
// folders, 200,000 files in all, scanned by the built CLI as a user runs it. Side by side in the
// same run: a bare recursive directory listing of the same tree in Node (the floor any scanner
// that walks the tree pays), so the figure reads as a ratio on a noisy machine.
//
//   npm run bench:scan            (or: node scripts/build.mjs --tests && node build/bench/scan.bench.js)
import { mkdirSync, writeFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'dist', 'warden.cjs');
const HOME = join(tmpdir(), 'warden-bench-home-v1');
const PROJECTS = 2000;
const FILES_PER_PROJECT = 100;
const RUNS = Number(process.env.RUNS ?? 5);

function put(rel: string, content: string) {
  const p = join(HOME, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
}

const server = (i: number) => ({
  command: 'npx',
  args: ['-y', `@example/mcp-server-${i}@1.${i}.0`],
  env: { LOG_LEVEL: 'info', API_TOKEN: '${API_TOKEN}' },
});
const servers = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`srv-${i}`, server(i)]));

function generate() {
  if (existsSync(join(HOME, '.done'))) return;
  rmSync(HOME, { recursive: true, force: true });
  console.error(`generating ${PROJECTS * FILES_PER_PROJECT} files under ${HOME} …`);
  // User-scope configs of 30 clients (Linux layout, plus macOS and Windows copies of the Electron apps).
  const json = (o: unknown) => JSON.stringify(o, null, 2);
  const userConfigs: Record<string, string> = {
    '.claude.json': json({ mcpServers: servers(5), projects: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [join(HOME, 'code', `p${i}`), { mcpServers: servers(1) }])) }),
    '.claude/settings.json': json({ permissions: { allow: ['Bash(npm test)'] } }),
    '.cursor/mcp.json': json({ mcpServers: servers(4) }),
    '.config/Code/User/mcp.json': json({ servers: servers(3) }),
    '.config/Code/User/settings.json': json({ 'editor.fontSize': 13 }),
    'Library/Application Support/Code/User/mcp.json': json({ servers: servers(3) }),
    'AppData/Roaming/Code/User/mcp.json': json({ servers: servers(3) }),
    '.config/Claude/claude_desktop_config.json': json({ mcpServers: servers(3) }),
    'Library/Application Support/Claude/claude_desktop_config.json': json({ mcpServers: servers(3) }),
    'AppData/Roaming/Claude/claude_desktop_config.json': json({ mcpServers: servers(3) }),
    '.codeium/windsurf/mcp_config.json': json({ mcpServers: servers(2) }),
    '.gemini/settings.json': json({ mcpServers: servers(2) }),
    '.gemini/antigravity/mcp_config.json': json({ mcpServers: servers(2) }),
    '.codex/config.toml': Array.from({ length: 3 }, (_, i) => `[mcp_servers.srv-${i}]\ncommand = "npx"\nargs = ["-y", "@example/mcp-server-${i}@1.0.0"]\n`).join('\n'),
    '.config/zed/settings.json': json({ context_servers: servers(2) }),
    '.continue/config.yaml': 'mcpServers:\n  - name: a\n    command: npx\n    args: ["-y", "@example/a@1.0.0"]\n',
    '.config/opencode/opencode.json': json({ mcp: { a: { type: 'local', command: ['npx', '-y', '@example/a@1.0.0'] } } }),
    '.kiro/settings/mcp.json': json({ mcpServers: servers(2) }),
    '.aws/amazonq/mcp.json': json({ mcpServers: servers(2) }),
    '.config/goose/config.yaml': 'extensions:\n  a:\n    type: stdio\n    cmd: npx\n    args: ["-y", "@example/a@1.0.0"]\n    enabled: true\n',
    '.openclaw/openclaw.json': json({ agents: {} }),
    '.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json': json({ mcpServers: servers(2) }),
    '.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json': json({ mcpServers: servers(2) }),
    '.copilot/mcp-config.json': json({ mcpServers: servers(2) }),
    '.lmstudio/mcp.json': json({ mcpServers: servers(2) }),
    '.config/Cursor/User/settings.json': json({}),
    '.claude/CLAUDE.md': '# Global rules\nUse pnpm.\n',
    '.codex/AGENTS.md': '# Agents\nRun tests.\n',
    '.gemini/GEMINI.md': '# Gemini\nBe brief.\n',
    '.claude/skills/review/SKILL.md': '---\nname: review\ndescription: Review a diff\n---\nRead the diff and comment.\n',
  };
  for (const [rel, content] of Object.entries(userConfigs)) put(rel, content);
  const filler = 'export function f(x) { return x * 2; }\n'.repeat(20);
  for (let p = 0; p < PROJECTS; p++) {
    const base = join('code', `p${p}`);
    let n = 0;
    const add = (rel: string, content: string) => {
      put(join(base, rel), content);
      n++;
    };
    if (p % 4 === 0) add('.mcp.json', json({ mcpServers: servers(2) }));
    if (p % 5 === 0) add('.cursor/mcp.json', json({ mcpServers: servers(1) }));
    if (p % 7 === 0) add('.vscode/mcp.json', json({ servers: servers(1) }));
    if (p % 3 === 0) add('CLAUDE.md', '# Project\nRun `npm test` before committing.\n');
    if (p % 6 === 0) add('AGENTS.md', '# Agents\nUse the Makefile.\n');
    if (p % 10 === 0) add('.cursor/rules/style.mdc', '---\ndescription: style\n---\nPrefer small functions.\n');
    add('package.json', json({ name: `p${p}`, version: '1.0.0' }));
    add('README.md', `# p${p}\n`);
    for (let d = 0; n < FILES_PER_PROJECT; d++) {
      for (let f = 0; f < 10 && n < FILES_PER_PROJECT; f++) add(join('src', `mod${d}`, `file${f}.js`), filler);
    }
  }
  writeFileSync(join(HOME, '.done'), '');
}

function countFiles(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

generate();
const files = countFiles(HOME);
const scanTimes: number[] = [];
const walkTimes: number[] = [];
let summary = '';
for (let i = 0; i < RUNS; i++) {
  walkTimes.push(time(() => spawnSync(process.execPath, ['-e', `require('fs').readdirSync(${JSON.stringify(HOME)}, { recursive: true, withFileTypes: true })`])));
  scanTimes.push(
    time(() => {
      const r = spawnSync(process.execPath, [BIN, 'scan', '--home', HOME, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(`scan failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout);
      summary = `${out.summary.servers} servers, ${out.summary.instructionFiles} instruction files, ${out.summary.filesRead} files read`;
    }),
  );
}
const scan = median(scanTimes);
const walk = median(walkTimes);
console.log(`tree: ${files} files, ${PROJECTS} projects (${HOME})`);
console.log(`warden scan --home (wall, median of ${RUNS}): ${scan.toFixed(0)} ms   [${summary}]`);
console.log(`bare readdir walk in node (wall, median of ${RUNS}): ${walk.toFixed(0)} ms`);
console.log(`ratio scan/walk: ${(scan / walk).toFixed(2)}   target: scan < 3000 ms -> ${scan < 3000 ? 'PASS' : 'FAIL'}`);
