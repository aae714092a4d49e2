// `warden install` / `uninstall` as a library: for every client in the catalogue and every
// fixture config, routing keeps comments and unrelated lines, is idempotent, and the undo gives
// back the very same bytes; then each format's layouts, hostile server names, a config changed
// after install, malformed configs, symbolic links, file modes and the backups' own modes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ALL_OS, type ConfigFormat } from '../../src/core/types.js';
import { CATALOGUE } from '../../src/discover/catalogue.js';
import type { HomeTarget } from '../../src/discover/discover.js';
import { extractServers } from '../../src/discover/servers.js';
import type { ClientSpec, ServerShape } from '../../src/discover/spec.js';
import { ConfigParseError, parseConfig } from '../../src/parse/document.js';
import { backupsDir } from '../../src/install/backups.js';
import { install, uninstall, type Report } from '../../src/install/install.js';
import { locateConfigs } from '../../src/install/locate.js';
import { REMOTE_NOT_YET } from '../../src/install/rewrite.js';
import { quoteString } from '../../src/install/text-edits.js';
import { unifiedDiff } from '../../src/install/unified-diff.js';
import { gatewayIndex, parseWrapped, wrapArgv, type GatewayChoice, type Launcher } from '../../src/install/wrap.js';
import { BIN, FIXTURES, tempDir } from '../helpers/cli.js';

const LAUNCHER: Launcher = { command: process.execPath, args: [BIN] };
const client = (id: string): ClientSpec => CATALOGUE.find((c) => c.id === id)!;

interface Sandbox {
  root: string;
  env: NodeJS.ProcessEnv;
  homes: HomeTarget[];
  projects: string[];
}

/** A temporary home (or project) holding a copy of `from`, with its own WARDEN_HOME. */
function sandbox(from?: string, kind: 'home' | 'project' = 'home'): Sandbox {
  const base = tempDir('warden-install-');
  const root = join(base, kind);
  mkdirSync(root);
  if (from) cpSync(from, root, { recursive: true });
  return { root, env: { WARDEN_HOME: join(base, 'warden-home') }, homes: kind === 'home' ? [{ path: root, os: [...ALL_OS] }] : [], projects: kind === 'project' ? [root] : [] };
}

