import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveTemplate, splitGlob, listWslHomes, currentOs } from '../../src/discover/paths.js';
import { tempDir } from '../helpers/cli.js';

it('resolves templates per OS layout', () => {
  const home = '/h';
  assert.equal(resolveTemplate('{userData}/Code/User/mcp.json', { os: 'linux', home, systemRoot: null }), '/h/.config/Code/User/mcp.json');
  assert.equal(resolveTemplate('{userData}/Code/User/mcp.json', { os: 'macos', home, systemRoot: null }), '/h/Library/Application Support/Code/User/mcp.json');
  assert.equal(resolveTemplate('{userData}/Code/User/mcp.json', { os: 'windows', home, systemRoot: null }), '/h/AppData/Roaming/Code/User/mcp.json');
  assert.equal(resolveTemplate('{localAppData}/x', { os: 'linux', home, systemRoot: '/' }), null, 'Windows-only variable');
  assert.equal(resolveTemplate('{system}/etc/x.json', { os: 'linux', home, systemRoot: null }), null, 'managed paths need a system root');
  assert.equal(resolveTemplate('{system}/etc/x.json', { os: 'linux', home, systemRoot: '/img' }), '/img/etc/x.json');
  assert.throws(() => resolveTemplate('{nope}/x', { os: 'linux', home, systemRoot: null }), /unknown path variable/);
});

it('splits globs at the first wildcard segment', () => {
  assert.deepEqual(splitGlob('/h/.claude/plugins/**/.mcp.json'), { base: '/h/.claude/plugins', pattern: '**/.mcp.json' });
  assert.deepEqual(splitGlob('/h/x.json'), { base: '/h/x.json', pattern: '' });
});

it('finds Linux homes inside WSL distributions', () => {
  const root = tempDir();
  mkdirSync(join(root, 'Ubuntu', 'home', 'alice'), { recursive: true });
  mkdirSync(join(root, 'Ubuntu', 'root', '.claude'), { recursive: true });
  mkdirSync(join(root, 'Debian', 'home', 'bob'), { recursive: true });
  assert.deepEqual(listWslHomes(root).sort(), [join(root, 'Debian/home/bob'), join(root, 'Ubuntu/home/alice'), join(root, 'Ubuntu/root')].sort());
  assert.deepEqual(listWslHomes(join(root, 'missing')), []);
});

it('maps platforms to catalogue OS names', () => {
  assert.equal(currentOs('darwin'), 'macos');
  assert.equal(currentOs('win32'), 'windows');
  assert.equal(currentOs('linux'), 'linux');
});

it('enumerates WSL homes from given distribution names when the root cannot be listed', () => {
  const root = tempDir();
  mkdirSync(join(root, 'Ubuntu-24.04', 'home', 'carol'), { recursive: true });
  assert.deepEqual(listWslHomes(join(root), ['Ubuntu-24.04', 'Missing']), [join(root, 'Ubuntu-24.04/home/carol')]);
});
