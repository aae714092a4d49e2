// Package URLs through packageurl-js, with PEP 503 names for PyPI.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePurl, toPurl } from '../../src/vuln/purl.js';
import { ECOSYSTEMS } from '../../src/vuln/ecosystems.js';

describe('purls', () => {
  it('reads npm purls, scoped ones with an encoded @', () => {
    assert.deepEqual(parsePurl('pkg:npm/%40modelcontextprotocol/inspector@0.14.0'), {
      ok: true,
      ref: { ecosystem: 'npm', name: '@modelcontextprotocol/inspector', key: '@modelcontextprotocol/inspector', version: '0.14.0' },
    });
    assert.deepEqual(parsePurl('pkg:npm/mcp-remote@0.1.15'), { ok: true, ref: { ecosystem: 'npm', name: 'mcp-remote', key: 'mcp-remote', version: '0.1.15' } });
  });

  it('reads PyPI purls with PEP 503 names: case, runs of - _ . are one -', () => {
    const r = parsePurl('pkg:pypi/Example_Pkg.Name@2.0rc1');
    assert.equal(r.ok, true);
    assert.equal(r.ok && r.ref.key, 'example-pkg-name');
    assert.equal(r.ok && r.ref.version, '2.0rc1');
    assert.equal(r.ok && r.ref.ecosystem, 'PyPI');
  });

  it('refuses what it cannot match, with a reason and never a throw', () => {
    for (const [purl, why] of [
      ['not a purl', /not a package URL/],
      ['pkg:npm/', /not a package URL/],
      ['pkg:golang/example.com/x@v1.0.0', /package type "golang" is not one Warden matches/],
      ['pkg:npm/mcp-remote', /no version/],
    ] as const) {
      const r = parsePurl(purl);
      assert.equal(r.ok, false, purl);
      assert.match(!r.ok ? r.error : '', why);
    }
  });

  it('writes purls: scope encoded, PyPI names normalised', () => {
    assert.equal(toPurl('npm', '@modelcontextprotocol/inspector', '0.14.0'), 'pkg:npm/%40modelcontextprotocol/inspector@0.14.0');
    assert.equal(toPurl('npm', 'mcp-remote'), 'pkg:npm/mcp-remote');
    assert.equal(toPurl('PyPI', 'Django_Foo.Bar', '1.0'), 'pkg:pypi/django-foo-bar@1.0');
    assert.throws(() => toPurl('Go', 'x'), /no purl type/);
  });

  it('round-trips', () => {
    for (const [eco, name, version] of [['npm', '@a/b', '1.0.0-rc.1'], ['npm', 'left-pad', '1.3.0'], ['PyPI', 'mcp', '1!1.0.post2']] as const) {
      const r = parsePurl(toPurl(eco, name, version));
      assert.ok(r.ok);
      assert.equal(r.ref.ecosystem, eco);
      assert.equal(r.ref.version, version);
    }
  });

  it('upgrade commands quote what the shell would otherwise read', () => {
    const [npm, pypi] = ECOSYSTEMS;
    assert.equal(npm!.upgradeCommand('mcp-remote', '0.1.16'), 'npm install mcp-remote@0.1.16');
    assert.equal(npm!.upgradeCommand('@modelcontextprotocol/inspector', '0.14.1'), 'npm install @modelcontextprotocol/inspector@0.14.1');
    assert.equal(npm!.upgradeCommand('x', '1.0.0;rm -rf ~'), "npm install 'x@1.0.0;rm -rf ~'");
    assert.equal(pypi!.upgradeCommand('mcp', '1.23.0'), "pip install 'mcp>=1.23.0'");
    assert.equal(pypi!.upgradeCommand("a'b", '1'), "pip install 'a'\\''b>=1'");
  });
});
