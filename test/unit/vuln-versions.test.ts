// Version range evaluation against the OSV schema's own examples and each ecosystem's ordering:
// SemVer precedence for npm (prereleases included), PEP 440 for PyPI.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAffected, type AffectedVersions, type OsvEvent, type Verdict } from '../../src/vuln/versions.js';

const range = (type: string, ...events: OsvEvent[]): AffectedVersions => ({ ranges: [{ type, events }], versions: [] });

/** Each version with whether it is affected, and the fixed version reported when it is. */
function check(ecosystem: string, affected: AffectedVersions, cases: Record<string, boolean | string>): void {
  for (const [version, expected] of Object.entries(cases)) {
    const verdict = evaluateAffected(ecosystem, version, affected);
    if (expected === false) assert.deepEqual(verdict, { status: 'not-affected' }, `${ecosystem} ${version}`);
    else if (expected === true) assert.deepEqual(verdict, { status: 'affected' }, `${ecosystem} ${version}`);
    else assert.deepEqual(verdict, { status: 'affected', fixed: expected }, `${ecosystem} ${version}`);
  }
}

describe('OSV schema examples (SEMVER)', () => {
  it('unfixed: every possible version is affected', () => {
    check('npm', range('SEMVER', { introduced: '0' }), { '0.0.0': true, '0.0.1-alpha': true, '1.0.0': true, '999.0.0': true });
  });

  it('fixed: everything before 1.0.2', () => {
    check('npm', range('SEMVER', { introduced: '0' }, { fixed: '1.0.2' }), { '0.0.1': '1.0.2', '1.0.1': '1.0.2', '1.0.2-rc.1': '1.0.2', '1.0.2': false, '1.0.3': false, '2.0.0': false });
  });

  it('multiple ranges: [1.0.0, 1.0.2) and [3.0.0, 3.2.5), the fix of the interval the version lies in', () => {
    const r = range('SEMVER', { introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '3.0.0' }, { fixed: '3.2.5' });
    check('npm', r, { '0.9.9': false, '1.0.0': '1.0.2', '1.0.1': '1.0.2', '1.0.2': false, '2.5.0': false, '3.0.0': '3.2.5', '3.2.4': '3.2.5', '3.2.5': false, '4.0.0': false });
  });

  it('events need not be listed in order: they are sorted by version first', () => {
    const r = range('SEMVER', { fixed: '3.2.5' }, { introduced: '3.0.0' }, { fixed: '1.0.2' }, { introduced: '1.0.0' });
    check('npm', r, { '1.0.1': '1.0.2', '2.0.0': false, '3.1.0': '3.2.5' });
  });

  it('last_affected: up to and including 2.1.214, and no fix to name', () => {
    check('npm', range('ECOSYSTEM', { introduced: '0' }, { last_affected: '2.1.214' }), { '2.1.213': true, '2.1.214': true, '2.1.215': false });
  });

  it('fixed 2.1.214 (the same example with fixed): 2.1.214 is not affected', () => {
    check('npm', range('SEMVER', { introduced: '0' }, { fixed: '2.1.214' }), { '2.1.213': '2.1.214', '2.1.214': false });
  });

  it('limit: only versions below a limit; "*" is infinity; several limits widen the scope', () => {
    check('npm', range('SEMVER', { introduced: '1.0.0' }, { limit: '2.0.0' }), { '0.9.0': false, '1.0.0': true, '1.9.9': true, '2.0.0': false, '3.0.0': false });
    check('npm', range('SEMVER', { introduced: '1.0.0' }, { limit: '*' }), { '1.0.0': true, '9.0.0': true });
    check('npm', range('SEMVER', { introduced: '1.0.0' }, { limit: '1.5.0' }, { limit: '3.0.0' }), { '2.0.0': true, '3.0.0': false });
  });

  it('introduced and fixed at the same version: an empty interval', () => {
    check('npm', range('SEMVER', { introduced: '1.0.0' }, { fixed: '1.0.0' }), { '1.0.0': false, '0.9.0': false });
  });

  it('a versions list: exactly those versions', () => {
    check('npm', { ranges: [], versions: ['1.2.3', '1.2.5'] }, { '1.2.3': true, '1.2.4': false, '1.2.5': true });
  });

  it('GIT ranges are not decided from a version string; the versions list still is', () => {
    const a: AffectedVersions = { ranges: [{ type: 'GIT', events: [{ introduced: 'abc' }, { fixed: 'def' }] }], versions: ['0.3.0'] };
    check('npm', a, { '0.3.0': true, '0.4.0': false });
  });
});

