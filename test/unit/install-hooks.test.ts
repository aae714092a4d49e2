// `warden install --hooks` / `uninstall --hooks` as a library: for every agent and scope, the
// entries written (exact shape, timeouts above Warden's own deadline, Cursor's failClosed), that a
// second install changes nothing and the undo gives back the very same tree; then the user's own
// hooks and comments, stale Warden entries, a file changed after install, malformed and hostile
// files (comments, wrong types, huge, symbolic links), modes, Claude Code's managed lock,
// Codex's requirements.toml block, and the shell quoting of the command itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UsageError } from '../../src/core/errors.js';
import type { OsName } from '../../src/core/types.js';
import { ConfigParseError } from '../../src/parse/document.js';
import { backupsDir } from '../../src/install/backups.js';
import { hookCommand, quotePosix, runsWardenHook } from '../../src/install/hook-command.js';
import { TOML_BEGIN, TOML_END } from '../../src/install/hook-edits.js';
import { HOOK_AGENTS, HOOK_TIMEOUT_SECONDS, hookAgent, isWardenHandler, type HookAgent, type HookScope } from '../../src/install/hook-entries.js';
import { installHooks, locateHookFile, uninstallHooks, type HookTarget } from '../../src/install/hooks.js';
import type { Launcher } from '../../src/install/wrap.js';
import { parseConfig } from '../../src/parse/document.js';
import { BIN, tempDir } from '../helpers/cli.js';
import { fileTree } from '../helpers/file-tree.js';

const LAUNCHER: Launcher = { command: process.execPath, args: ['--max-semi-space-size=2', BIN] };
const OLD_LAUNCHER: Launcher = { command: '/opt/old-node/bin/node', args: ['/opt/old/warden/dist/warden.js'] };
const agent = (id: string): HookAgent => hookAgent(id)!;

interface Box {
  base: string;
  home: string;
  project: string;
  system: string;
  env: NodeJS.ProcessEnv;
}

function box(): Box {
  const base = tempDir('warden-hooks-');
  const b = { base, home: join(base, 'home'), project: join(base, 'project'), system: join(base, 'root'), env: { WARDEN_HOME: join(base, 'warden-home') } };
  for (const d of [b.home, b.project, b.system]) mkdirSync(d);
  return b;
}

function target(b: Box, id: string, scope: HookScope, o: { os?: OsName; dirEnv?: NodeJS.ProcessEnv } = {}): HookTarget {
  return locateHookFile(agent(id), scope, { home: b.home, project: b.project, systemRoot: b.system, os: o.os ?? 'linux', dirEnv: o.dirEnv ?? {} });
}

const install = (b: Box, t: HookTarget, o: { dryRun?: boolean; launcher?: Launcher } = {}) =>
  installHooks({ target: t, dryRun: o.dryRun ?? false, env: b.env, launcher: o.launcher ?? LAUNCHER });
const uninstall = (b: Box, t: HookTarget, o: { dryRun?: boolean; force?: boolean } = {}) =>
  uninstallHooks({ target: t, dryRun: o.dryRun ?? false, force: o.force ?? false, env: b.env });

function put(path: string, text: string | Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}


/** The parsed data of a hook file, as plain objects. */
function data(t: HookTarget): Record<string, unknown> {
  return JSON.parse(JSON.stringify(parseConfig(t.path, readFileSync(t.path, 'utf8').replace(/^\ufeff/, ''), t.format).data)) as Record<string, unknown>;
}

