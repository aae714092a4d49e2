// Configs written to evade, crash, hang or leak through the scanner (found in review; each case
// here failed before its fix).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { spawnSync, execFileSync } from 'node:child_process';
import { warden, tempDir, BIN } from '../helpers/cli.js';

function put(root: string, rel: string, content: string) {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}

const json = (args: string[]) => {
  const r = warden([...args, '--format', 'json']);
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

describe('hostile configs', () => {
  it('survives non-string values where strings are expected', () => {
    const p = tempDir();
    put(p, '.mcp.json', '{"mcpServers":{"a":{"command":["npx",{},[{}],null,5]},"b":{"command":42,"args":[1,null,{}],"env":{"A":5,"__proto__":"x"}}}}');
    const out = json(['scan', p]);
    assert.deepEqual(out.inventory.servers.map((s: { name: string }) => s.name).sort(), ['a', 'b']);
    const b = out.inventory.servers.find((s: { name: string }) => s.name === 'b');
    assert.deepEqual(b.envKeys.sort(), ['A', '__proto__']);
  });

  it('still judges a config padded with deep nesting, and --fail-on sees it', () => {
    const p = tempDir();
    put(p, '.mcp.json', `{"mcpServers":{"e":{"command":"sudo","args":["npx","-y","evil@1.0.0"]}},"pad":${'['.repeat(3000)}${']'.repeat(3000)}}`);
    const r = warden(['scan', p, '--fail-on', 'high', '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(JSON.parse(r.stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'sudo-launch'));
  });

  it('reports a repository config it cannot read as a finding', () => {
    const p = tempDir();
    put(p, '.mcp.json', '{"mcpServers": {"x": }');
    const r = warden(['scan', p, '--fail-on', 'medium', '--format', 'json']);
    assert.equal(r.status, 1);
    const f = JSON.parse(r.stdout).findings.find((x: { ruleId: string }) => x.ruleId === 'unscannable-config');
    assert.equal(f.location.file, join(p, '.mcp.json'));
    assert.equal(f.location.line, 1);
  });

  it('does not hang on a FIFO where a config should be', (t) => {
    if (process.platform === 'win32') return t.skip('POSIX FIFOs');
    const h = tempDir();
    mkdirSync(join(h, '.cursor'));
    execFileSync('mkfifo', [join(h, '.cursor', 'mcp.json')]);
    const r = spawnSync(process.execPath, [BIN, 'scan', '--home', h, '--os', 'linux', '--format', 'json'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, `exit ${r.status} signal ${r.signal}`);
    const e = JSON.parse(r.stdout).coverage.find((x: { path: string }) => x.path === join(h, '.cursor', 'mcp.json'));
    assert.equal(e.status, 'unreadable');
    assert.match(e.detail, /not a regular file/);
  });

  it('points a finding at the last of two entries with the same key, the one clients use', () => {
    const p = tempDir();
    put(p, '.mcp.json', '{"mcpServers":{\n"a":{"command":"node","args":["ok.js"]},\n"b":{"command":"node"},\n"a":{"command":"sudo","args":["x"]}\n}}\n');
    const f = json(['scan', p]).findings.find((x: { ruleId: string }) => x.ruleId === 'sudo-launch');
    assert.equal(f.location.line, 4);
  });

  it('finds workspace files at any depth', () => {
    const p = tempDir();
    put(p, 'sub/dir/team.code-workspace', '{"settings":{"mcp":{"servers":{"ws":{"command":"node","args":["s.js"]}}}}}');
    assert.ok(json(['scan', p]).inventory.servers.some((s: { name: string }) => s.name === 'ws'));
  });
});

describe('scanning another home stays inside it', () => {
  it('does not walk project folders that a foreign home remembers on this machine', () => {
    const outside = tempDir();
    put(outside, '.mcp.json', '{"mcpServers":{"leak":{"command":"node"}}}');
    const h = tempDir();
    put(h, '.claude.json', JSON.stringify({ projects: { [outside]: {} } }));
    assert.ok(!json(['scan', '--home', h, '--os', 'linux']).inventory.servers.some((s: { name: string }) => s.name === 'leak'));
  });

  it('treats glob characters in the home path literally', () => {
    const w = tempDir();
    put(w, 'h[ab]/.keep', '');
    put(w, 'ha/.claude/plugins/cache/m/p/1/.mcp.json', '{"mcpServers":{"sibling":{"command":"node"}}}');
    assert.ok(!json(['scan', '--home', join(w, 'h[ab]'), '--os', 'linux']).inventory.servers.some((s: { name: string }) => s.name === 'sibling'));
  });
});

describe('no secret reaches any output', () => {
  const token = 'ghp_' + 'Zq8mN2vX5bR7tY1wK4pL9sD3fG6hJ0cV2eA8';
  const openai = 'sk-proj-' + 'Qw3rTy8uIo2pAs5dFg7hJk1lZx4cVb6nM9qW0eRt3yU8iO2pA5sD7fG1hJ4kL6zX9cV3bN8mQ2wE5rT7yU0i' + 'T3BlbkFJ' + 'Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6';
  const setup = () => {
    const p = tempDir();
    put(p, '.mcp.json', JSON.stringify({
      mcpServers: {
        envcmd: { command: 'env', args: [`GITHUB_TOKEN=${token}`, 'node', 's.js'] },
        shell: { command: 'bash', args: ['-c', `OPENAI_API_KEY=${openai} node s.js`] },
        url: { url: `https://user:p@ssw0rdSECRETvalue@mcp.example.com/mcp#access_token=FRAGMENTSECRET123` },
        tokuser: { url: `https://${token}@mcp.example.com/mcp` },
      },
    }, null, 2));
    put(p, '.claude/settings.json', JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: `curl -H 'Authorization: Bearer ${token}' https://hooks.example.com` }] }] } }));
    return p;
  };
  for (const format of ['json', 'sarif', 'table']) {
    it(`in ${format}`, () => {
      const r = warden(['scan', setup(), '--format', format]);
      assert.equal(r.status, 0, r.stderr);
      for (const secret of [token, openai, 'ssw0rdSECRETvalue', 'FRAGMENTSECRET123']) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${secret.slice(0, 8)}… leaked in ${format}`);
      }
    });
  }
});

describe('terminal and pipe safety', () => {
  it('escapes control characters from scanned files in the table', () => {
    const p = tempDir();
    put(p, '.mcp.json', JSON.stringify({ mcpServers: { 'x\u001b[2K\u001b[1A\rnothing to see': { command: 'sudo', args: ['x'] } } }));
    const r = warden(['scan', p]);
    assert.ok(!r.stdout.includes('\u001b'), 'no raw ESC from the config');
    assert.ok(!r.stdout.includes('\r'), 'no raw CR from the config');
  });

  it('exits 0, not 1, when the reader closes the pipe early', (t) => {
    if (process.platform === 'win32') return t.skip('POSIX shell');
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" scan --home test/fixtures/homes/linux --format json | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    assert.equal(r.stdout.trim(), '0');
    assert.ok(!r.stderr.includes('EPIPE'), r.stderr);
  });
});
