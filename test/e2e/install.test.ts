// `warden install --client NAME` and `warden uninstall` as a user runs them: the built CLI over a
// copy of each fixture home (every client in the catalogue), its exit codes and messages, and a
// real MCP client (the v2 SDK) launching a rewritten server entry and reaching the server's
// tools through the gateway.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { CATALOGUE } from '../../src/discover/catalogue.js';
import { ALL_OS } from '../../src/core/types.js';
import { locateConfigs } from '../../src/install/locate.js';
import { NODE_FLAGS } from '../../src/install/launcher.js';
import { BIN, FIXTURES, REPO, tempDir, warden, type RunResult } from '../helpers/cli.js';

const ECHO = join(FIXTURES, 'servers', 'echo-stdio.mjs');

/** `warden(...)` without blocking, so the per-client runs can overlap. */
function wardenAsync(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ status: code, stdout, stderr });
    });
  });
}

function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** A fresh home (a copy of `from`, or empty) and a WARDEN_HOME beside it. */
function sandbox(from?: string): { home: string; env: Record<string, string> } {
  const base = tempDir('warden-install-e2e-');
  const home = join(base, 'home');
  mkdirSync(home);
  if (from) cpSync(from, home, { recursive: true });
  return { home, env: { WARDEN_HOME: join(base, 'warden-home') } };
}

describe('warden install / uninstall over the catalogue (CLI)', { concurrency: 6 }, () => {
  for (const client of CATALOGUE) {
    it(`${client.id}: install, install again, uninstall leaves every file as it was`, async () => {
      // The first fixture home holding one of this client's configs.
      const os = ALL_OS.find((o) => locateConfigs(client, [{ path: join(FIXTURES, 'homes', o), os: [...ALL_OS] }], []).targets.length > 0);
      const from = os ? join(FIXTURES, 'homes', os) : join(FIXTURES, 'projects', 'sample-repo');
      const { home, env } = sandbox(from);
      const where = os ? ['--home', home] : ['--project', home];
      const before = tree(home);
      const first = await wardenAsync(['install', '--client', client.id, ...where], env);
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /→ (written|unchanged)/);
      const routed = (first.stdout.match(/^ {2}routed /gm) ?? []).length;
      if (routed > 0) assert.match(first.stderr, new RegExp(`routed ${routed} server.*warden uninstall --client ${client.id}`));
      const second = await wardenAsync(['install', '--client', client.id, ...where], env);
      assert.equal(second.status, 0, second.stderr);
      assert.doesNotMatch(second.stdout, /^ {2}routed /m);
      assert.equal((second.stdout.match(/^ {2}already routed /gm) ?? []).length, routed);
      const undo = await wardenAsync(['uninstall', '--client', client.id, ...where], env);
      assert.equal(undo.status, 0, undo.stderr);
      const after = tree(home);
      assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
      for (const [rel, bytes] of before) assert.ok(after.get(rel)!.equals(bytes), `${rel} restored byte for byte`);
    });
  }
});