/** Warden's handlers per event in a parsed file. */
function wardenHandlers(a: HookAgent, d: Record<string, unknown>): Map<string, Array<Record<string, unknown>>> {
  const out = new Map<string, Array<Record<string, unknown>>>();
  for (const [event, list] of Object.entries((d['hooks'] ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    const handlers = a.layout === 'flat' ? list : list.flatMap((g) => ((g as { hooks?: unknown[] }).hooks ?? []) as unknown[]);
    const ours = handlers.filter((h) => isWardenHandler(a, h)) as Array<Record<string, unknown>>;
    if (ours.length) out.set(event, ours);
  }
  return out;
}

const scopesOf = (a: HookAgent): HookScope[] => ['user', 'project', ...('unsupported' in a.managed ? [] : (['managed'] as const))];

describe('install --hooks over every agent and scope', () => {
  for (const a of HOOK_AGENTS) {
    for (const scope of scopesOf(a)) {
      it(`${a.id} (${scope}): creates the file with one Warden entry per event, a second install changes nothing, uninstall leaves the tree as it was`, () => {
        const b = box();
        const before = fileTree(b.base);
        const t = target(b, a.id, scope);
        const first = install(b, t);
        assert.equal(first.result, 'created', first.note);
        assert.deepEqual(first.events.map((e) => `${e.event}:${e.status}`), a.events.map((e) => `${e.event}:added`));
        const d = data(t);
        const ours = wardenHandlers(a, d);
        assert.deepEqual([...ours.keys()].sort(), a.events.map((e) => e.event).sort());
        for (const [event, handlers] of ours) {
          assert.equal(handlers.length, 1, `${event}: exactly one Warden handler`);
          const h = handlers[0]!;
          // The agent's timeout is well above Warden's 10 s deadline (Gemini counts milliseconds).
          const timeout = (h['timeout'] ?? h['timeoutSec']) as number;
          assert.equal(a.id === 'gemini' ? timeout / 1000 : timeout, HOOK_TIMEOUT_SECONDS);
          assert.ok(HOOK_TIMEOUT_SECONDS > 10);
          if (a.id === 'cursor') assert.equal(h['failClosed'], true);
          const command = String(h['command'] ?? h['bash']);
          const event_ = a.eventArgument ? [event] : [];
          assert.equal(command, hookCommand(LAUNCHER, a.id, ...event_).posix);
          if (a.id === 'copilot') assert.equal(h['powershell'], hookCommand(LAUNCHER, a.id, event).powershell);
        }
        if (a.skeleton) for (const [k, v] of Object.entries(a.skeleton)) assert.deepEqual(d[k], v);
        if (scope === 'managed' && a.managedSettings) for (const [k, v] of Object.entries(a.managedSettings)) assert.deepEqual(d[k], v);
        // Modes: the user's own file 0600 in 0700 folders; machine-wide ones readable by every user.
        assert.equal(statSync(t.path).mode & 0o777, scope === 'managed' ? 0o644 : 0o600);
        assert.equal(statSync(dirname(t.path)).mode & 0o777, scope === 'managed' ? 0o755 : 0o700);
        assert.equal(statSync(backupsDir(`hooks-${a.id}`, b.env)).mode & 0o777, 0o700);

        const again = install(b, t);
        assert.equal(again.result, 'unchanged');
        assert.ok(again.events.every((e) => e.status === 'unchanged'));

        const undo = uninstall(b, t);
        assert.equal(undo.result, 'deleted', undo.note);
        assert.deepEqual(fileTree(b.base), new Map([...before, ['warden-home', 'dir'], ['warden-home/backups', 'dir'], [`warden-home/backups/hooks-${a.id}`, 'dir']]));
      });
    }
  }

  it('every agent\'s entries are recognised as Warden\'s, and nothing else is', () => {
    for (const a of HOOK_AGENTS) {
      for (const e of a.events) {
        const handler = a.handler(hookCommand(LAUNCHER, a.id, ...(a.eventArgument ? [e.event] : [])));
        assert.ok(isWardenHandler(a, handler), `${a.id} ${e.event}`);
        for (const other of HOOK_AGENTS) if (other.id !== a.id && !other.handlerName) assert.equal(isWardenHandler(other, handler), false, `${a.id}'s entry is not ${other.id}'s`);
      }
      assert.equal(isWardenHandler(a, { type: 'command', command: `echo warden hook ${a.id}` }), false);
      assert.equal(isWardenHandler(a, { type: 'command', command: `my-linter --hook ${a.id}` }), false);
      assert.equal(isWardenHandler(a, { type: 'command', command: `my-check.sh && warden hook ${a.id}` }), false);
      assert.ok(isWardenHandler(a, { type: 'command', command: `warden hook ${a.id}` }));
    }
  });
});

describe('install --hooks next to what the user has', () => {
  it('keeps the user\'s hooks, comments and layout (JSONC with trailing commas); uninstall restores the bytes', () => {
    const b = box();
    const t = target(b, 'claude-code', 'user');
    const original = [
      '{',
      '  // my settings',
      '  "model": "opus", // trailing comment',
      '  "permissions": {"allow": ["Bash(ls)"]},',
      '  "hooks": {',
      '    "PreToolUse": [',
      '      { "matcher": "Bash", "hooks": [ { "type": "command", "command": "~/bin/check.sh" } ] }, // mine',
      '    ],',
      '  },',
      '}',
      '',
    ].join('\n');
    put(t.path, original);
    chmodSync(t.path, 0o640);
    const r = install(b, t);
    assert.equal(r.result, 'written');
    assert.ok(r.backup && existsSync(r.backup));
    const now = readFileSync(t.path, 'utf8');
    for (const line of original.split('\n').filter((l) => l.includes('//') || l.includes('check.sh') || l.includes('permissions'))) assert.ok(now.includes(line), `kept: ${line}`);
    assert.equal(statSync(t.path).mode & 0o777, 0o640, 'mode kept');
    const pre = (data(t)['hooks'] as Record<string, unknown[]>)['PreToolUse']!;
    assert.equal(pre.length, 2, 'the user\'s group first, Warden\'s after it');
    assert.equal(install(b, t).result, 'unchanged');
    const undo = uninstall(b, t);
    assert.equal(undo.result, 'restored');
    assert.equal(readFileSync(t.path, 'utf8'), original);
    assert.equal(statSync(t.path).mode & 0o777, 0o640);
  });

  it('replaces stale Warden entries (another Node, a hand-written `warden hook`) instead of adding a second one; other hooks are untouched', () => {
    const b = box();
    const t = target(b, 'claude-code', 'project');
    const stale = hookCommand(OLD_LAUNCHER, 'claude-code').posix;
    put(
      t.path,
      JSON.stringify(
        {
          hooks: {
            PreToolUse: [
              { matcher: '*', hooks: [{ type: 'command', command: stale, timeout: 5 }, { type: 'command', command: 'audit.sh' }] },
              { hooks: [{ type: 'command', command: 'warden hook claude-code' }] },
            ],
            Stop: [{ hooks: [{ type: 'command', command: 'npx -y warden@1 hook claude-code' }] }, { hooks: [{ type: 'command', command: 'notify.sh' }] }],
          },
        },
        null,
        2,
      ),
    );
    const r = install(b, t);
    assert.equal(r.result, 'written');
    assert.deepEqual(
      r.events.map((e) => `${e.event}:${e.status}`),
      ['PreToolUse:updated', 'PostToolUse:added', 'PermissionRequest:added', 'UserPromptSubmit:added', 'SessionStart:added', 'Stop:removed'],
    );
    const d = data(t);
    const ours = wardenHandlers(agent('claude-code'), d);
    for (const handlers of ours.values()) assert.equal(handlers.length, 1);
    assert.equal(ours.has('Stop'), false);
    const hooks = d['hooks'] as Record<string, Array<{ hooks: Array<{ command: string }> }>>;
    assert.deepEqual(hooks['PreToolUse']![0]!.hooks.map((h) => h.command), ['audit.sh'], 'the user\'s handler stays in its group');
    assert.deepEqual(hooks['Stop']!.map((g) => g.hooks[0]!.command), ['notify.sh']);
    // With the old entries gone, a second run has nothing to do.
    assert.equal(install(b, t).result, 'unchanged');
  });

  it('an install after a newer Warden moved updates the command in place', () => {
    const b = box();
    const t = target(b, 'cursor', 'user');
    assert.equal(install(b, t, { launcher: OLD_LAUNCHER }).result, 'created');
    const r = install(b, t);
    assert.equal(r.result, 'written');
    assert.ok(r.events.every((e) => e.status === 'updated'));
    for (const [, handlers] of wardenHandlers(agent('cursor'), data(t))) assert.equal(handlers[0]!['command'], hookCommand(LAUNCHER, 'cursor').posix);
    // The backup still holds "no file": uninstall deletes it.
    assert.equal(uninstall(b, t).result, 'deleted');
    assert.equal(existsSync(t.path), false);
  });

  it('a file changed after install: uninstall takes Warden\'s entries out in place and keeps the change; --force goes back to before', () => {
    const b = box();
    const t = target(b, 'gemini', 'user');
    const original = '{\n  "theme": "dark",\n  "mcpServers": {}\n}\n';
    put(t.path, original);
    install(b, t);
    const edited = readFileSync(t.path, 'utf8').replace('"theme": "dark"', '"theme": "light"');
    writeFileSync(t.path, edited);
    const soft = uninstall(b, t);
    assert.equal(soft.result, 'removed-in-place', soft.note);
    assert.match(soft.note!, /--force restores it/);
    const left = data(t);
    assert.equal(left['theme'], 'light');
    assert.equal(wardenHandlers(agent('gemini'), left).size, 0);
    const hard = uninstall(b, t, { force: true });
    assert.equal(hard.result, 'restored');
    assert.equal(readFileSync(t.path, 'utf8'), original);
  });

  it('a file Warden did not write but that runs `warden hook`: uninstall takes those entries out; nothing else', () => {
    const b = box();
    const t = target(b, 'codex', 'user');
    const text = JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'warden hook codex' }] }, { hooks: [{ type: 'command', command: 'lint.sh' }] }] } }, null, 2) + '\n';
    put(t.path, text);
    const r = uninstall(b, t);
    assert.equal(r.result, 'removed-in-place');
    assert.match(r.note!, /no backup of this file/);
    assert.deepEqual(data(t), { hooks: { PreToolUse: [{ hooks: [{ type: 'command', command: 'lint.sh' }] }] } });
  });

  it('keeps a byte-order mark, CRLF line ends and tab indentation', () => {
    const b = box();
    const t = target(b, 'copilot', 'project');
    const original = '\ufeff{\r\n\t"version": 1,\r\n\t"hooks": {\r\n\t\t"sessionStart": [{"type": "command", "bash": "echo hi"}]\r\n\t}\r\n}\r\n';
    put(t.path, original);
    install(b, t);
    const now = readFileSync(t.path);
    assert.equal(now.subarray(0, 3).toString('hex'), 'efbbbf');
    const text = now.toString('utf8');
    assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF');
    assert.match(text, /\r\n\t\t"preToolUse": \[\r\n\t\t\t\{/);
    assert.equal(uninstall(b, t).result, 'restored');
    assert.equal(readFileSync(t.path, 'utf8'), original);
  });

  it('--dry-run prints the diff and writes nothing, not even a backup', () => {
    const b = box();
    const t = target(b, 'claude-code', 'user');
    put(t.path, '{}\n');
    const before = fileTree(b.base);
    const r = install(b, t, { dryRun: true });
    assert.equal(r.result, 'would-write');
    assert.match(r.diff!, /^\+ {8}"matcher": "\*",$/m);
    assert.deepEqual(fileTree(b.base), before);
    const fresh = target(b, 'cursor', 'user');
    const r2 = install(b, fresh, { dryRun: true });
    assert.equal(r2.result, 'would-write');
    assert.match(r2.note!, /would be created/);
    assert.deepEqual(fileTree(b.base), before);
  });

  it('warns when the file keeps the hooks from running', () => {
    const b = box();
    const g = target(b, 'gemini', 'user');
    put(g.path, '{"hooksConfig": {"enabled": false, "disabled": ["warden"]}}');
    const r = install(b, g);
    assert.equal(r.result, 'written');
    assert.equal(r.warnings.length, 2);
    const c = target(b, 'claude-code', 'user');
    put(c.path, '{"disableAllHooks": true}');
    assert.match(install(b, c).warnings.join(), /disableAllHooks/);
  });
});