describe('npm: SemVer precedence, prereleases count', () => {
  const r = range('SEMVER', { introduced: '1.5.0' }, { fixed: '2.0.0' });
  it('a prerelease of the fixed version is affected (semver.satisfies would skip it)', () => {
    check('npm', r, { '2.0.0-beta.1': '2.0.0', '2.0.0-rc.2': '2.0.0', '2.0.0': false });
  });
  it('a prerelease of the introduced version is not yet affected', () => {
    check('npm', r, { '1.5.0-alpha': false, '1.5.0': '2.0.0' });
  });
  it('build metadata does not change precedence', () => {
    check('npm', r, { '1.9.0+build.7': '2.0.0', '2.0.0+build.1': false });
  });
  it('numeric identifiers compare as numbers, not strings', () => {
    check('npm', range('SEMVER', { introduced: '0' }, { fixed: '1.10.0' }), { '1.9.0': '1.10.0', '1.10.0': false, '1.2.0': '1.10.0' });
  });
});

describe('PyPI: PEP 440 ordering', () => {
  it('epochs: 1!0 sorts after every epoch-0 version', () => {
    check('PyPI', range('ECOSYSTEM', { introduced: '1!0' }, { fixed: '1!2.0' }), { '2.5': false, '99.0': false, '1!1.0': '1!2.0', '1!2.0': false });
  });
  it('pre and dev releases sort before their release: 2.0.dev1 < 2.0a1 < 2.0b2 < 2.0rc1 < 2.0', () => {
    check('PyPI', range('ECOSYSTEM', { introduced: '1.0' }, { fixed: '2.0' }), { '1.0.dev0': false, '1.0': '2.0', '2.0.dev1': '2.0', '2.0a1': '2.0', '2.0b2': '2.0', '2.0rc1': '2.0', '2.0': false, '2.0.post1': false });
  });
  it('post releases sort after their release; local versions after the public one', () => {
    const r = range('ECOSYSTEM', { introduced: '0' }, { fixed: '1.0.post1' });
    check('PyPI', r, { '1.0': '1.0.post1', '1.0+ubuntu1': '1.0.post1', '1.0.post0': '1.0.post1', '1.0.post1': false, '1.0.post1+local': false });
  });
  it('normalised spellings are the same version: 1.0 == 1.0.0, 2.0RC1 == 2.0rc1, v1.0 == 1.0', () => {
    check('PyPI', { ranges: [], versions: ['1.0.0', '2.0rc1'] }, { '1.0': true, 'v1.0': true, '2.0RC1': true, '2.0-rc.1': true, '1.0.1': false });
  });
  it('trailing zeros do not matter in ranges either', () => {
    check('PyPI', range('ECOSYSTEM', { introduced: '1.0.0' }, { fixed: '1.2' }), { '1': '1.2', '1.1.9': '1.2', '1.2.0': false });
  });
});

describe('what cannot be decided is a typed answer, never a throw', () => {
  it('an unknown ecosystem', () => {
    assert.deepEqual(evaluateAffected('Go', '1.0.0', range('SEMVER', { introduced: '0' })), { status: 'unknown-ecosystem', ecosystem: 'Go' });
    assert.deepEqual(evaluateAffected('__proto__', '1.0.0', range('SEMVER', { introduced: '0' })), { status: 'unknown-ecosystem', ecosystem: '__proto__' });
  });
  it('a version that is not one of the ecosystem', () => {
    for (const [eco, v] of [['npm', 'latest'], ['npm', '1.2'], ['npm', ''], ['PyPI', 'not a version'], ['PyPI', '1.0-SNAPSHOT-x']] as const) {
      const verdict = evaluateAffected(eco, v, range('ECOSYSTEM', { introduced: '0' }));
      assert.equal(verdict.status, 'invalid-version', `${eco} ${v}`);
      assert.match((verdict as Extract<Verdict, { status: 'invalid-version' }>).detail, /is not a valid (SemVer|PEP 440) version/);
    }
  });
  it('a bound in the advisory that is not a version: invalid-range naming it, unless another range decides', () => {
    const bad = range('SEMVER', { introduced: '0' }, { fixed: 'not-a-version' });
    const verdict = evaluateAffected('npm', '1.0.0', bad);
    assert.equal(verdict.status, 'invalid-range');
    assert.match((verdict as Extract<Verdict, { status: 'invalid-range' }>).detail, /fixed "not-a-version" is not a valid SemVer version/);
    const decided: AffectedVersions = { ranges: [...bad.ranges, { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }], versions: [] };
    assert.deepEqual(evaluateAffected('npm', '1.0.0', decided), { status: 'affected', fixed: '2.0.0' });
  });
  it('a PyPI version that is not SemVer against a SEMVER range', () => {
    assert.equal(evaluateAffected('PyPI', '1.0rc1', range('SEMVER', { introduced: '0' }, { fixed: '2.0.0' })).status, 'invalid-version');
  });
});