function put(box: Sandbox, rel: string, text: string | Buffer): string {
  const path = join(box.root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const run = (box: Sandbox, id: string, o: { dryRun?: boolean; choice?: GatewayChoice } = {}) =>
  install({ client: client(id), homes: box.homes, projects: box.projects, env: box.env, dryRun: o.dryRun ?? false, launcher: LAUNCHER, choice: o.choice ?? {} });
const undo = (box: Sandbox, id: string, o: { force?: boolean; dryRun?: boolean } = {}) =>
  uninstall({ client: client(id), homes: box.homes, projects: box.projects, env: box.env, dryRun: o.dryRun ?? false, force: o.force ?? false });

/** Every server of a config as its client launches it, by name. */
function launches(path: string, format: ConfigFormat, id: string, shape?: ServerShape): Map<string, string[] | null> {
  const spec = client(id).configs.find((c) => c.format === format && c.servers)!;
  const doc = parseConfig(path, readFileSync(path, 'utf8').replace(/^\ufeff/, ''), format);
  return new Map(extractServers(doc, shape ?? spec.servers!, id, 'user').map((s) => [s.decl.name, s.decl.command === undefined ? null : [s.decl.command, ...s.decl.args]]));
}

function statuses(r: Report): string[] {
  return r.files.flatMap((f) => f.servers.map((s) => `${s.name}:${s.status}`));
}

/** Every file under `dir`, as bytes, keyed by relative path. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('install over the catalogue', () => {
  const roots: Array<{ label: string; path: string; kind: 'home' | 'project' }> = [
    ...ALL_OS.map((os) => ({ label: `home ${os}`, path: join(FIXTURES, 'homes', os), kind: 'home' as const })),
    { label: 'project sample-repo', path: join(FIXTURES, 'projects', 'sample-repo'), kind: 'project' as const },
  ];

  const routedFormats = new Set<ConfigFormat>();
  for (const c of CATALOGUE) {
    it(`${c.id}: routes every stdio server, keeps comments and unrelated lines, is idempotent, and uninstall restores the bytes`, () => {
      let files = 0;
      for (const root of roots) {
        const box = sandbox(root.path, root.kind);
        const before = snapshot(box.root);
        const targets = locateConfigs(c, box.homes, box.projects).targets;
        const first = run(box, c.id);
        assert.equal(first.files.length, targets.length, `${root.label}: one report per config`);
        for (const f of first.files) {
          files++;
          const rel = relative(box.root, f.path);
          const spec = targets.find((t) => t.path === f.path)!.spec;
          const old = before.get(rel)!.toString('utf8');
          const now = readFileSync(f.path, 'utf8');
          const was = launches(join(root.path, rel), spec.format, c.id, spec.servers);
          const is = launches(f.path, spec.format, c.id, spec.servers);
          for (const s of f.servers) {
            const argv = was.get(s.name);
            if (s.status === 'routed') assert.deepEqual(is.get(s.name), wrapArgv(argv!, s.name, LAUNCHER), `${rel}: ${s.name}`);
            else assert.deepEqual(is.get(s.name), argv, `${rel}: ${s.name} untouched`);
            if (s.status === 'skipped' && s.reason === REMOTE_NOT_YET) assert.ok(argv === null || argv === undefined || gatewayIndex(argv) === -1);
          }
          for (const [name, argv] of was) if (argv && gatewayIndex(argv) === -1 && !f.servers.some((s) => s.name === name)) assert.fail(`${rel}: ${name} has no outcome`);
          assert.equal(f.result, f.servers.some((s) => s.status === 'routed') ? 'written' : 'unchanged', rel);
          if (f.result === 'written') routedFormats.add(spec.format);
          // Comments survive, and only lines holding a routed server's command or first argument change.
          for (const line of old.split('\n')) if (/^\s*(\/\/|#)/.test(line)) assert.ok(now.includes(line), `${rel}: comment kept: ${line}`);
          const routed = f.servers.filter((s) => s.status === 'routed').map((s) => was.get(s.name)!);
          for (const removed of unifiedDiff(old, now, rel).split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))) {
            assert.ok(routed.some((argv) => removed.includes(argv[0]!) || (argv[1] !== undefined && removed.includes(argv[1])) || removed.includes('[]')), `${rel}: unrelated line changed: ${removed}`);
          }
        }
        const second = run(box, c.id);
        assert.ok(second.files.every((f) => f.result === 'unchanged'), `${root.label}: second install changes nothing`);
        assert.ok(!statuses(second).some((s) => s.endsWith(':routed')));
        const back = undo(box, c.id);
        assert.ok(back.files.every((f) => f.result === 'restored' || f.result === 'unchanged'), `${root.label}: ${JSON.stringify(back.files)}`);
        const after = snapshot(box.root);
        assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
        for (const [rel, bytes] of before) assert.ok(after.get(rel)!.equals(bytes), `${root.label}: ${rel} restored byte for byte`);
        const dir = backupsDir(c.id, box.env);
        assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], [], 'no backup record is left behind');
      }
      assert.ok(files > 0, `${c.id}: the fixtures hold at least one of its configs`);
    });
  }

  it('has routed a fixture config of every format the catalogue uses', () => {
    const formats = new Set<ConfigFormat>();
    for (const c of CATALOGUE) for (const s of c.configs) if (s.servers && (s.scope === 'user' || s.scope === 'project')) formats.add(s.format);
    assert.deepEqual([...routedFormats].sort(), [...formats].sort());
  });
});

describe('install: layouts of each format', () => {
  it('JSONC: comments inside and around args, trailing commas, a server without args, CRLF and a BOM', () => {
    const box = sandbox();
    const text = [
      '\ufeff{',
      '  // servers for this machine',
      '  "servers": {',
      '    "files": {',
      '      "command": "npx", // the runner',
      '      "args": [',
      '        // pinned',
      '        "-y",',
      '        "@modelcontextprotocol/server-filesystem@1.0.0",',
      '      ],',
      '    },',
      '    "bare": { "command": "/opt/bin/server" },',
      '    "nested": { "type": "stdio", "command": "uvx", "args": [], "env": { "A": "1" } }',
      '  },',
      '}',
      '',
    ].join('\r\n');
    const path = put(box, '.config/Code/User/mcp.json', text);
    const r = run(box, 'vscode');
    assert.deepEqual(statuses(r), ['files:routed', 'bare:routed', 'nested:routed']);
    const w = JSON.stringify(BIN);
    const n = JSON.stringify(process.execPath);
    const expected = [
      '\ufeff{',
      '  // servers for this machine',
      '  "servers": {',
      '    "files": {',
      `      "command": ${n}, // the runner`,
      '      "args": [',
      '        // pinned',
      `        ${w},`,
      '        "gateway",',
      '        "--name",',
      '        "files",',
      '        "--",',
      '        "npx",',
      '        "-y",',
      '        "@modelcontextprotocol/server-filesystem@1.0.0",',
      '      ],',
      '    },',
      `    "bare": { "command": ${n}, "args": [${w}, "gateway", "--name", "bare", "--", "/opt/bin/server"] },`,
      `    "nested": { "type": "stdio", "command": ${n}, "args": [${w}, "gateway", "--name", "nested", "--", "uvx"], "env": { "A": "1" } }`,
      '  },',
      '}',
      '',
    ].join('\r\n');
    assert.equal(readFileSync(path, 'utf8'), expected);
    undo(box, 'vscode');
    assert.equal(readFileSync(path, 'utf8'), text);
  });

  it('TOML: tables, dotted keys, inline tables, literal and multi-line strings, comments in arrays, no args', () => {
    const box = sandbox();
    const text = `# Codex config
model = "gpt-5-codex"

[mcp_servers.docs]   # the docs server
command = 'npx'      # literal string
args = [
  "-y",  # yes
  "docs-mcp@1.0.0",
]
env = { TOKEN = "x" }

[mcp_servers."quoted name"]
command = """uvx"""
startup_timeout_sec = 5

[mcp_servers]
inline = { command = "node", args = ["server.js"] }
mcp_servers_note = "not a server"

[mcp_servers.docs.env_extra]
LEVEL = "debug"
`;
    const path = put(box, '.codex/config.toml', text);
    const r = run(box, 'codex');
    assert.deepEqual(statuses(r).sort(), ['docs:routed', 'inline:routed', 'quoted name:routed']);
    const now = readFileSync(path, 'utf8');
    const q = quoteString(BIN);
    assert.ok(now.includes(`[mcp_servers.docs]   # the docs server\ncommand = ${quoteString(process.execPath)}      # literal string\nargs = [\n  ${q},\n  "gateway",\n  "--name",\n  "docs",\n  "--",\n  "npx",\n  "-y",  # yes\n`), now);
    assert.ok(now.includes(`command = ${quoteString(process.execPath)}\nargs = [${q}, "gateway", "--name", "quoted name", "--", "uvx"]\nstartup_timeout_sec = 5\n`), now);
    assert.ok(now.includes(`inline = { command = ${quoteString(process.execPath)}, args = [${q}, "gateway", "--name", "inline", "--", "node", "server.js"] }`), now);
    assert.ok(now.includes('env = { TOKEN = "x" }') && now.includes('[mcp_servers.docs.env_extra]\nLEVEL = "debug"'));
    undo(box, 'codex');
    assert.equal(readFileSync(path, 'utf8'), text);
  });

  it('TOML: dotted keys at the root and CRLF line endings', () => {
    const box = sandbox();
    const text = 'mcp_servers.dotted.command = "uvx"\r\nmcp_servers.dotted.args = ["tool"]\r\nmcp_servers.noargs.command = "srv" # no args\r\n';
    const path = put(box, '.codex/config.toml', text);
    assert.deepEqual(statuses(run(box, 'codex')), ['dotted:routed', 'noargs:routed']);
    const now = readFileSync(path, 'utf8');
    assert.ok(now.includes(`\r\nmcp_servers.noargs.command = ${quoteString(process.execPath)} # no args\r\nmcp_servers.noargs.args = [${quoteString(BIN)}, "gateway", "--name", "noargs", "--", "srv"]\r\n`), now);
    assert.ok(!now.replace(/\r\n/g, '').includes('\n'), 'line endings stay CRLF');
    undo(box, 'codex');
    assert.equal(readFileSync(path, 'utf8'), text);
  });

  it('YAML: block and flow sequences, a flow map, comments, a list entry with no args; anchors are left alone', () => {
    const box = sandbox();
    const text = `# Goose
extensions:
  github:
    args:
      - -y   # flag
      - "@modelcontextprotocol/server-github@1.0.0"
    cmd: npx   # runner
    envs: {}
    type: stdio
  flow: {cmd: uvx, args: [tool], type: stdio}
  bare:
    cmd: /opt/bin/server
    type: stdio
  shared:
    cmd: &runner npx
    args: [a]
    type: stdio
  reuse:
    cmd: *runner
    args: [b]
    type: stdio
`;
    const path = put(box, '.config/goose/config.yaml', text);
    const r = run(box, 'goose');
    assert.deepEqual(statuses(r), ['github:routed', 'flow:routed', 'bare:routed', 'shared:not-routed', 'reuse:not-routed']);
    const now = readFileSync(path, 'utf8');
    const n = quoteString(process.execPath);
    const q = quoteString(BIN);
    assert.ok(now.includes(`    args:\n      - ${q}\n      - "gateway"\n      - "--name"\n      - "github"\n      - "--"\n      - "npx"\n      - -y   # flag\n`), now);
    assert.ok(now.includes(`    cmd: ${n}   # runner\n`));
    assert.ok(now.includes(`  flow: {cmd: ${n}, args: [${q}, "gateway", "--name", "flow", "--", "uvx", tool], type: stdio}`), now);
    assert.ok(now.includes(`  bare:\n    cmd: ${n}\n    args: [${q}, "gateway", "--name", "bare", "--", "/opt/bin/server"]\n    type: stdio\n`), now);
    assert.ok(now.includes('    cmd: &runner npx\n') && now.includes('    cmd: *runner\n'));
    undo(box, 'goose');
    assert.equal(readFileSync(path, 'utf8'), text);
  });

  it('YAML: Continue\'s list of servers, the first key of an item, no args', () => {
    const box = sandbox();
    const text = 'name: a\nmcpServers:\n  - command: npx\n    name: first\n  - name: second\n    command: srv\n';
    const path = put(box, '.continue/config.yaml', text);
    assert.deepEqual(statuses(run(box, 'continue')), ['first:routed', 'second:routed']);
    const now = readFileSync(path, 'utf8');
    assert.ok(now.includes(`  - command: ${quoteString(process.execPath)}\n    args: [${quoteString(BIN)}, "gateway", "--name", "first", "--", "npx"]\n    name: first\n`), now);
    undo(box, 'continue');
    assert.equal(readFileSync(path, 'utf8'), text);
  });

  it('passes --policy and --preset to every routed server', () => {
    const box = sandbox();
    const path = put(box, '.cursor/mcp.json', '{"mcpServers": {"a": {"command": "x"}}}\n');
    run(box, 'cursor', { choice: { preset: 'strict' } });
    assert.deepEqual(launches(path, 'json', 'cursor').get('a'), [process.execPath, BIN, 'gateway', '--name', 'a', '--preset', 'strict', '--', 'x']);
    const w = parseWrapped(launches(path, 'json', 'cursor').get('a')!)!;
    assert.equal(w.preset, 'strict');
  });
});

describe('install: hostile server names', () => {
  const NAMES = ['quote"s and \'single\'', 'line\nbreak\r\n', '--', '-x', 'back\\slash', 'x'.repeat(5000), '\u202erlo', '# not a comment', '[mcp_servers.evil]', 'key = "v"', 'tab\there', '', '\u0007bell\u007f'];

  const cases: Array<{ id: string; file: string; format: ConfigFormat; text: (names: string[]) => string }> = [
    {
      id: 'cursor',
      file: '.cursor/mcp.json',
      format: 'json',
      text: (names) => JSON.stringify({ mcpServers: Object.fromEntries(names.map((n, i) => [n, { command: `cmd${i}`, args: ['--', n] }])) }, null, 2),
    },
    {
      id: 'codex',
      file: '.codex/config.toml',
      format: 'toml',
      text: (names) => names.map((n, i) => `[mcp_servers.${quoteString(n)}]\ncommand = "cmd${i}"\nargs = ["--", ${quoteString(n)}]\n`).join('\n'),
    },
    {
      id: 'continue',
      file: '.continue/config.yaml',
      format: 'yaml',
      text: (names) => 'mcpServers:\n' + names.map((n, i) => `  - name: ${quoteString(n)}\n    command: cmd${i}\n    args:\n      - "--"\n      - ${quoteString(n)}\n`).join(''),
    },
  ];

  for (const c of cases) {
    it(`${c.format}: names with quotes, newlines, --, comment and header syntax, 5000 characters stay data`, () => {
      const box = sandbox();
      // Continue names an unnamed list entry #i; an empty name is kept out of the list format.
      const names = c.format === 'yaml' ? NAMES.filter((n) => n !== '') : NAMES;
      const original = c.text(names);
      const path = put(box, c.file, original);
      const r = run(box, c.id);
      assert.equal(r.files[0]!.result, 'written', JSON.stringify(r.files[0]!.note));
      const now = launches(path, c.format, c.id);
      names.forEach((n, i) => {
        const argv = now.get(n)!;
        assert.deepEqual(argv, wrapArgv([`cmd${i}`, '--', n], n, LAUNCHER), JSON.stringify(n).slice(0, 60));
        const w = parseWrapped(argv)!;
        assert.equal(w.name, n);
        assert.deepEqual(w.original, [`cmd${i}`, '--', n]);
      });
      assert.deepEqual(statuses(run(box, c.id)).filter((s) => s.endsWith(':routed')), [], 'idempotent');
      undo(box, c.id);
      assert.equal(readFileSync(path, 'utf8'), original);
    });
  }
});

describe('uninstall after the user changed the config', () => {
  const cases: Array<{ id: string; file: string; text: string; edit: (t: string) => string; kept: string }> = [
    { id: 'cursor', file: '.cursor/mcp.json', text: '{\n  "mcpServers": {\n    "a": { "command": "npx", "args": ["-y", "pkg"] }\n  },\n  "theme": "dark"\n}\n', edit: (t) => t.replace('"dark"', '"light"'), kept: '"theme": "light"' },
    { id: 'codex', file: '.codex/config.toml', text: '[mcp_servers.a]\ncommand = "npx"\nargs = ["-y", "pkg"]\n', edit: (t) => `${t}\n[profiles.fast]\nmodel = "o4"\n`, kept: '[profiles.fast]\nmodel = "o4"' },
    { id: 'goose', file: '.config/goose/config.yaml', text: 'extensions:\n  a:\n    cmd: npx\n    args: [-y, pkg]\n    type: stdio\nGOOSE_MODEL: one\n', edit: (t) => t.replace('GOOSE_MODEL: one', 'GOOSE_MODEL: two # mine'), kept: 'GOOSE_MODEL: two # mine' },
  ];

  for (const c of cases) {
    it(`${c.id}: unroutes in place and keeps the change; --force restores the original bytes`, () => {
      const box = sandbox();
      const path = put(box, c.file, c.text);
      run(box, c.id);
      writeFileSync(path, c.edit(readFileSync(path, 'utf8')));
      const soft = undo(box, c.id);
      assert.equal(soft.files[0]!.result, 'unrouted-in-place');
      assert.match(soft.files[0]!.note!, /changed since Warden edited it .*--force restores it/);
      const now = readFileSync(path, 'utf8');
      assert.ok(now.includes(c.kept), now);
      assert.deepEqual([...launches(path, c.id === 'codex' ? 'toml' : c.id === 'goose' ? 'yaml' : 'json', c.id).values()], [['npx', '-y', 'pkg']]);
      assert.equal(readdirSync(backupsDir(c.id, box.env)).length, 1, 'the backup is kept for --force');
      const again = undo(box, c.id);
      assert.equal(again.files[0]!.result, 'unchanged');
      const hard = undo(box, c.id, { force: true });
      assert.equal(hard.files[0]!.result, 'restored');
      assert.equal(readFileSync(path, 'utf8'), c.text);
      assert.deepEqual(readdirSync(backupsDir(c.id, box.env)), []);
    });
  }

  it('a second install after the user added a server routes it, and the undo keeps the user\'s addition', () => {
    const box = sandbox();
    const path = put(box, '.cursor/mcp.json', '{\n  "mcpServers": {\n    "a": { "command": "one" }\n  }\n}\n');
    run(box, 'cursor');
    const edited = readFileSync(path, 'utf8').replace('\n  }\n}', ',\n    "b": { "command": "two", "args": ["x"] }\n  }\n}');
    writeFileSync(path, edited);
    assert.deepEqual(statuses(run(box, 'cursor')), ['a:already-routed', 'b:routed']);
    assert.equal(undo(box, 'cursor').files[0]!.result, 'restored');
    assert.deepEqual(Object.fromEntries(launches(path, 'json', 'cursor')), { a: ['one'], b: ['two', 'x'] });
    assert.ok(readFileSync(path, 'utf8').includes('"b": { "command": "two", "args": ["x"] }'));
  });

  it('a config routed by hand (no backup) is unrouted in place', () => {
    const box = sandbox();
    const path = put(box, '.cursor/mcp.json', JSON.stringify({ mcpServers: { a: { command: 'warden', args: ['gateway', '--name', 'a', '--', 'npx', 'pkg'] } } }));
    const r = undo(box, 'cursor');
    assert.equal(r.files[0]!.result, 'unrouted-in-place');
    assert.deepEqual(launches(path, 'json', 'cursor').get('a'), ['npx', 'pkg']);
  });

  it('a routed server with gateway options it does not know is left routed and said so', () => {
    const box = sandbox();
    const text = JSON.stringify({ mcpServers: { a: { command: 'warden', args: ['gateway', '--future-flag', '--', 'npx'] } } });
    const path = put(box, '.cursor/mcp.json', text);
    assert.deepEqual(statuses(run(box, 'cursor')), ['a:already-routed'], 'never wrapped twice');
    const r = undo(box, 'cursor');
    assert.equal(r.files[0]!.result, 'refused');
    assert.equal(r.files[0]!.servers[0]!.status, 'left-routed');
    assert.equal(readFileSync(path, 'utf8'), text);
  });
});

describe('install: bad input and the file system', () => {
  it('a malformed config stops everything: nothing is written, the error names file, line and column', () => {
    const box = sandbox(join(FIXTURES, 'homes', 'macos'));
    const bad = join(box.root, 'Library/Application Support/Code - Insiders/User/mcp.json');
    writeFileSync(bad, '{\n  "servers": {\n    "x": { "command": "npx" \n  }\n');
    const before = snapshot(box.root);
    assert.throws(() => run(box, 'vscode'), (err: unknown) => err instanceof ConfigParseError && err.file === bad && err.line > 1 && err.column >= 1);
    const after = snapshot(box.root);
    for (const [rel, bytes] of before) assert.ok(after.get(rel)!.equals(bytes), rel);
    assert.equal(existsSync(box.env.WARDEN_HOME!), false, 'no backup either');
  });

  it('--dry-run writes nothing and shows a unified diff', () => {
    const box = sandbox();
    const path = put(box, '.cursor/mcp.json', '{"mcpServers": {"a": {"command": "npx", "args": ["pkg"]}}}\n');
    const r = run(box, 'cursor', { dryRun: true });
    assert.equal(r.files[0]!.result, 'would-write');
    assert.match(r.files[0]!.diff!, /^--- .*\n\+\+\+ .*\n@@ -1,1 \+1,1 @@\n-\{"mcpServers": \{"a": \{"command": "npx", "args": \["pkg"\]\}\}\}\n\+\{"mcpServers"/);
    assert.equal(readFileSync(path, 'utf8'), '{"mcpServers": {"a": {"command": "npx", "args": ["pkg"]}}}\n');
    assert.equal(existsSync(box.env.WARDEN_HOME!), false);
    run(box, 'cursor');
    const u = undo(box, 'cursor', { dryRun: true });
    assert.equal(u.files[0]!.result, 'would-write');
    assert.notEqual(readFileSync(path, 'utf8'), '{"mcpServers": {"a": {"command": "npx", "args": ["pkg"]}}}\n');
  });

  it('keeps the config\'s mode; backups are 0600 files in 0700 folders', () => {
    const box = sandbox();
    const path = put(box, '.cursor/mcp.json', '{"mcpServers": {"a": {"command": "npx"}}}');
    chmodSync(path, 0o640);
    const r = run(box, 'cursor');
    assert.equal(statSync(path).mode & 0o777, 0o640);
    const record = r.files[0]!.backup!;
    assert.equal(statSync(record).mode & 0o777, 0o600);
    assert.equal(statSync(dirname(record)).mode & 0o777, 0o700);
    assert.equal(statSync(dirname(dirname(record))).mode & 0o777, 0o700);
    const saved = JSON.parse(readFileSync(record, 'utf8')) as Record<string, string>;
    assert.equal(saved.path, path);
    assert.equal(Buffer.from(saved.originalBase64!, 'base64').toString(), '{"mcpServers": {"a": {"command": "npx"}}}');
    assert.match(saved.writtenSha256!, /^[0-9a-f]{64}$/);
    undo(box, 'cursor');
    assert.equal(statSync(path).mode & 0o777, 0o640);
  });

  // A link inside the home (a dotfile manager's) is edited through and stays a link; one that
  // leads out of the tree is refused, so install never edits a file outside what it was given.
  it('follows a symbolic link that stays inside the home, and never replaces the link', () => {
    const box = sandbox();
    const real = put(box, 'dotfiles/cursor-mcp.json', '{"mcpServers": {"a": {"command": "npx"}}}');
    mkdirSync(join(box.root, '.cursor'));
    const link = join(box.root, '.cursor', 'mcp.json');
    symlinkSync('../dotfiles/cursor-mcp.json', link);
    assert.equal(run(box, 'cursor').files[0]!.result, 'written');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.deepEqual(launches(real, 'json', 'cursor').get('a')!.slice(2, 5), ['gateway', '--name', 'a']);
    undo(box, 'cursor');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(real, 'utf8'), '{"mcpServers": {"a": {"command": "npx"}}}');
  });

  it('refuses a config that links out of the tree, file or folder', () => {
    const outside = tempDir('warden-outside-');
    const target = join(outside, 'mcp.json');
    writeFileSync(target, '{"mcpServers": {"a": {"command": "npx"}}}');
    const box = sandbox();
    mkdirSync(join(box.root, '.cursor'));
    symlinkSync(target, join(box.root, '.cursor', 'mcp.json'));
    const r = run(box, 'cursor');
    assert.equal(r.files[0]!.result, 'refused');
    assert.match(r.files[0]!.note!, /symbolic link .* outside/);
    const project = sandbox(undefined, 'project');
    symlinkSync(outside, join(project.root, '.cursor'));
    assert.equal(run(project, 'cursor').files[0]!.result, 'refused');
    assert.equal(readFileSync(target, 'utf8'), '{"mcpServers": {"a": {"command": "npx"}}}');
    assert.equal(existsSync(box.env.WARDEN_HOME!), false);
  });

  it('refuses a config that is not UTF-8 or has other hard links', () => {
    const box = sandbox();
    const path = put(box, '.cursor/mcp.json', Buffer.from([0x7b, 0xff, 0x7d]));
    assert.match(run(box, 'cursor').files[0]!.note!, /not valid UTF-8/);
    assert.deepEqual(readFileSync(path), Buffer.from([0x7b, 0xff, 0x7d]));
    const other = sandbox();
    const linked = put(other, '.cursor/mcp.json', '{"mcpServers": {"a": {"command": "npx"}}}');
    linkSync(linked, join(other.root, 'second-name.json'));
    const r = run(other, 'cursor');
    assert.equal(r.files[0]!.result, 'refused');
    assert.match(r.files[0]!.note!, /2 hard links/);
  });

  it('says when an already routed server points at a Warden that is gone', () => {
    const box = sandbox();
    put(box, '.cursor/mcp.json', JSON.stringify({ mcpServers: { a: { command: '/gone/bin/node', args: ['/gone/warden/dist/warden.js', 'gateway', '--name', 'a', '--', 'npx'] } } }));
    const s = run(box, 'cursor').files[0]!.servers[0]!;
    assert.equal(s.status, 'already-routed');
    assert.match(s.reason!, /\/gone\/bin\/node, which no longer exists/);
  });
});

describe('wrap', () => {
  it('round-trips an argv through wrapArgv and parseWrapped', () => {
    const argv = ['npx', '-y', '--', 'pkg', '--name', 'x'];
    const w = wrapArgv(argv, '--', { command: '/n', args: ['/w/warden.js'] }, { policy: '/p/warden.yaml' });
    assert.deepEqual(w, ['/n', '/w/warden.js', 'gateway', '--name', '--', '--policy', '/p/warden.yaml', '--', ...argv]);
    const p = parseWrapped(w)!;
    assert.deepEqual([p.name, p.policy, p.original, p.launcher], ['--', '/p/warden.yaml', argv, ['/n', '/w/warden.js']]);
  });

  it('recognises Warden launched in the usual ways, and nothing else', () => {
    for (const argv of [['warden', 'gateway', '--', 'x'], ['C:\\tools\\warden.cmd', 'gateway', '--name=a', '--', 'x'], ['node', '/a/dist/warden.js', 'gateway', '--preset', 'strict', '--', 'x'], ['npx', '-y', 'warden@0.1.0', 'gateway', '--', 'x']]) {
      assert.deepEqual(parseWrapped(argv)?.original, ['x'], argv.join(' '));
    }
    for (const argv of [['npx', 'gateway', '--', 'x'], ['warden', 'scan'], ['node', 'server.js', 'gateway']]) assert.equal(gatewayIndex(argv), -1, argv.join(' '));
    assert.equal(parseWrapped(['warden', 'gateway', '--name']), null);
    assert.equal(parseWrapped(['warden', 'gateway', '--', ]), null);
  });
});