describe('install --hooks on malformed and hostile files', () => {
  const malformed: Array<[string, string, RegExp]> = [
    ['invalid JSON', '{\n  "hooks": {\n    "PreToolUse": [\n  }\n', /:4:3: invalid JSON/],
    ['`hooks` a string', '{\n  "model": "x",\n  "hooks": "none"\n}\n', /:3:3: `hooks` is a string, not an object of events/],
    ['`hooks` a list', '{"hooks": []}', /:1:2: `hooks` is a list/],
    ['`hooks` null', '{"hooks": null}', /`hooks` is null/],
    ['an event that is not a list', '{\n  "hooks": {\n    "PreToolUse": {"matcher": "*"}\n  }\n}', /:3:5: `hooks.PreToolUse` is an object, not a list of hooks/],
    ['a top-level list', '[{"hooks": {}}]', /:1:1: the top level is a list/],
    ['only comments', '// nothing here yet\n', /holds no JSON value/],
  ];
  for (const [label, text, reason] of malformed) {
    it(`${label}: ConfigParseError naming file:line, nothing written`, () => {
      const b = box();
      const t = target(b, 'claude-code', 'user');
      put(t.path, text);
      const before = fileTree(b.base);
      assert.throws(
        () => install(b, t),
        (err: unknown) => err instanceof ConfigParseError && reason.test(err.message) && err.message.startsWith(`${t.path}:`),
      );
      assert.deepEqual(fileTree(b.base), before);
    });
  }

  it('an empty file is filled in; its undo gives the empty file back', () => {
    const b = box();
    const t = target(b, 'claude-code', 'user');
    put(t.path, '');
    assert.equal(install(b, t).result, 'written');
    assert.equal(wardenHandlers(agent('claude-code'), data(t)).size, 5);
    assert.equal(uninstall(b, t).result, 'restored');
    assert.equal(readFileSync(t.path, 'utf8'), '');
  });

  it('a file over the size limit is refused, untouched', () => {
    const b = box();
    const t = target(b, 'claude-code', 'user');
    put(t.path, `{"pad": "${'x'.repeat(10 * 1024 * 1024)}"}`);
    const r = install(b, t);
    assert.equal(r.result, 'refused');
    assert.match(r.note!, /over the 10\.0 MB limit/);
    assert.equal(existsSync(b.env['WARDEN_HOME']!), false);
  });

  it('a large file under the limit is edited, and only at the end', () => {
    const b = box();
    const t = target(b, 'cursor', 'user');
    const big: Record<string, unknown> = { version: 1, hooks: { stop: [{ command: 'x' }] } };
    for (let i = 0; i < 20000; i++) big[`k${i}`] = { note: 'y'.repeat(200) };
    const text = JSON.stringify(big, null, 2);
    put(t.path, text);
    assert.equal(install(b, t).result, 'written');
    const now = readFileSync(t.path, 'utf8');
    assert.ok(now.endsWith(text.slice(text.indexOf('"k0"'))), 'everything after `hooks` is byte for byte the same');
    assert.equal(uninstall(b, t).result, 'restored');
    assert.equal(readFileSync(t.path, 'utf8'), text);
  });

  it('a key written twice: the last one (the one agents read) gets the hooks', () => {
    const b = box();
    const t = target(b, 'claude-code', 'user');
    put(t.path, '{"hooks": "decoy", "hooks": {}}');
    assert.equal(install(b, t).result, 'written');
    assert.equal(wardenHandlers(agent('claude-code'), JSON.parse(readFileSync(t.path, 'utf8')) as Record<string, unknown>).size, 5);
  });

  it('a symbolic link inside the home is edited through and stays a link; one leading out is refused', () => {
    const b = box();
    const real = put(join(b.home, 'dotfiles', 'claude-settings.json'), '{"model": "opus"}\n');
    const t = target(b, 'claude-code', 'user');
    mkdirSync(dirname(t.path), { recursive: true });
    symlinkSync(real, t.path);
    assert.equal(install(b, t).result, 'written');
    assert.ok(lstatSync(t.path).isSymbolicLink());
    assert.equal(wardenHandlers(agent('claude-code'), data(t)).size, 5);
    assert.equal(uninstall(b, t).result, 'restored');
    assert.equal(readFileSync(real, 'utf8'), '{"model": "opus"}\n');

    const outside = put(join(b.base, 'elsewhere', 'settings.json'), '{}\n');
    const p = target(b, 'claude-code', 'project');
    mkdirSync(dirname(p.path), { recursive: true });
    symlinkSync(outside, p.path);
    const r = install(b, p);
    assert.equal(r.result, 'refused');
    assert.match(r.note!, /outside/);
    assert.equal(readFileSync(outside, 'utf8'), '{}\n');
  });

  it('a folder linking out of the project: the new file is not created through it', () => {
    const b = box();
    const elsewhere = join(b.base, 'elsewhere-cursor');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(b.project, '.cursor'));
    const t = target(b, 'cursor', 'project');
    const r = install(b, t);
    assert.equal(r.result, 'refused');
    assert.match(r.note!, /resolves through a symbolic link .* outside/);
    assert.deepEqual(readdirSync(elsewhere), []);
  });

  it('a dangling link where the file should be is refused, not replaced', () => {
    const b = box();
    const t = target(b, 'cursor', 'user');
    mkdirSync(dirname(t.path), { recursive: true });
    symlinkSync(join(b.home, 'missing.json'), t.path);
    const r = install(b, t);
    assert.equal(r.result, 'refused');
    assert.match(r.note!, /broken symbolic link/);
    assert.ok(lstatSync(t.path).isSymbolicLink());
  });

  it('a damaged backup record stops the edit', () => {
    const b = box();
    const t = target(b, 'cursor', 'user');
    install(b, t);
    const dir = backupsDir('hooks-cursor', b.env);
    const file = join(dir, readdirSync(dir)[0]!);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"originalSha256": "[0-9a-f]+"/, '"originalSha256": "00"'));
    const r = uninstall(b, t);
    assert.equal(r.result, 'refused');
    assert.match(r.note!, /damaged/);
    assert.ok(existsSync(t.path));
  });

  it('the file deleted after install: uninstall says so and clears its record', () => {
    const b = box();
    const t = target(b, 'copilot', 'user');
    install(b, t);
    unlinkSync(t.path);
    const r = uninstall(b, t);
    assert.equal(r.result, 'absent');
    assert.deepEqual(readdirSync(backupsDir('hooks-copilot', b.env)), []);
    assert.equal(existsSync(join(b.home, '.copilot')), false, 'the folders Warden made are gone too');
  });
});

