// `warden install --hooks AGENT` and `warden uninstall --hooks AGENT` as a user runs them: the built
// CLI in a temporary home, its exit codes and messages, every agent at user and project scope and
// the managed files under a fake system root, hostile existing files, and the installed command
// itself run through /bin/sh the way the agents run it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HOOK_AGENTS } from '../../src/install/hook-entries.js';
import { BIN, FIXTURES, REPO, tempDir, warden } from '../helpers/cli.js';
import { fileTree } from '../helpers/file-tree.js';

interface Sandbox {
  base: string;
  home: string;
  project: string;
  root: string;
  env: Record<string, string>;
}

/** A home, a project and a fake machine root, with Warden's state beside them. */
function sandbox(): Sandbox {
  const base = tempDir('warden-install-hooks-e2e-');
  const s = { base, home: join(base, 'home'), project: join(base, 'project'), root: join(base, 'root'), env: { WARDEN_HOME: join(base, 'warden-home') } };
  for (const d of [s.home, s.project, s.root]) mkdirSync(d);
  return s;
}


function put(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** Where each agent's file is, relative to the home (user), the project, or the root (managed, Linux). */
const FILES: Record<string, { user: string; project: string; managed?: string }> = {
  'claude-code': { user: '.claude/settings.json', project: '.claude/settings.json', managed: 'etc/claude-code/managed-settings.json' },
  cursor: { user: '.cursor/hooks.json', project: '.cursor/hooks.json', managed: 'etc/cursor/hooks.json' },
  gemini: { user: '.gemini/settings.json', project: '.gemini/settings.json', managed: 'etc/gemini-cli/settings.json' },
  codex: { user: '.codex/hooks.json', project: '.codex/hooks.json', managed: 'etc/codex/requirements.toml' },
  copilot: { user: '.copilot/hooks/warden.json', project: '.github/hooks/warden.json' },
};

describe('warden install --hooks / uninstall --hooks (CLI)', { concurrency: 4 }, () => {
  for (const a of HOOK_AGENTS) {
    it(`${a.id}: user, project and managed files are created, left alone the second time, and removed by uninstall`, () => {
      const s = sandbox();
      const before = fileTree(s.base);
      const files = FILES[a.id]!;
      const runs: Array<{ args: string[]; file: string; cwd?: string }> = [
        { args: ['--home', s.home], file: join(s.home, files.user) },
        { args: ['--scope', 'project'], file: join(s.project, files.project), cwd: s.project },
        ...(files.managed ? [{ args: ['--managed', '--system-root', s.root], file: join(s.root, files.managed) }] : []),
      ];
      for (const r of runs) {
        const opts = { env: s.env, ...(r.cwd ? { cwd: r.cwd } : {}) };
        const first = warden(['install', '--hooks', a.id, ...r.args], opts);
        assert.equal(first.status, 0, first.stderr);
        assert.ok(first.stdout.startsWith(`${r.file} (`), first.stdout);
        assert.match(first.stdout, /→ created; backup: /);
        assert.equal((first.stdout.match(/^ {2}added {6}/gm) ?? []).length, a.events.length);
        assert.match(first.stderr, new RegExp(`${a.name} now calls Warden \\(${a.events.length} events\\);.*undo with \`warden uninstall --hooks ${a.id}`));
        const text = readFileSync(r.file, 'utf8');
        assert.ok(text.includes(BIN), 'the command names this Warden');
        assert.ok(text.includes(`hook ${a.id}`));
        const second = warden(['install', '--hooks', a.id, ...r.args], opts);
        assert.equal(second.status, 0, second.stderr);
        assert.match(second.stdout, /→ unchanged$/m);
        assert.equal(readFileSync(r.file, 'utf8'), text);
        const undo = warden(['uninstall', '--hooks', a.id, ...r.args], opts);
        assert.equal(undo.status, 0, undo.stderr);
        assert.match(undo.stdout, /→ deleted: Warden had created it/);
        assert.equal(existsSync(r.file), false);
        const again = warden(['uninstall', '--hooks', a.id, ...r.args], opts);
        assert.equal(again.status, 0, again.stderr);
        assert.match(again.stdout, /→ not present: no such file: nothing to undo/);
      }
      const after = fileTree(s.base);
      for (const [k, v] of before) assert.equal(after.get(k), v);
      assert.deepEqual([...after.keys()].filter((k) => !before.has(k) && !k.startsWith('warden-home')), [], 'nothing left behind but Warden\'s own state');
    });
  }

  it('an existing settings file with comments and the user\'s own hooks: both kept; uninstall gives back the bytes and the mode', () => {
    const s = sandbox();
    const file = put(
      join(s.home, '.claude', 'settings.json'),
      '{\n  // team defaults\n  "model": "opus",\n  "hooks": {\n    "PreToolUse": [\n      { "matcher": "Bash", "hooks": [ { "type": "command", "command": "~/bin/guard.sh" } ] }\n    ]\n  }\n}\n',
    );
    const original = readFileSync(file);
    spawnSync('chmod', ['640', file]);
    const r = warden(['install', '--hooks', 'claude-code', '--home', s.home], { env: s.env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /→ written; backup: /);
    const now = readFileSync(file, 'utf8');
    assert.ok(now.includes('// team defaults') && now.includes('~/bin/guard.sh'));
    assert.equal(statSync(file).mode & 0o777, 0o640);
    const u = warden(['uninstall', '--hooks', 'claude-code', '--home', s.home], { env: s.env });
    assert.equal(u.status, 0, u.stderr);
    assert.match(u.stdout, /→ restored: byte for byte/);
    assert.ok(readFileSync(file).equals(original));
    assert.equal(statSync(file).mode & 0o777, 0o640);
  });

  it('malformed or wrongly typed files: exit 2 naming file:line:column, nothing written', () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ['claude-code', '.claude/settings.json', '{\n  "hooks": {\n    "PreToolUse": [,]\n  }\n}\n', /:3:20: invalid JSON: value expected/],
      ['claude-code', '.claude/settings.json', '{\n  /* set by IT */\n  "hooks": "managed elsewhere"\n}\n', /:3:3: `hooks` is a string, not an object of events/],
      ['cursor', '.cursor/hooks.json', '{"version": 1, "hooks": {"beforeShellExecution": {"command": "x"}}}', /:1:26: `hooks.beforeShellExecution` is an object, not a list of hooks/],
      ['gemini', '.gemini/settings.json', '[]', /:1:1: the top level is a list/],
    ];
    for (const [id, rel, text, reason] of cases) {
      const s = sandbox();
      const file = put(join(s.home, rel), text);
      const r = warden(['install', '--hooks', id, '--home', s.home], { env: s.env });
      assert.equal(r.status, 2, r.stderr);
      assert.ok(r.stderr.startsWith(`warden: ${file}:`), r.stderr);
      assert.match(r.stderr, reason);
      assert.match(r.stderr, /nothing was written/);
      assert.equal(readFileSync(file, 'utf8'), text);
      assert.equal(existsSync(s.env.WARDEN_HOME!), false);
    }
  });

  it('a huge file, a link out of the tree: exit 1, each says why, nothing touched', () => {
    const s = sandbox();
    const huge = put(join(s.home, '.cursor', 'hooks.json'), `{"version": 1, "pad": "${'x'.repeat(11 * 1024 * 1024)}"}`);
    const size = statSync(huge).size;
    const r = warden(['install', '--hooks', 'cursor', '--home', s.home], { env: s.env });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /→ not edited: file is 11\.0 MB, over the 10\.0 MB limit/);
    assert.equal(statSync(huge).size, size);
    const outside = put(join(s.base, 'shared', 'settings.json'), '{}\n');
    mkdirSync(join(s.project, '.gemini'));
    symlinkSync(outside, join(s.project, '.gemini', 'settings.json'));
    const l = warden(['install', '--hooks', 'gemini', '--project', s.project], { env: s.env });
    assert.equal(l.status, 1);
    assert.match(l.stdout, /→ not edited: resolves through a symbolic link to .*, outside /);
    assert.ok(lstatSync(join(s.project, '.gemini', 'settings.json')).isSymbolicLink());
    assert.equal(readFileSync(outside, 'utf8'), '{}\n');
  });

  it('options: unknown agent, --client with --hooks, Copilot --managed, --policy, --scope: exit 2 before anything is written', () => {
    const s = sandbox();
    const cases: Array<[string[], RegExp]> = [
      [['install', '--hooks', 'claude'], /unknown agent "claude"; expected one of: claude-code, cursor, gemini, codex, copilot/],
      [['install', '--hooks', 'cursor', '--client', 'cursor'], /give --client or --hooks, not both/],
      [['install', '--hooks', 'copilot', '--managed', '--system-root', s.root], /--managed: GitHub Copilot has no machine-wide hook file/],
      [['install', '--hooks', 'cursor', '--preset', 'strict'], /--policy and --preset go with --client/],
      [['install', '--hooks', 'cursor', '--scope', 'everywhere'], /argument 'everywhere' is invalid/],
      [['install', '--hooks', 'cursor', '--scope', 'user', '--project', s.project], /--project goes with --scope project/],
      [['install', '--hooks', 'cursor', '--managed', '--home', s.home], /--home does not go with it/],
      [['install', '--hooks', 'cursor', '--system-root', s.root], /--system-root goes with --managed/],
      [['install', '--client', 'cursor', '--scope', 'project'], /--scope goes with --hooks/],
      [['install', '--home', s.home], /give --client ID .* or --hooks AGENT/],
      [['uninstall', '--hooks', 'nope'], /unknown agent "nope"/],
    ];
    for (const [args, reason] of cases) {
      const r = warden(args, { env: s.env, cwd: s.project });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, reason);
    }
    assert.deepEqual(readdirSync(s.project), []);
    assert.equal(existsSync(s.env.WARDEN_HOME!), false);
  });

  it('--dry-run prints the diff of the file it would create and writes nothing', () => {
    const s = sandbox();
    const r = warden(['install', '--hooks', 'codex', '--managed', '--system-root', s.root, '--dry-run'], { env: s.env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /→ would be written \(dry run\): the file would be created/);
    assert.match(r.stdout, /^\+\[\[hooks\.PreToolUse\]\]$/m);
    assert.match(r.stderr, /dry run: nothing was written/);
    assert.deepEqual(readdirSync(s.root), []);
    assert.equal(existsSync(s.env.WARDEN_HOME!), false);
  });

  it('COPILOT_HOME is where the Copilot file goes when no --home is given', () => {
    const s = sandbox();
    const copilotHome = join(s.base, 'copilot');
    mkdirSync(copilotHome);
    const r = warden(['install', '--hooks', 'copilot'], { env: { ...s.env, HOME: s.home, COPILOT_HOME: copilotHome } });
    assert.equal(r.status, 0, r.stderr);
    const file = join(copilotHome, 'hooks', 'warden.json');
    const d = JSON.parse(readFileSync(file, 'utf8')) as { version: number; hooks: Record<string, Array<{ bash: string; powershell: string; timeoutSec: number }>> };
    assert.equal(d.version, 1);
    assert.deepEqual(Object.keys(d.hooks), ['preToolUse', 'postToolUse', 'userPromptSubmitted']);
    assert.ok(d.hooks['preToolUse']![0]!.bash.endsWith(' hook copilot preToolUse'));
    assert.equal(existsSync(join(s.home, '.copilot')), false);
  });

  it('a Warden installed under a path with spaces and quotes: the written command still starts it, word for word', () => {
    const s = sandbox();
    const weird = join(s.base, "War den's $HOME `x`");
    cpSync(join(REPO, 'dist'), join(weird, 'dist'), { recursive: true });
    const bin = join(weird, 'dist', 'warden.cjs');
    const r = spawnSync(process.execPath, [bin, 'install', '--hooks', 'claude-code', '--home', s.home], { env: { ...process.env, ...s.env }, encoding: 'utf8', cwd: s.base });
    assert.equal(r.status, 0, r.stderr);
    const settings = JSON.parse(readFileSync(join(s.home, '.claude', 'settings.json'), 'utf8')) as { hooks: Record<string, Array<{ hooks: Array<{ command: string }> }>> };
    const command = settings.hooks['PreToolUse']![0]!.hooks[0]!.command;
    const words = spawnSync('/bin/sh', ['-c', 'eval "set -- $1"; for a in "$@"; do printf "%s\\0" "$a"; done', 'sh', command], { encoding: 'utf8' }).stdout.split('\0').slice(0, -1);
    assert.deepEqual(words, [process.execPath, bin, 'hook', 'claude-code']);
  });

  it('the installed command, run by /bin/sh as Claude Code runs it, is Warden\'s hook answering in Claude Code\'s protocol', () => {
    const s = sandbox();
    const r = warden(['install', '--hooks', 'claude-code', '--home', s.home], { env: s.env });
    assert.equal(r.status, 0, r.stderr);
    const settings = JSON.parse(readFileSync(join(s.home, '.claude', 'settings.json'), 'utf8')) as { hooks: Record<string, Array<{ hooks: Array<{ command: string }> }>> };
    const command = settings.hooks['PreToolUse']![0]!.hooks[0]!.command;
    const payload = (JSON.parse(readFileSync(join(FIXTURES, 'hooks', 'claude-code', 'PreToolUse-Bash.json'), 'utf8')) as { payload: unknown }).payload;
    const run = spawnSync('/bin/sh', ['-c', command], { input: JSON.stringify(payload), encoding: 'utf8', cwd: s.project, env: { ...process.env, ...s.env, HOME: s.home }, timeout: 30_000 });
    // Started (not 126/127 from the shell), and answered: JSON on stdout, or exit 2 with a reason.
    assert.ok(run.status === 0 || run.status === 2, `exit ${run.status}: ${run.stderr}`);
    if (run.stdout.trim() !== '') assert.doesNotThrow(() => JSON.parse(run.stdout), run.stdout);
    if (run.status === 2) assert.notEqual(run.stderr.trim(), '');
  });
});
