// Config parsing: values located at their own line in every format, and clear errors for bad input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, ConfigParseError, toPointer, fromPointer } from '../../src/parse/document.js';

describe('parseConfig locates values', () => {
  it('JSONC with comments and trailing commas: keys at their own line and column', () => {
    const text = '{\n  // servers\n  "mcpServers": {\n    "gh": {\n      "env": { "A": "1", },\n      "args": ["x",\n        "y"],\n    },\n  },\n}\n';
    const doc = parseConfig('/c.json', text, 'jsonc');
    assert.deepEqual(doc.locate(['mcpServers', 'gh']), { line: 4, column: 5 });
    assert.deepEqual(doc.locate(['mcpServers', 'gh', 'env', 'A']), { line: 5, column: 16 });
    assert.deepEqual(doc.locate(['mcpServers', 'gh', 'args', 1]), { line: 7, column: 9 });
    // A missing child falls back to its nearest ancestor.
    assert.deepEqual(doc.locate(['mcpServers', 'gh', 'nope']), { line: 4, column: 5 });
  });

  it('YAML: map keys and list items', () => {
    const text = 'extensions:\n  gh:\n    cmd: npx\n    args:\n      - -y\n      - pkg\n    envs:\n      TOKEN: abc\n';
    const doc = parseConfig('/c.yaml', text, 'yaml');
    assert.deepEqual(doc.locate(['extensions', 'gh']), { line: 2, column: 3 });
    assert.deepEqual(doc.locate(['extensions', 'gh', 'args', 1]), { line: 6, column: 9 });
    assert.deepEqual(doc.locate(['extensions', 'gh', 'envs', 'TOKEN']), { line: 8, column: 7 });
  });

  it('TOML: table headers, keys, dotted and inline tables', () => {
    const text = 'model = "x"\n\n[mcp_servers.github]\ncommand = "npx"\nargs = ["-y", "pkg"]\n\n[mcp_servers.github.env]\nGITHUB_TOKEN = "abc"\n\n[mcp_servers."other"]\nenv = { KEY = "v" }\n';
    const doc = parseConfig('/c.toml', text, 'toml');
    assert.equal(doc.locate(['mcp_servers', 'github']).line, 3);
    assert.equal(doc.locate(['mcp_servers', 'github', 'command']).line, 4);
    assert.equal(doc.locate(['mcp_servers', 'github', 'env', 'GITHUB_TOKEN']).line, 8);
    assert.equal(doc.locate(['mcp_servers', 'other']).line, 10);
    assert.equal(doc.locate(['mcp_servers', 'other', 'env', 'KEY']).line, 11);
  });
});

describe('parseConfig rejects bad input with file, line and column', () => {
  const cases: Array<[string, string, 'jsonc' | 'yaml' | 'toml', RegExp, number]> = [
    ['JSON missing value', '{\n  "a": ,\n}', 'jsonc', /invalid JSON: value expected/, 2],
    ['JSON garbage', '{\n  "a": 1\n  oops\n}', 'jsonc', /invalid JSON/, 3],
    ['YAML bad indentation', 'a:\n  b: 1\n c: 2\n', 'yaml', /invalid YAML/, 3],
    ['TOML duplicate key', 'a = 1\na = 2\n', 'toml', /invalid TOML/, 2],
    ['TOML unterminated string', '[x]\ny = "abc\n', 'toml', /invalid TOML/, 2],
  ];
  for (const [name, text, format, reason, line] of cases) {
    it(name, () => {
      assert.throws(
        () => parseConfig('/etc/bad.cfg', text, format),
        (e: unknown) => e instanceof ConfigParseError && e.file === '/etc/bad.cfg' && e.line === line && reason.test(e.reason) && e.message.startsWith(`/etc/bad.cfg:${line}:`),
      );
    });
  }

  it('deep nesting is an error, not a crash', () => {
    for (const [text, format] of [['['.repeat(200_000), 'jsonc'], ['a: '.repeat(1) + '['.repeat(100_000), 'yaml']] as const) {
      assert.throws(() => parseConfig('/deep', text, format), ConfigParseError);
    }
  });

  it('YAML alias bombs are refused', () => {
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n';
    assert.throws(() => parseConfig('/bomb.yaml', bomb, 'yaml'), ConfigParseError);
  });

  it('empty files parse to nothing', () => {
    assert.equal(parseConfig('/e.json', '', 'jsonc').data, undefined);
  });
});

it('JSON pointers round-trip keys with / and ~', () => {
  const path = ['mcpServers', 'a/b~c', 'args'];
  assert.equal(toPointer(path), '/mcpServers/a~1b~0c/args');
  assert.deepEqual(fromPointer(toPointer(path)), path);
});

it('a key written twice is located at the occurrence whose value the data holds (JSON and YAML)', () => {
  const y = parseConfig('/x.yaml', 'a:\n  x: 1\nb: 2\na:\n  x: 3\n', 'yaml');
  assert.deepEqual(y.data, { a: { x: 3 }, b: 2 });
  assert.equal(y.locate(['a', 'x']).line, 5);
  const j = parseConfig('/x.json', '{\n"a": {"x": 1},\n"a": {"x": 3}\n}', 'jsonc');
  assert.equal(j.locate(['a', 'x']).line, 3);
});