describe('managed (machine-wide) hooks', () => {
  it('Claude Code: allowManagedHooksOnly is set, and put back as it was by an in-place uninstall', () => {
    const b = box();
    const t = target(b, 'claude-code', 'managed');
    assert.equal(t.path, join(b.system, 'etc', 'claude-code', 'managed-settings.json'));
    const original = '{\n  "allowManagedHooksOnly": false,\n  "permissions": {"deny": ["Bash(curl:*)"]}\n}\n';
    put(t.path, original);
    const r = install(b, t);
    assert.deepEqual(r.settings, ['allowManagedHooksOnly: true']);
    assert.equal(data(t)['allowManagedHooksOnly'], true);
    writeFileSync(t.path, readFileSync(t.path, 'utf8').replace('"Bash(curl:*)"', '"Bash(curl:*)", "Bash(wget:*)"'));
    const undo = uninstall(b, t);
    assert.equal(undo.result, 'removed-in-place');
    assert.deepEqual(undo.settings, ['allowManagedHooksOnly: false again']);
    assert.deepEqual(data(t), { allowManagedHooksOnly: false, permissions: { deny: ['Bash(curl:*)', 'Bash(wget:*)'] } });
  });

  it('Claude Code: a lock Warden cannot tell it set is left alone, with a warning', () => {
    const b = box();
    const t = target(b, 'claude-code', 'managed');
    put(t.path, JSON.stringify({ allowManagedHooksOnly: true, hooks: { PreToolUse: [{ hooks: [{ type: 'command', command: 'warden hook claude-code' }] }] } }));
    const r = uninstall(b, t);
    assert.equal(r.result, 'removed-in-place');
    assert.match(r.warnings.join(), /allowManagedHooksOnly left as it is/);
    assert.equal(data(t)['allowManagedHooksOnly'], true);
  });

  it('per-OS locations, from the fake root', () => {
    const b = box();
    const rel = (id: string, os: OsName) => relative(b.system, target(b, id, 'managed', { os }).path).split('\\').join('/');
    assert.equal(rel('claude-code', 'macos'), 'Library/Application Support/ClaudeCode/managed-settings.json');
    assert.equal(rel('claude-code', 'windows'), 'Program Files/ClaudeCode/managed-settings.json');
    assert.equal(rel('cursor', 'linux'), 'etc/cursor/hooks.json');
    assert.equal(rel('cursor', 'macos'), 'Library/Application Support/Cursor/hooks.json');
    assert.equal(rel('cursor', 'windows'), 'ProgramData/Cursor/hooks.json');
    assert.equal(rel('gemini', 'linux'), 'etc/gemini-cli/settings.json');
    assert.equal(rel('codex', 'linux'), 'etc/codex/requirements.toml');
    assert.equal(rel('codex', 'windows'), 'ProgramData/OpenAI/Codex/requirements.toml');
    assert.throws(() => target(b, 'copilot', 'managed'), (err: unknown) => err instanceof UsageError && /no machine-wide hook file/.test(err.message));
  });

  it('Codex: Warden\'s tables go in one marked block at the end of requirements.toml; the rest is untouched and comes back byte for byte', () => {
    const b = box();
    const t = target(b, 'codex', 'managed');
    assert.equal(t.format, 'toml');
    const original = '# company policy\napproval_policy = "on-request"\n\n[features]\nhooks = true # pinned\n';
    put(t.path, original);
    const r = install(b, t);
    assert.equal(r.result, 'written');
    const text = readFileSync(t.path, 'utf8');
    assert.ok(text.startsWith(original + '\n' + TOML_BEGIN));
    assert.ok(text.endsWith(`${TOML_END}\n`));
    const d = data(t) as { hooks: Record<string, unknown> };
    assert.equal(d.hooks['managed_dir'], dirname(BIN));
    assert.equal(wardenHandlers(agent('codex'), d).size, 4);
    assert.equal(install(b, t).result, 'unchanged');
    assert.equal(uninstall(b, t).result, 'restored');
    assert.equal(readFileSync(t.path, 'utf8'), original);
  });

  it('Codex: an admin\'s own hooks stay; uninstall in place removes exactly the block', () => {
    const b = box();
    const t = target(b, 'codex', 'managed');
    const original = '[hooks]\nmanaged_dir = "/opt/company/hooks"\n\n[[hooks.Stop]]\n[[hooks.Stop.hooks]]\ntype = "command"\ncommand = "/opt/company/hooks/stop.sh"\n';
    put(t.path, original);
    install(b, t);
    const d = data(t) as { hooks: Record<string, unknown> };
    assert.equal(d.hooks['managed_dir'], '/opt/company/hooks', 'the admin\'s folder is kept, not a second [hooks]');
    assert.equal((d.hooks['Stop'] as unknown[]).length, 1);
    writeFileSync(t.path, `# reviewed 2026-10-01\n${readFileSync(t.path, 'utf8')}`);
    const undo = uninstall(b, t);
    assert.equal(undo.result, 'removed-in-place');
    assert.equal(readFileSync(t.path, 'utf8'), `# reviewed 2026-10-01\n${original}`);
  });

  it('Codex: hooks as an inline table, or Warden entries outside the block, are refused', () => {
    const b = box();
    const t = target(b, 'codex', 'managed');
    put(t.path, 'hooks = { managed_dir = "/opt/x" }\n');
    const r = install(b, t);
    assert.equal(r.result, 'refused');
    assert.match(r.note!, /inline table/);
    put(t.path, '[[hooks.PreToolUse]]\n[[hooks.PreToolUse.hooks]]\ntype = "command"\ncommand = "warden hook codex"\n');
    assert.match(install(b, t).note!, /outside its marked block/);
    assert.match(uninstall(b, t).note!, /not inside its marked block/);
    put(t.path, 'hooks = "off"\n');
    assert.throws(() => install(b, t), (err: unknown) => err instanceof ConfigParseError && /:1:1: `hooks` is a string, not a table/.test(err.message));
    put(t.path, 'approval_policy = \n');
    assert.throws(() => install(b, t), (err: unknown) => err instanceof ConfigParseError && /invalid TOML/.test(err.message));
  });
});

