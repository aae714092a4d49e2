// The `warden` command as users run it: exit codes, streams, options, and hostile homes.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, symlinkSync, chmodSync, statSync, readFileSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { warden, tempDir, BIN } from '../helpers/cli.js';

function put(root: string, rel: string, content: string | Buffer) {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}

const CURSOR_MCP = `{
  "mcpServers": {
    "files": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/home/me/work"]
    },
    "docs": { "url": "https://mcp.example.com/mcp", "headers": { "X-Team": "docs" } }
  }
}
`;

describe('warden CLI basics', () => {
  it('prints its version', () => {
    const r = warden(['--version']);
    assert.equal(r.status, 0);
    const pkg = JSON.parse(readFileSync(join(dirname(BIN), '..', 'package.json'), 'utf8'));
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('still starts from dist/warden.js, the name client configs written by earlier installs use', () => {
    const old = spawnSync(process.execPath, [join(dirname(BIN), 'warden.js'), '--version'], { encoding: 'utf8' });
    assert.equal(old.status, 0, old.stderr);
    assert.equal(old.stdout, warden(['--version']).stdout);
  });

  it('prints help for the program and for scan', () => {
    const top = warden(['--help']);
    assert.equal(top.status, 0);
    assert.match(top.stdout, /scan/);
    assert.match(top.stdout, /rules/);
    const scan = warden(['scan', '--help']);
    assert.equal(scan.status, 0);
    assert.match(scan.stdout, /--fail-on/);
    assert.match(scan.stdout, /--list-locations/);
  });

  it('rejects an unknown option with exit 2 and one line on stderr', () => {
    const r = warden(['scan', '--bogus']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^warden: unknown option '--bogus'/);
  });

  it('names the missing --home directory', () => {
    const r = warden(['scan', '--home', '/nonexistent/home/dir']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), 'warden: --home /nonexistent/home/dir: no such directory');
  });

  it('rejects --os without --home and unknown OS names', () => {
    assert.equal(warden(['scan', '--os', 'linux']).status, 2);
    const home = tempDir();
    const r = warden(['scan', '--home', home, '--os', 'beos']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown operating system "beos"/);
  });

  it('rejects an invalid --format and --fail-on value', () => {
    assert.equal(warden(['scan', '--format', 'xml']).status, 2);
    assert.equal(warden(['scan', '--fail-on', 'info']).status, 2);
  });

  it('lists the rules', () => {
    const r = warden(['rules', '--format', 'json']);
    assert.equal(r.status, 0);
    const rules = JSON.parse(r.stdout) as Array<{ id: string }>;
    assert.ok(rules.length > 0);
  });
});

describe('warden scan --home', () => {
  let home: string;
  before(() => {
    home = tempDir();
    put(home, '.cursor/mcp.json', CURSOR_MCP);
    put(home, '.claude/CLAUDE.md', '# House rules\n\nRun the tests before committing.\n');
  });

  it('inventories servers with file and line, and keeps stdout pure JSON', () => {
    const r = warden(['scan', '--home', home, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out).slice(0, 8), ['version', 'tool', 'scannedAt', 'target', 'inventory', 'coverage', 'findings', 'warnings']);
    const servers = out.inventory.servers as Array<{ name: string; client: string; line: number; transport: string; file: string; headerNames: string[] }>;
    const files = servers.find((s) => s.name === 'files');
    assert.ok(files);
    assert.equal(files.client, 'cursor');
    assert.equal(files.line, 3);
    assert.equal(files.transport, 'stdio');
    assert.equal(files.file, join(home, '.cursor', 'mcp.json'));
    const docs = servers.find((s) => s.name === 'docs');
    assert.equal(docs?.transport, 'http');
    assert.deepEqual(docs?.headerNames, ['X-Team']);
    assert.ok(!r.stdout.includes('"docs" }'), 'header values never appear');
    const cursor = out.inventory.clients.find((c: { id: string }) => c.id === 'cursor');
    assert.equal(cursor.installed, true);
    assert.ok(out.inventory.instructionFiles.some((f: { path: string }) => f.path.endsWith('CLAUDE.md')));
    const found = out.coverage.filter((e: { status: string }) => e.status === 'found');
    assert.ok(found.some((e: { path: string }) => e.path === join(home, '.cursor', 'mcp.json')));
    assert.ok(out.coverage.some((e: { status: string }) => e.status === 'not-present'), 'coverage also lists what was probed and absent');
  });

  it('renders a table without colour codes when not on a terminal', () => {
    const r = warden(['scan', '--home', home]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Inventory/);
    assert.match(r.stdout, /files/);
    assert.match(r.stdout, /Coverage/);
    assert.ok(!r.stdout.includes('\x1b['));
  });

  it('writes -o files with mode 0600', () => {
    const out = join(tempDir(), 'report.json');
    const r = warden(['scan', '--home', home, '--format', 'json', '-o', out]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '');
    assert.equal(statSync(out).mode & 0o777, 0o600);
    assert.ok(JSON.parse(readFileSync(out, 'utf8')).inventory);
  });

  it('prints every location it probes with --list-locations', () => {
    const r = warden(['scan', '--home', home, '--list-locations']);
    assert.equal(r.status, 0);
    assert.ok(r.stdout.includes(join(home, '.cursor', 'mcp.json')));
    assert.ok(r.stdout.includes(join(home, '.claude.json')));
    assert.match(r.stdout, /<project>\/\.mcp\.json/);
  });

  it('narrows layouts with --os', () => {
    const r = warden(['scan', '--home', home, '--os', 'macos', '--format', 'json']);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.target.os, ['macos']);
    assert.ok(out.coverage.every((e: { os: string[]; scope: string }) => (e.os.length === 1 && e.os[0] === 'macos') || e.scope === 'project'));
  });
});

