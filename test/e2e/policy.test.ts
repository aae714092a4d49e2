// `warden policy init|validate|test|explain` as a user and a CI job run them: the built CLI, real
// files, exit codes and messages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, warden } from '../helpers/cli.js';

describe('warden policy', () => {
  it('init writes a preset that validates, 0600, and will not overwrite without --force', () => {
    const dir = tempDir();
    for (const preset of ['observe', 'balanced', 'strict']) {
      const file = join(dir, `${preset}.yaml`);
      assert.equal(warden(['policy', 'init', '--preset', preset, '-o', file]).status, 0);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const v = warden(['policy', 'validate', file]);
      assert.equal(v.status, 0, v.stdout + v.stderr);
      assert.match(v.stdout, /valid/);
    }
    const again = warden(['policy', 'init', '-o', join(dir, 'balanced.yaml')]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /--force/);
    assert.equal(warden(['policy', 'init', '--preset', 'yolo', '-o', join(dir, 'x.yaml')]).status, 2);
  });

  it('validate lists every problem with file:line:column and exits 1', () => {
    const file = join(tempDir(), 'warden.yaml');
    writeFileSync(file, 'version: 1\nmode: loud\nrules:\n  - id: a\n    effect: maybe\n    reason: r\n    when: args.x ==\n');
    const r = warden(['policy', 'validate', file]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:1: mode: expected one of enforce, monitor`));
    assert.match(r.stdout, /:5:\d+: rules\[0\]\.effect: expected one of allow, deny, ask, redact/);
    assert.match(r.stdout, /:7:\d+: rules\[0\]\.when: invalid condition/);
    assert.match(r.stderr, /3 problems/);
  });

  it('test runs a table of actions against the policy and fails CI on a wrong decision', () => {
    const dir = tempDir();
    const policy = join(dir, 'warden.yaml');
    assert.equal(warden(['policy', 'init', '-o', policy]).status, 0);
    const cases = join(dir, 'cases.yaml');
    writeFileSync(
      cases,
      `cases:
  - name: SSH keys stay private
    action: { kind: file_read, args: { path: /home/me/.ssh/id_rsa } }
    expect: deny
    rule: deny-secret-files
  - name: source files are fine
    action: { kind: file_read, args: { path: /home/me/app/src/main.ts } }
    expect: allow
`,
    );
    const ok = warden(['policy', 'test', cases, '--policy', policy]);
    assert.equal(ok.status, 0, ok.stdout);
    assert.match(ok.stdout, /2 of 2 cases pass/);
    writeFileSync(cases, readFileSync(cases, 'utf8').replace('expect: allow', 'expect: deny'));
    const bad = warden(['policy', 'test', cases, '--policy', policy]);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /FAIL {2}source files are fine\n {6}expected deny, got allow by default:file_read/);
    writeFileSync(cases, 'cases:\n  - name: x\n    action: { kind: teleport }\n    expect: deny\n');
    const broken = warden(['policy', 'test', cases, '--policy', policy]);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /cases\.yaml:2: action\.kind: expected one of/);
  });

  it('explain shows the deciding rule and why earlier rules did not decide', () => {
    const dir = tempDir();
    const r = warden(['policy', 'explain', '--preset', 'balanced', '--action', '{"kind":"file_read","args":{"path":"/home/me/app/.env"}}'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ask — decided by ask-env-files/);
    assert.match(r.stdout, /deny-secret-files \(line \d+\): capabilities does not match/);
    const j = JSON.parse(warden(['policy', 'explain', '--preset', 'observe', '--format', 'json', '--action', '{"kind":"file_read","args":{"path":"/home/me/.ssh/id_rsa"}}'], { cwd: dir }).stdout);
    assert.deepEqual([j.decision.effect, j.decision.wouldHave, j.mode], ['allow', 'deny', 'monitor']);
    assert.equal(warden(['policy', 'explain', '--action', '{not json'], { cwd: dir }).status, 2);
  });

  it('an invalid project warden.yaml stops a command that enforces instead of falling back', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'warden.yaml'), 'version: 1\nrules: nope\n');
    const r = warden(['policy', 'explain', '--action', '{"kind":"shell","args":{"command":"ls"}}'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /warden\.yaml:2:\d+: rules: expected a list/);
  });
});