describe('where the files are', () => {
  it('COPILOT_HOME and CODEX_HOME move the user files, unless another home was named', () => {
    const b = box();
    const copilotHome = join(b.base, 'copilot-home');
    mkdirSync(copilotHome);
    assert.equal(target(b, 'copilot', 'user', { dirEnv: { COPILOT_HOME: copilotHome } }).path, join(copilotHome, 'hooks', 'warden.json'));
    assert.equal(target(b, 'copilot', 'user').path, join(b.home, '.copilot', 'hooks', 'warden.json'));
    assert.equal(target(b, 'codex', 'user', { dirEnv: { CODEX_HOME: copilotHome } }).path, join(copilotHome, 'hooks.json'));
    const t = target(b, 'copilot', 'user', { dirEnv: { COPILOT_HOME: copilotHome } });
    assert.equal(install(b, t).result, 'created');
    assert.ok(existsSync(join(copilotHome, 'hooks', 'warden.json')));
  });

  it('project files', () => {
    const b = box();
    const rel = (id: string) => relative(b.project, target(b, id, 'project').path).split('\\').join('/');
    assert.deepEqual(HOOK_AGENTS.map((a) => rel(a.id)), ['.claude/settings.json', '.cursor/hooks.json', '.gemini/settings.json', '.codex/hooks.json', '.github/hooks/warden.json']);
  });
});