describe('warden scan of hostile input', () => {
  let home: string;
  before(() => {
    home = tempDir();
    put(home, '.cursor/mcp.json', CURSOR_MCP);
    put(home, '.codeium/windsurf/mcp_config.json', '{\n  "mcpServers": {\n    "x": { "command": "node", }\n    oops\n  }\n}\n');
    put(home, '.gemini/settings.json', Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff, 0x00]));
    put(home, '.claude.json', '['.repeat(200_000));
    put(home, '.claude/CLAUDE.md', Buffer.concat([Buffer.from('# Notes\n'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('\nplain text\n')]));
    // 50 MB settings file: created sparse, so the test stays fast.
    const big = put(home, '.claude/settings.json', '');
    const fd = openSync(big, 'r+');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    const proj = join(home, 'src', 'app');
    put(proj, 'README.md', 'app');
    symlinkSync('.mcp.json', join(proj, '.mcp.json.loop'));
    symlinkSync('.mcp.json.loop', join(proj, '.mcp.json'));
    symlinkSync('..', join(proj, 'up'));
    const outside = put(tempDir(), 'elsewhere.json', '{"mcpServers":{"far":{"command":"x"}}}');
    mkdirSync(join(proj, '.cursor'), { recursive: true });
    symlinkSync(outside, join(proj, '.cursor', 'mcp.json'));
  });

  it('completes, names each bad file, and still reports the good ones', () => {
    const r = warden(['scan', '--home', home, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.inventory.servers.some((s: { name: string }) => s.name === 'files'), 'good config still read');
    const cov = (p: string) => out.coverage.find((e: { path: string }) => e.path === join(home, p));
    assert.equal(cov('.codeium/windsurf/mcp_config.json').status, 'parse-error');
    assert.match(cov('.codeium/windsurf/mcp_config.json').detail, /^line 4, column 5: invalid JSON/);
    assert.equal(cov('.gemini/settings.json').status, 'unreadable');
    assert.match(cov('.gemini/settings.json').detail, /binary/);
    assert.equal(cov('.claude.json').status, 'parse-error');
    assert.equal(cov('.claude/settings.json').status, 'unreadable');
    assert.match(cov('.claude/settings.json').detail, /50\.0 MB, over the 10\.0 MB limit/);
    const warn = (p: string) => out.warnings.filter((w: { file?: string }) => w.file === p).map((w: { message: string }) => w.message).join('\n');
    assert.match(warn(join(home, '.claude/CLAUDE.md')), /not valid UTF-8/);
    assert.match(warn(join(home, 'src/app/.mcp.json')), /symbolic link/);
    assert.match(warn(join(home, 'src/app/.cursor/mcp.json')), /outside the scanned tree/);
    assert.ok(!out.inventory.servers.some((s: { name: string }) => s.name === 'far'), 'links out of the tree are not followed');
  });

  it('warns about files it may not read', (t) => {
    const isRoot = process.getuid?.() === 0;
    if (process.platform === 'win32') return t.skip('POSIX permissions');
    const h = tempDir();
    chmodSync(h, 0o755);
    const p = put(h, '.cursor/mcp.json', CURSOR_MCP);
    chmodSync(join(h, '.cursor'), 0o755);
    chmodSync(p, 0o000);
    // As root every file is readable, so run the scan as an unprivileged user.
    const r = spawnSync(process.execPath, [BIN, 'scan', '--home', h, '--format', 'json'], {
      encoding: 'utf8',
      cwd: h,
      ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const e = out.coverage.find((x: { path: string }) => x.path === p);
    assert.equal(e.status, 'unreadable');
    assert.equal(e.detail, 'permission denied');
  });
});

describe('warden scan PATH', () => {
  it('walks project trees, skipping node_modules and .wardenignore / --exclude paths', () => {
    const root = tempDir();
    put(root, 'svc/.mcp.json', '{"mcpServers":{"svc-db":{"command":"uvx","args":["mcp-server-sqlite==0.6.2"]}}}');
    put(root, 'node_modules/pkg/.mcp.json', '{"mcpServers":{"dep":{"command":"x"}}}');
    put(root, 'fixtures/.mcp.json', '{"mcpServers":{"fixture":{"command":"x"}}}');
    put(root, 'other/.mcp.json', '{"mcpServers":{"other":{"command":"x"}}}');
    put(root, '.wardenignore', 'fixtures/\n');
    const r = warden(['scan', root, '--exclude', 'other/**', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.inventory.servers.map((s: { name: string }) => s.name), ['svc-db']);
    assert.equal(out.inventory.servers[0].scope, 'project');
    assert.equal(out.target.home, null);
  });

  it('rejects a PATH that does not exist', () => {
    const r = warden(['scan', '/no/such/tree']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /path \/no\/such\/tree: no such directory/);
  });
});

describe('warden scan gates and allowlists', () => {
  const repo = () => {
    const root = tempDir();
    put(root, '.mcp.json', '{\n  "mcpServers": {\n    "db": { "command": "sudo", "args": ["mcp-server-postgres"] }\n  }\n}\n');
    return root;
  };

  it('exits 1 when --fail-on is reached and 0 when it is not', () => {
    const root = repo();
    const high = warden(['scan', root, '--fail-on', 'high', '--format', 'json']);
    assert.equal(high.status, 1, high.stderr);
    const out = JSON.parse(high.stdout);
    const sudo = out.findings.find((f: { ruleId: string }) => f.ruleId === 'sudo-launch');
    assert.equal(sudo.location.line, 3);
    assert.equal(sudo.location.server, 'db');
    assert.equal(warden(['scan', root, '--fail-on', 'critical', '--format', 'json']).status, 0);
  });

  it('reports servers missing from an allowlist, and names a malformed allowlist file', () => {
    const root = repo();
    const list = join(tempDir(), 'approved.yaml');
    writeFileSync(list, '- mcp-server-sqlite\n- github\n');
    const r = warden(['scan', root, '--allowlist', list, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).findings.some((f: { ruleId: string; location: { server: string } }) => f.ruleId === 'server-not-allowlisted' && f.location.server === 'db'));
    writeFileSync(list, 'servers:\n  - ok\n  - [nested, list]\n');
    const bad = warden(['scan', root, '--allowlist', list]);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim(), `warden: ${list}: entry 2 must be a non-empty string (server name, package, image or URL prefix)`);
    writeFileSync(list, 'servers: [a, b\n');
    const broken = warden(['scan', root, '--allowlist', list]);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, new RegExp(`^warden: ${list.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid YAML`));
  });

  it('writes SARIF that names the rule and the line', () => {
    const r = warden(['scan', repo(), '--format', 'sarif']);
    assert.equal(r.status, 0);
    const sarif = JSON.parse(r.stdout);
    const res = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'sudo-launch');
    assert.equal(res.locations[0].physicalLocation.region.startLine, 3);
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, '.mcp.json');
  });
});
