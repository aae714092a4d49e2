import { it } from 'node:test';
import assert from 'node:assert/strict';
import { findSuppressions } from '../../src/scan/suppress.js';
import type { ScanWarning } from '../../src/core/types.js';

it('applies to its own line and the next, for the named rules only', () => {
  const w: ScanWarning[] = [];
  const text = 'a\n# warden-ignore hardcoded-secret -- test fixture credential\nTOKEN = "x"\n';
  const [s] = findSuppressions('/f.toml', text, w);
  assert.ok(s);
  assert.equal(s.reason, 'test fixture credential');
  assert.equal(s.appliesTo('hardcoded-secret', 3), true);
  assert.equal(s.appliesTo('hardcoded-secret', 2), true);
  assert.equal(s.appliesTo('hardcoded-secret', 4), false);
  assert.equal(s.appliesTo('other-rule', 3), false);
  assert.deepEqual(w, []);
});

it('reads markers in JSONC, Markdown and inline comments, with several rules or all', () => {
  const w: ScanWarning[] = [];
  const s = findSuppressions('/f', '"x": 1, // warden-ignore a-rule,b-rule: reviewed by sec\n<!-- warden-ignore all -- docs example -->\n', w);
  assert.deepEqual(s.map((x) => [x.line, x.rules, x.reason]), [
    [1, ['a-rule', 'b-rule'], 'reviewed by sec'],
    [2, ['all'], 'docs example'],
  ]);
  assert.equal(s[1]!.appliesTo('anything', 3), true);
});

it('refuses a suppression without a reason, with a warning naming the line', () => {
  const w: ScanWarning[] = [];
  assert.deepEqual(findSuppressions('/f.json', 'x\n// warden-ignore hardcoded-secret\n', w), []);
  assert.equal(w.length, 1);
  assert.match(w[0]!.message, /^line 2: warden-ignore without a reason/);
});