describe('the hook command', () => {
  /** The words a POSIX shell makes of a command line. */
  function shellWords(command: string): string[] {
    const out = execFileSync('/bin/sh', ['-c', 'eval "set -- $1"; for a in "$@"; do printf "%s\\0" "$a"; done', 'sh', command], { encoding: 'utf8' });
    return out.split('\0').slice(0, -1);
  }

  it('every word reaches the program exactly as it was, whatever it holds', () => {
    const hostile = ['/opt/my warden/dist/warden.js', "it's", '$HOME', '`id`', '$(id)', 'a;b', 'a|b&&c', '"quoted"', '\\back\\slash', 'new\nline', '*', '~', '=cmd', '-flag', '', 'ünï', 'C:\\Program Files\\nodejs\\node.exe'];
    for (const word of hostile) assert.deepEqual(shellWords(quotePosix(word)), [word], JSON.stringify(word));
    const launcher: Launcher = { command: "/tmp/o'brien/node $x", args: ['--max-semi-space-size=2', '/tmp/a b/dist/warden.js'] };
    const c = hookCommand(launcher, 'claude-code');
    assert.deepEqual(shellWords(c.posix), [...c.argv]);
    assert.deepEqual(c.argv.slice(-2), ['hook', 'claude-code']);
    assert.equal(hookCommand(LAUNCHER, 'copilot', 'preToolUse').argv.at(-1), 'preToolUse');
  });

  it('the usual command stays readable, without the gateway\'s V8 flag', () => {
    assert.equal(hookCommand({ command: '/usr/bin/node', args: ['--max-semi-space-size=2', '/opt/warden/dist/warden.js'] }, 'cursor').posix, '/usr/bin/node /opt/warden/dist/warden.js hook cursor');
  });

  it('PowerShell: every word single-quoted, quotes (typographic ones too) doubled, and read back the same', () => {
    const launcher: Launcher = { command: 'C:\\Program Files\\nodejs\\node.exe', args: ["C:\\Users\\o'brien\\warden\u2019s\\dist\\warden.js"] };
    const c = hookCommand(launcher, 'copilot', 'preToolUse');
    assert.equal(c.powershell, "& 'C:\\Program Files\\nodejs\\node.exe' 'C:\\Users\\o''brien\\warden\u2019\u2019s\\dist\\warden.js' 'hook' 'copilot' 'preToolUse'");
    assert.ok(runsWardenHook(c.powershell, 'copilot', 'powershell'));
    assert.equal(runsWardenHook(c.powershell, 'cursor', 'powershell'), false);
  });

  it('recognises Warden\'s own command in the spellings people write', () => {
    const yes = ['warden hook cursor', '/usr/local/bin/warden hook cursor', 'npx -y warden@0.1.0 hook cursor', '"$HOME/.npm-global/bin/warden" hook cursor', 'node /opt/warden/dist/warden.js hook cursor beforeShellExecution'];
    const no = ['echo warden hook cursor', 'true && warden hook cursor', 'warden hook claude-code', 'warden scan', 'cursor-hook.sh', 'warden  hook', 'warden "hook cursor"', '', "warden 'unterminated"];
    for (const c of yes) assert.ok(runsWardenHook(c, 'cursor'), c);
    for (const c of no) assert.equal(runsWardenHook(c, 'cursor'), false, c);
    assert.equal(runsWardenHook(42, 'cursor'), false);
  });
});