describe('warden install / uninstall (CLI)', () => {
  it('unknown client: exit 2 with the valid names', () => {
    const r = warden(['install', '--client', 'cursr', '--home', sandbox().home]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown client "cursr"; expected one of: claude-desktop, claude-code, cursor,/);
  });

  it('no config of the client: exit 1 and where Warden looked', () => {
    const { home, env } = sandbox();
    const r = warden(['install', '--client', 'cursor', '--home', home], { env });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no MCP config of Cursor found; looked at:\n {2}.*\.cursor[\\/]mcp\.json/);
  });

  it('malformed config: exit 2 naming file:line:column, nothing written', () => {
    const { home, env } = sandbox();
    mkdirSync(join(home, '.cursor'));
    const file = join(home, '.cursor', 'mcp.json');
    writeFileSync(file, '{\n  "mcpServers": {\n    "a": { "command": "npx", }\n    "b": {}\n  }\n}\n');
    const r = warden(['install', '--client', 'cursor', '--home', home], { env });
    assert.equal(r.status, 2);
    assert.ok(r.stderr.includes(`${file}:4:5: invalid JSON`), r.stderr);
    assert.match(r.stderr, /nothing was written/);
    assert.equal(existsSync(env.WARDEN_HOME!), false);
  });

  it('--dry-run prints the diff and writes nothing; options are checked before anything runs', () => {
    const { home, env } = sandbox(join(FIXTURES, 'homes', 'linux'));
    const file = join(home, '.codex', 'config.toml');
    const before = readFileSync(file);
    const r = warden(['install', '--client', 'codex', '--home', home, '--dry-run', '--preset', 'strict'], { env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^-command = "npx"$/m);
    assert.match(r.stdout, /^\+args = \[.*"gateway", "--name", "context7", "--preset", "strict", "--", "npx", "-y", "@upstash\/context7-mcp@1\.0\.17"\]$/m);
    assert.match(r.stderr, /dry run: nothing was written/);
    assert.ok(readFileSync(file).equals(before));
    assert.equal(existsSync(env.WARDEN_HOME!), false);
    assert.equal(warden(['install', '--client', 'codex', '--home', home, '--preset', 'lenient'], { env }).status, 2);
    assert.equal(warden(['install', '--client', 'codex', '--home', home, '--preset', 'strict', '--policy', 'x.yaml'], { env }).status, 2);
    const badPolicy = join(home, 'bad.yaml');
    writeFileSync(badPolicy, 'version: 1\nrules: 7\n');
    const bad = warden(['install', '--client', 'codex', '--home', home, '--policy', badPolicy], { env });
    assert.equal(bad.status, 2);
    assert.ok(bad.stderr.includes(badPolicy));
    assert.ok(readFileSync(file).equals(before));
  });

  it('uninstall after the user changed the config unroutes in place; --force restores the backup', () => {
    const { home, env } = sandbox();
    mkdirSync(join(home, '.cursor'));
    const file = join(home, '.cursor', 'mcp.json');
    const original = '{\n  "mcpServers": {\n    "echo": { "command": "npx", "args": ["pkg"] }\n  }\n}\n';
    writeFileSync(file, original);
    assert.equal(warden(['install', '--client', 'cursor', '--home', home], { env }).status, 0);
    writeFileSync(file, readFileSync(file, 'utf8') + '// my note\n');
    const soft = warden(['uninstall', '--client', 'cursor', '--home', home], { env });
    assert.equal(soft.status, 0, soft.stderr);
    assert.match(soft.stdout, /unrouted in place: changed since Warden edited it .* --force restores it, discarding changes made since/);
    assert.equal(readFileSync(file, 'utf8'), original + '// my note\n');
    const hard = warden(['uninstall', '--client', 'cursor', '--home', home, '--force'], { env });
    assert.equal(hard.status, 0, hard.stderr);
    assert.equal(readFileSync(file, 'utf8'), original);
  });

  it('a real MCP client launches the rewritten entry and lists the server\'s tools through the gateway', async () => {
    const { home, env } = sandbox();
    mkdirSync(join(home, '.cursor'));
    const file = join(home, '.cursor', 'mcp.json');
    // One ordinary name and one that looks like the end of the gateway's options.
    writeFileSync(file, JSON.stringify({ mcpServers: { echo: { command: process.execPath, args: [ECHO], env: { ECHO_MARK: '1' } }, '--': { command: process.execPath, args: [ECHO] } } }, null, 2));
    const r = warden(['install', '--client', 'cursor', '--home', home, '--preset', 'balanced'], { env });
    assert.equal(r.status, 0, r.stderr);
    const config = JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }> };
    for (const name of ['echo', '--']) {
      const entry = config.mcpServers[name]!;
      assert.equal(entry.command, process.execPath);
      assert.deepEqual(entry.args.slice(0, 5), [NODE_FLAGS, BIN, 'gateway', '--name', name]);
      const client = new Client({ name: 'install-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
      await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...(process.env as Record<string, string>), ...entry.env, ...env }, stderr: 'pipe' }));
      try {
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map((t) => t.name).sort(), ['delete_file', 'echo', 'login']);
        const echoed = await client.callTool({ name: 'echo', arguments: { text: 'through the gateway' } });
        assert.equal((echoed as { content: Array<{ text: string }> }).content[0]!.text, 'through the gateway');
      } finally {
        await client.close();
      }
    }
    assert.equal(config.mcpServers['echo']!.env!['ECHO_MARK'], '1', 'env is left as it was');
  });
});
