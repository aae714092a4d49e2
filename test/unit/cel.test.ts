import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { compileCondition, compileGlob, compileRegex, MAX_CONDITION_LENGTH, normalizePath, parseByteSize, setConditionHome, type CompiledCondition } from '../../src/policy/cel.js';
import type { PolicyContext } from '../../src/policy/types.js';

/** A realistic context; `over` replaces whole parts (args, time, ...). */
function ctx(over: Partial<Record<keyof PolicyContext, unknown>> = {}): PolicyContext {
  return {
    action: { kind: 'tool_call', client: 'claude-code' },
    agent: { id: 'a1', name: 'claude', user: 'me', host: 'laptop' },
    session: { id: 's1', taint: ['untrusted-input'], calls: 12 },
    server: { name: 'filesystem' },
    tool: { name: 'read_file', capabilities: ['reads-private-data', 'egress'] },
    args: { path: '/home/me/project/src/index.ts' },
    time: { now: '2026-03-02T10:15:00.000Z', hour: 11, weekday: 1 },
    ...over,
  } as PolicyContext;
}

function compiled(source: string): CompiledCondition {
  const c = compileCondition(source);
  if (!c.ok) assert.fail(`does not compile: ${source}: ${c.error.message}`);
  return c.condition;
}

/** The bool a condition evaluates to; fails the test on an evaluation error. */
function value(source: string, context: PolicyContext = ctx()): boolean {
  const r = compiled(source)(context);
  if (!r.ok) assert.fail(`${source}: ${r.error}`);
  return r.value;
}

/** The evaluation error of a condition; fails the test when it evaluates. */
function evalError(source: string, context: PolicyContext = ctx()): string {
  const r = compiled(source)(context);
  if (r.ok) assert.fail(`${source} evaluated to ${r.value}, expected an error`);
  return r.error;
}

/** The compile error of a condition. */
function compileError(source: string): { message: string; offset?: number } {
  const c = compileCondition(source);
  if (c.ok) assert.fail(`${source} compiled, expected an error`);
  return c.error;
}

const withArgs = (args: Record<string, unknown>): PolicyContext => ctx({ args });

before(() => setConditionHome('/home/me'));
after(() => setConditionHome(homedir()));

describe('variables', () => {
  it('reads every part of the context, with nested access', () => {
    assert.equal(value('action.kind == "tool_call" && action.client == "claude-code"'), true);
    assert.equal(value('agent.id == "a1" && agent.name == "claude" && agent.user == "me" && agent.host == "laptop"'), true);
    assert.equal(value('session.id == "s1" && "untrusted-input" in session.taint && session.calls == 12'), true);
    assert.equal(value('server.name == "filesystem" && tool.name == "read_file"'), true);
    assert.equal(value('"egress" in tool.capabilities && !("destructive" in tool.capabilities)'), true);
    assert.equal(value('time.hour == 11 && time.weekday == 1 && time.now == timestamp("2026-03-02T10:15:00Z")'), true);
    assert.equal(value('args.a.b[1].c == "x"', withArgs({ a: { b: [{}, { c: 'x' }] } })), true);
    assert.equal(value('args["weird key"] == 1', withArgs({ 'weird key': 1 })), true);
  });

  it('reports the top-level variables a condition reads', () => {
    const vars = (s: string): string[] => {
      const c = compileCondition(s);
      assert.ok(c.ok, s);
      return [...c.variables].sort();
    };
    assert.deepEqual(vars('agent.name == "x" && has(args.path)'), ['agent', 'args']);
    assert.deepEqual(vars('tool.capabilities.exists(c, c == "egress")'), ['tool']);
    assert.deepEqual(vars('time.now.getHours("UTC") > 3 || session.calls > 2'), ['session', 'time']);
    assert.deepEqual(vars('true'), []);
  });

  it('uses defaults for missing parts, but has no default clock', () => {
    const bare = { args: { path: '/x' } } as unknown as PolicyContext;
    assert.equal(value('agent.name == "" && tool.capabilities == [] && session.calls == 0', bare), true);
    assert.match(evalError('time.hour > 3', bare), /time/);
  });

  it('reads a value of the wrong type as an error only where it is read', () => {
    const odd = ctx({ session: { id: 's', taint: 'not a list', calls: 'many' } });
    assert.equal(value('agent.name == "claude"', odd), true);
    assert.match(evalError('session.calls > 3', odd), /calls/);
    assert.match(evalError('"x" in session.taint', odd), /taint/);
    assert.match(evalError('time.now.getHours() == 1', ctx({ time: { now: 'yesterday', hour: 1, weekday: 1 } })), /now/);
  });

  it('caches compiled conditions by source', () => {
    assert.equal(compileCondition('agent.name == "cached"'), compileCondition('agent.name == "cached"'));
  });
});

describe('missing keys', () => {
  it('is an error to read an argument the call does not have, naming it', () => {
    assert.equal(evalError('args.path.within("/etc")', withArgs({})), 'No such key: path');
    assert.match(evalError('has(args.a.b)', withArgs({})), /No such key: a/);
  });

  it('offers has(), optional access and CEL error absorption', () => {
    assert.equal(value('has(args.path) && args.path.within("/etc")', withArgs({})), false);
    assert.equal(value('has(args.path)', withArgs({ path: '' })), true);
    assert.equal(value('has(args.path)', withArgs({ path: undefined })), false);
    assert.equal(value('has(args.path)', ctx({ args: undefined })), false);
    assert.equal(value('args.?path.orValue("").within("/etc")', withArgs({})), false);
    assert.equal(value('args.?path.orValue("/etc/x").within("/etc")', withArgs({})), true);
    assert.equal(value('args.path.within("/etc") || true', withArgs({})), true);
    assert.equal(value('args.path.within("/etc") && false', withArgs({})), false);
    assert.match(evalError('args.path.within("/etc") || false', withArgs({})), /No such key: path/);
  });
});

describe('numbers', () => {
  const args = withArgs({ count: 7, ratio: 0.5, big: 2 ** 60, list: [1, 2, 3], neg: -3 });
  it('reads whole JSON numbers as ints and others as doubles', () => {
    for (const s of [
      'args.count > 5',
      'args.count == 7',
      'args.count + 1 == 8',
      'args.count % 2 == 1',
      'args.count in [5, 7]',
      'args.ratio >= 0.5',
      'args.ratio > 0',
      'args.ratio < 1',
      'double(args.count) * 1.5 == 10.5',
      'int(args.ratio * 4.0) == 2',
      'args.list[0] + 1 == 2',
      '2 in args.list',
      'size(args.list) == 3',
      'args.big > 1000',
      'args.neg < 0',
      'session.calls > 10 && session.calls + 1 == 13',
      'time.hour + 1 == 12',
    ])
      assert.equal(value(s, args), true, s);
  });

  it('needs double() to mix an int and a double in arithmetic', () => {
    assert.match(evalError('args.count + args.ratio > 1', args), /no such overload/);
  });
});

describe('type checking when the policy loads', () => {
  it('names unknown variables and fields, with offsets', () => {
    assert.deepEqual(compileError('foo == 1'), { message: 'Unknown variable: foo', offset: 0 });
    assert.deepEqual(compileError('agent.nmae == "x"'), { message: 'No such key: nmae', offset: 6 });
    assert.deepEqual(compileError('time.hours > 9'), { message: 'No such key: hours', offset: 5 });
  });

  it('rejects wrong arities and argument types', () => {
    assert.match(compileError('within(args.path)').message, /no matching overload for 'within\(dyn\)'/);
    assert.match(compileError('glob("a")').message, /no matching overload/);
    assert.match(compileError('session.calls + "x" > 1').message, /no such overload/);
    assert.match(compileError('agent.name.within(1)').message, /no matching overload/);
    assert.match(compileError('size(1) > 0').message, /no matching overload for 'size\(int\)'/);
    assert.match(compileError('nothing(1)').message, /no matching overload/);
  });

  it('requires a bool: a non-bool result is an error, not truthiness', () => {
    assert.match(compileError('agent.name').message, /must be a bool expression; this one is of type string/);
    assert.match(compileError('session.calls').message, /of type int/);
    assert.equal(evalError('args.flag', withArgs({ flag: 'yes' })), 'the condition evaluated to a string, not a bool');
    assert.equal(evalError('args.flag', withArgs({ flag: 1 })), 'the condition evaluated to an int, not a bool');
    assert.equal(value('args.flag', withArgs({ flag: true })), true);
  });

  it('gives syntax errors with offsets', () => {
    assert.deepEqual(compileError('agent.name =='), { message: 'Unexpected token: EOF', offset: 13 });
    assert.equal(compileError('agent.name = "x"').offset, 11);
    assert.equal(compileError('"unterminated').offset, 0);
    assert.equal(compileError('(agent.name == "x"').offset, 18);
    assert.deepEqual(compileError('   '), { message: 'the condition is empty', offset: 0 });
    assert.equal((compileCondition(42 as unknown as string) as { ok: false }).ok, false);
  });

  it('checks literal patterns, sizes and zones when the policy loads', () => {
    const unclosed = compileError('args.command.matches("(a")');
    assert.match(unclosed.message, /^invalid pattern for matches\(\) "\(a": .*missing closing \)/);
    assert.equal(unclosed.offset, 21);
    // RE2 has no lookaround and no backreferences: both are compile errors, not slow matches.
    assert.match(compileError('args.command.matches("(?=a)")').message, /invalid pattern for matches\(\).*(?:Perl syntax|\(\?=)/);
    assert.match(compileError('args.command.matches("(a)\\\\1")').message, /invalid pattern for matches\(\).*escape/);
    assert.match(compileError('glob(args.path, "[z-a]")').message, /invalid glob/);
    assert.match(compileError('glob(args.path, ["ok", "[z-a]"])').message, /invalid glob "\[z-a\]"/);
    assert.match(compileError('hostMatches(host(args.url), "git*hub.com")').message, /invalid host pattern/);
    assert.equal(compileError('size(args.x) > byteSize("10 XB")').offset, 24);
    assert.match(compileError('time.now.getHours("Mars/Olympus") > 1').message, /unknown time zone/);
  });
});

describe('paths', () => {
  it('normalize() collapses separators, . and .., keeps ~ literal', () => {
    const cases: [string, string][] = [
      ['/a/./b/../c/', '/a/c'],
      ['a//b/./c/', 'a/b/c'],
      ['//etc//passwd', '/etc/passwd'],
      ['/../etc', '/etc'],
      ['a/../../b', '../b'],
      ['~/../etc', '~/../etc'],
      ['~', '~'],
      ['~/', '~'],
      ['~bob/x', '~bob/x'],
      ['', '.'],
      ['./', '.'],
      ['/', '/'],
      ['C:\\Users\\me\\x', 'C:/Users/me/x'],
      ['c:/x/', 'C:/x'],
      ['C:\\..\\x', 'C:/x'],
      ['\\\\server\\share\\x', '//server/share/x'],
    ];
    for (const [p, want] of cases) {
      assert.equal(normalizePath(p), want, p);
      assert.equal(value(`normalize(${JSON.stringify(p)}) == ${JSON.stringify(want)} && ${JSON.stringify(p)}.normalize() == ${JSON.stringify(want)}`), true, p);
    }
  });

  it('within() is true for the root and below, and catches .. escapes', () => {
    const cases: [string, string | string[], boolean][] = [
      ['/home/me/project/src/x.ts', '/home/me/project', true],
      ['/home/me/project', '/home/me/project', true],
      ['/home/me/project', '/home/me/project/', true],
      ['/home/me/project/', '/home/me/project', true],
      ['/home/me/project/./a//b', '/home/me/project', true],
      ['/home/me/project/../../etc/passwd', '/home/me/project', false],
      ['/home/me/project/../project-evil/x', '/home/me/project', false],
      ['/home/me/projectx/a', '/home/me/project', false],
      ['/home/me/project/a/../../project/b', '/home/me/project', true],
      ['C:\\Users\\me\\project\\a.txt', 'C:/Users/me/project', true],
      ['C:\\Users\\me\\project\\..\\..\\secret', 'C:\\Users\\me\\project', false],
      ['c:\\Users\\me\\project\\a.txt', 'C:/Users/me/project', true],
      ['C:\\users\\me\\project\\a.txt', 'C:/Users/me/project', false],
      ['/etc/passwd', '/', true],
      ['etc/passwd', '/', false],
      ['x/y', '.', true],
      ['../x', '.', false],
      ['src/a.ts', 'src', true],
      ['/a/b', '/a/b/../b', true],
      ['~/.ssh/id_rsa', '~/.ssh', true],
      ['/home/me/.ssh/id_rsa', '~/.ssh', true],
      ['~/.ssh/id_rsa', '/home/me/.ssh', true],
      ['~/../other/.ssh/id_rsa', '~/.ssh', false],
      ['~/../me/.ssh/id_rsa', '~/.ssh', true],
      ['/home/me/.sshx', '~/.ssh', false],
      ['/home/me/.aws/credentials', ['~/.ssh', '~/.aws'], true],
      ['/home/me/.kube/config', ['~/.ssh', '~/.aws'], false],
    ];
    for (const [p, root, want] of cases) {
      const r = JSON.stringify(root);
      assert.equal(value(`within(${JSON.stringify(p)}, ${r})`), want, `${p} within ${r}`);
      assert.equal(value(`${JSON.stringify(p)}.within(${r})`), want, `${p}.within(${r})`);
    }
  });

  it('expands ~ to the configured home only', () => {
    setConditionHome(null);
    try {
      assert.equal(value('"/home/me/.ssh/id_rsa".within("~/.ssh")'), false);
      assert.equal(value('"~/.ssh/id_rsa".within("~/.ssh")'), true);
    } finally {
      setConditionHome('/home/me');
    }
  });

  it('basename() and ext()', () => {
    const cases: [string, string, string][] = [
      ['/a/b.txt', 'b.txt', '.txt'],
      ['/a/b.tar.gz', 'b.tar.gz', '.gz'],
      ['/a/b/', 'b', ''],
      ['/', '', ''],
      ['C:\\x\\y.PEM', 'y.PEM', '.PEM'],
      ['.env', '.env', ''],
      ['/x/.env', '.env', ''],
      ['a.', 'a.', '.'],
      ['/a.b/c', 'c', ''],
      ['/a/b/..', 'a', ''],
    ];
    for (const [p, base, ext] of cases) {
      const q = JSON.stringify(p);
      assert.equal(value(`basename(${q}) == ${JSON.stringify(base)} && ${q}.basename() == ${JSON.stringify(base)}`), true, `basename ${p}`);
      assert.equal(value(`ext(${q}) == ${JSON.stringify(ext)} && ${q}.ext() == ${JSON.stringify(ext)}`), true, `ext ${p}`);
    }
  });
});

describe('hosts', () => {
  it('host() extracts the lower-cased host of a URL, or ""', () => {
    const cases: [string, string][] = [
      ['https://API.GitHub.com/x?y#z', 'api.github.com'],
      ['http://user:pw@evil.com:8080/', 'evil.com'],
      ['example.com/path', 'example.com'],
      ['localhost:8080/admin', 'localhost'],
      ['//cdn.example.com/x', 'cdn.example.com'],
      ['http://[::1]:80/', '::1'],
      ['http://0x7f.1/', '127.0.0.1'],
      ['http://2130706433/', '127.0.0.1'],
      ['https://example.com./', 'example.com'],
      ['https://bücher.de/', 'xn--bcher-kva.de'],
      ['git+ssh://Git.Example.com/x', 'git.example.com'],
      ['/etc/passwd', ''],
      ['not a url', ''],
      ['mailto:a@b.com', ''],
      ['file:///etc/passwd', ''],
      ['', ''],
    ];
    for (const [url, want] of cases) assert.equal(value(`host(${JSON.stringify(url)}) == ${JSON.stringify(want)} && ${JSON.stringify(url)}.host() == ${JSON.stringify(want)}`), true, url);
  });

  it('hostMatches() takes names, *.domain and *', () => {
    const cases: [string, string | string[], boolean][] = [
      ['api.github.com', '*.github.com', true],
      ['a.b.github.com', '*.github.com', true],
      ['github.com', '*.github.com', false],
      ['evilgithub.com', '*.github.com', false],
      ['github.com.evil.com', '*.github.com', false],
      ['GitHub.com.', 'github.com', true],
      ['github.com:443', 'github.com', true],
      ['[::1]', '::1', true],
      ['bücher.de', 'xn--bcher-kva.de', true],
      ['x', '*', true],
      ['', '*', false],
      ['registry.npmjs.org', ['github.com', 'registry.npmjs.org'], true],
      ['npmjs.org', ['github.com', '*.npmjs.org'], false],
    ];
    for (const [h, p, want] of cases) {
      const q = JSON.stringify(p);
      assert.equal(value(`hostMatches(${JSON.stringify(h)}, ${q})`), want, `${h} ~ ${q}`);
      assert.equal(value(`${JSON.stringify(h)}.hostMatches(${q})`), want, `${h}.hostMatches(${q})`);
    }
    assert.match(evalError('hostMatches(args.url, "github.com")', withArgs({ url: 'https://github.com/x' })), /use host\(url\)/);
    assert.match(evalError('hostMatches("a.com", args.p)', withArgs({ p: 'a*b' })), /invalid host pattern/);
  });

  it('isPrivateHost() knows loopback, private, link-local and local names', () => {
    const yes = [
      'localhost',
      'LOCALHOST.',
      'app.localhost',
      'printer.local',
      'metadata.google.internal',
      'nas.home.arpa',
      'intranet',
      '127.0.0.1',
      '127.1',
      '0x7f000001',
      '2130706433',
      '0177.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '127.0.0.1:8080',
      '::1',
      '[::1]',
      '::',
      'fe80::1%eth0',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::a00:1',
      '2002:c0a8:101::1',
    ];
    const no = ['example.com', '8.8.8.8', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '1.2.3.4.nip.io', ''];
    for (const h of yes) assert.equal(value(`isPrivateHost(${JSON.stringify(h)}) && ${JSON.stringify(h)}.isPrivateHost()`), true, h);
    for (const h of no) assert.equal(value(`isPrivateHost(${JSON.stringify(h)})`), false, h);
    assert.equal(value('isPrivateHost(host(args.url))', withArgs({ url: 'http://[::ffff:169.254.169.254]/latest/meta-data' })), true);
    assert.match(evalError('isPrivateHost(args.url)', withArgs({ url: 'http://127.0.0.1/' })), /use host\(url\)/);
  });
});

describe('globs', () => {
  it('matches *, **, ?, classes, braces and escapes', () => {
    const cases: [string, string | string[], boolean][] = [
      ['/home/me/.env', '**/.env', true],
      ['.env', '**/.env', true],
      ['/home/me/x.env', '**/.env', false],
      ['/home/me/.env.local', '**/.env.*', true],
      ['/a/b/c.pem', '**/*.pem', true],
      ['c.pem', '*.pem', true],
      ['a/c.pem', '*.pem', false],
      ['.bashrc', '*', true],
      ['/home/me/.ssh', '/home/*/.ssh/**', true],
      ['/home/me/.ssh/keys/id_rsa', '/home/*/.ssh/**', true],
      ['/home/me/x/.ssh/id', '/home/*/.ssh/**', false],
      ['/a/x/y/b', '/a/**/b', true],
      ['/a/b', '/a/**/b', true],
      ['axb', 'a?b', true],
      ['a/b', 'a?b', false],
      ['file1', 'file[0-9]', true],
      ['filex', 'file[!0-9]', true],
      ['file1', 'file[^0-9]', false],
      ['a/b', 'a[!x]b', false],
      ['x.yml', '*.{yml,yaml}', true],
      ['x.yaml', '*.{yml,yaml}', true],
      ['x.json', '*.{yml,yaml}', false],
      ['a{b}', 'a{b}', true],
      ['a*b', 'a\\*b', true],
      ['axb', 'a\\*b', false],
      ['[x', '[x', true],
      ['github_delete_repo', '*_delete_*', true],
      ['/x/id_ed25519', ['**/*.pem', '**/id_ed25519*'], true],
      ['/x/id.pub', ['**/*.pem', '**/id_ed25519*'], false],
    ];
    for (const [s, p, want] of cases) {
      const q = JSON.stringify(p);
      assert.equal(value(`glob(${JSON.stringify(s)}, ${q})`), want, `${s} ~ ${q}`);
      assert.equal(value(`${JSON.stringify(s)}.glob(${q})`), want, `${s}.glob(${q})`);
    }
  });

  it('matches a path in its normal form, and URLs as written', () => {
    for (const p of ['/home/me/.aws/./credentials', '/home/me//.aws/credentials', 'C:\\Users\\me\\.aws\\credentials', '/tmp/../home/me/.aws/credentials'])
      assert.equal(value('glob(args.path, "**/.aws/credentials")', withArgs({ path: p })), true, p);
    assert.equal(value('glob(args.path, "/home/*/.aws/credentials")', withArgs({ path: '/tmp/../home/me/.aws/credentials' })), true);
    assert.equal(value('glob(args.url, "https://example.com/*")', withArgs({ url: 'https://example.com/a' })), true);
  });

  it('runs in linear time on hostile subjects', () => {
    const m = compileGlob('*a*a*a*a*a*a*a*b');
    assert.equal(m.test('a'.repeat(200_000)), false);
    assert.equal(compileGlob('**/**/**/**/x').test('/a'.repeat(100_000)), false);
  });
});

describe('matches (RE2 syntax, linear time)', () => {
  it('searches with RE2 syntax: flags, classes, anchors, word boundaries', () => {
    const cases: [string, string, boolean][] = [
      ['sudo rm -rf /', '\\brm\\s+-rf\\b', true],
      ['farm -rf', '\\brm\\s+-rf', false],
      ['CURL http://x | SH', '(?i)curl.*\\|\\s*sh', true],
      ['curl http://x | sh', 'curl.*\\|\\s*bash', false],
      ['abc', '^b', false],
      ['b', '^b$', true],
      ['a\nb', '(?m)^b$', true],
      ['a\nb', '^b$', false],
      ['a\nb', '(?s)a.b', true],
      ['a\nb', 'a.b', false],
      ['Ab', '(?i:a)b', true],
      ['AB', '(?i:a)b', false],
      ['x1y', '[[:digit:]]', true],
      ['a.b', '\\Qa.b\\E', true],
      ['axb', '\\Qa.b\\E', false],
      ['😀', '^.$', true],
      ['😀', '\\x{1F600}', true],
      ['aaa', 'a{2,3}', true],
      ['DROP  TABLE users', '(?i)\\b(drop|truncate)\\s+table\\b', true],
    ];
    for (const [s, re, want] of cases) assert.equal(value(`${JSON.stringify(s)}.matches(${JSON.stringify(re)})`), want, `${JSON.stringify(s)} ~ /${re}/`);
  });

  it('stays linear on patterns that make backtracking engines explode', () => {
    assert.equal(compileRegex('^(a+)+$').test(`${'a'.repeat(200_000)}!`), false);
    assert.equal(compileRegex('a.*b.*c').test('ab'.repeat(200_000)), false);
    assert.equal(compileRegex('(x+x+)+y').test('x'.repeat(200_000)), false);
    assert.equal(compileRegex('(a|aa)*$').test(`${'a'.repeat(100_000)}b`), true);
    const c = withArgs({ s: `${'a'.repeat(100_000)}!`, p: '^(a|a)*$' });
    assert.equal(value('args.s.matches(args.p)', c), false);
  });

  it('works inside macros, and on patterns taken from the arguments', () => {
    const c = withArgs({ list: ['abc', 'xyz', 'ab'], p: '^x' });
    assert.equal(value('args.list.exists(x, x.matches("^xy"))', c), true);
    assert.equal(value('args.list.all(x, x.matches("^a"))', c), false);
    assert.equal(value('args.list.map(x, size(x)).exists(n, n == 2)', c), true);
    assert.equal(value('args.list.filter(x, x.matches(args.p)).size() == 1', c), true);
    assert.equal(value('cel.bind(first, args.list[0], first.matches("b") && size(first) == 3)', c), true);
  });

  it('reports a bad pattern that arrives at run time as an error', () => {
    assert.match(evalError('args.s.matches(args.p)', withArgs({ s: 'x', p: '(' })), /invalid pattern for matches\(\): .*missing closing \)/);
    assert.match(evalError('args.n.matches("x")', withArgs({ n: 5 })), /no matching overload for 'int.matches\(string\)'/);
  });
});

describe('sizes', () => {
  it('byteSize() reads KB/MB/GB as powers of 1000 and KiB/MiB/GiB of 1024', () => {
    const cases: [string, bigint][] = [
      ['512', 512n],
      ['10 b', 10n],
      ['1K', 1000n],
      ['10KB', 10_000n],
      ['10MB', 10_000_000n],
      ['2gb', 2_000_000_000n],
      ['1kib', 1024n],
      ['10MiB', 10_485_760n],
      ['1.5 KiB', 1536n],
      ['0.5KB', 500n],
      ['1TiB', 2n ** 40n],
    ];
    for (const [s, want] of cases) {
      assert.equal(parseByteSize(s), want, s);
      assert.equal(value(`byteSize(${JSON.stringify(s)}) == ${want}`), true, s);
    }
    for (const bad of ['ten MB', '-1KB', '1XB', '', '9999999 PiB']) assert.throws(() => parseByteSize(bad), /byteSize/, bad);
    assert.match(evalError('byteSize(args.s) > 0', withArgs({ s: 'lots' })), /byteSize/);
  });

  it('size() counts code points, bytes(), list and map entries', () => {
    assert.equal(value('size("😀a") == 2 && "😀a".size() == 2'), true);
    assert.equal(value('size(bytes("é")) == 2'), true);
    assert.equal(value('size(tool.capabilities) == 2 && size(args.obj) == 2 && size(args.list) == 3', withArgs({ obj: { a: 1, b: 2 }, list: [1, 2, 3] })), true);
    const big = withArgs({ content: `${'x'.repeat(4_000_000)}😀` });
    assert.equal(value('size(args.content) > byteSize("1MB")', big), true);
    assert.equal(value('size(args.content) == 4000001', big), true);
  });
});

describe('time', () => {
  it('reads time.now in a named zone, across daylight saving time', () => {
    const at = (now: string): PolicyContext => ctx({ time: { now, hour: 0, weekday: 0 } });
    assert.equal(value('time.now.getHours("Europe/Zurich") == 13', at('2026-01-15T12:00:00Z')), true);
    assert.equal(value('time.now.getHours("Europe/Zurich") == 14', at('2026-07-15T12:00:00Z')), true);
    assert.equal(value('time.now.getHours("Europe/Zurich") == 1', at('2026-03-29T00:59:00Z')), true);
    assert.equal(value('time.now.getHours("Europe/Zurich") == 3', at('2026-03-29T01:30:00Z')), true);
    const monday3am = at('2026-03-02T03:00:00Z');
    assert.equal(value('time.now.getHours() == 3 && time.now.getDayOfWeek() == 1', monday3am), true);
    assert.equal(value('time.now.getDayOfWeek("America/Los_Angeles") == 0 && time.now.getHours("America/Los_Angeles") == 19', monday3am), true);
    assert.equal(value('time.now.getDate("Asia/Tokyo") == 2 && time.now.getDayOfMonth("Asia/Tokyo") == 1 && time.now.getMonth("Asia/Tokyo") == 2', monday3am), true);
    assert.equal(value('time.now.getFullYear("Pacific/Kiritimati") == 2027', at('2026-12-31T11:00:00Z')), true);
    assert.equal(value('time.now.getDayOfYear("UTC") == 0 && time.now.getMinutes("Asia/Kolkata") == 30', at('2026-01-01T00:00:00Z')), true);
    assert.match(evalError('time.now.getHours(args.zone) > 1', ctx({ args: { zone: 'Nowhere/City' } })), /unknown time zone/);
  });
});

describe('hostile input', () => {
  it('rejects a 100 KB condition with a clear error', () => {
    const source = `${'tool.name == "x" || '.repeat(5000)}true`;
    assert.ok(source.length > 100_000);
    const e = compileError(source);
    assert.match(e.message, /characters long; the limit is/);
    assert.equal(e.offset, MAX_CONDITION_LENGTH);
  });

  it('rejects deep nesting without overflowing the stack', () => {
    assert.match(compileError(`${'('.repeat(5000)}true${')'.repeat(5000)}`).message, /nests more than 100 levels deep/);
    assert.match(compileError(`${'!'.repeat(30_000)}true`).message, /nests/);
    assert.match(compileError(`${'tool.name == "x" || '.repeat(1000)}true`).message, /nests more than/);
    assert.match(compileError(`tool.name in [${'"x", '.repeat(2000)}"y"]`).message, /a list in the condition has more than 1000 elements/);
    assert.equal(value(`${'tool.name == "x" || '.repeat(300)}true`), true);
  });

  it('turns wrong argument types into errors, never exceptions', () => {
    const c = withArgs({ n: 5, list: [1, 'a'], obj: { a: 1 }, fn: () => 1, d: new Date(0) });
    for (const s of [
      'within(args.n, "/")',
      'args.n.within("/")',
      'args.obj.glob("*")',
      'glob("a", args.list)',
      'args.obj.within(args.list)',
      'host(args.n) == ""',
      'isPrivateHost(args.list)',
      'byteSize(args.n) > 1',
      'normalize(args.obj) == ""',
      'has(args.fn)',
      'args.fn == 1',
    ])
      assert.equal(typeof evalError(s, c), 'string', s);
    assert.deepEqual(compiled('true')(null as unknown as PolicyContext), { ok: false, error: 'no context to evaluate the condition against' });
  });

  it('keeps argument objects inert: no prototype pollution, odd keys are ordinary', () => {
    const args = JSON.parse('{"__proto__": {"polluted": 1}, "n": 5, "constructor": "x"}') as Record<string, unknown>;
    assert.equal(value('has(args.n) && args.n == 5 && args.constructor == "x"', withArgs(args)), true);
    assert.equal(value('args["__proto__"].polluted == 1', withArgs(args)), true);
    assert.equal(value('args.constructor == "x" && size(args) == 3', withArgs({ constructor: 'x', a: { constructor: 1 }, b: 'y' })), true);
    assert.equal(value('args.a.constructor == 1', withArgs({ a: { constructor: 1 } })), true);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 5000; i++) deep = { a: deep };
    assert.equal(value('has(args.a)', withArgs(deep)), true);
  });
});

describe('fast path', () => {
  // Conditions answered (wholly or by a top-level term) without CEL must answer exactly as CEL does.
  const conditions = [
    'has(args.path) && args.path.within("~/.ssh")',
    'has(args.path) && glob(args.path, ["**/*.pem", "**/.env"])',
    'has(args.path) && basename(args.path) in [".netrc", ".env"] || ext(args.path) == ".pem"',
    'args.path.lowerAscii().startsWith("/etc")',
    'action.kind == "file_read" && args.path.within("/etc")',
    '"egress" in tool.capabilities && "untrusted-input" in session.taint',
    '!("writes" in tool.capabilities) && tool.name != "x"',
    'time.hour < 7 || time.hour >= 20 || time.weekday == 0',
    'session.calls > 10 && size(session.taint) > 0',
    'agent.user == "root" || tool.capabilities.exists(c, c == "egress")',
    'has(args.url) && isPrivateHost(host(args.url))',
    'hostMatches(host(args.url), ["*.github.com"]) == false',
    'has(args.command) && args.command.matches("(?i)\\\\bsudo\\\\b")',
    'args.count > 5 && args.count <= 1000',
    'args.flag == true',
    'args.branch in ["main", "master"]',
    '3 in args.list',
    'size(args.content) > byteSize("1KB")',
    'agent.name < "m"',
    'has(args.path) && time.now.getHours("UTC") > 3',
  ];
  const contexts: unknown[] = [
    ctx(),
    ctx({ args: { path: '/home/me/.ssh/id_rsa', url: 'http://10.0.0.1/', command: 'SUDO ls', count: 7, flag: true, branch: 'main', list: [1, 3], content: 'x'.repeat(2000) } }),
    ctx({ args: { path: 5, url: ['x'], command: null, count: 7.5, flag: 'true', branch: 3, list: 'x', content: {} } }),
    ctx({ args: new Map<string, unknown>([['path', '/etc/x'], ['count', 6]]) }),
    ctx({ args: null }),
    ctx({ args: undefined }),
    ctx({ args: 'nope' }),
    ctx({ args: [] }),
    ctx({ args: { count: 2n ** 60n, list: [3n] } }),
    ctx({ args: { constructor: 'x', path: '/etc/passwd', count: 6, list: [3] } }),
    ctx({ args: Object.setPrototypeOf({ path: '/etc/x' }, new Map()) as unknown }),
    ctx({ tool: { name: 7, capabilities: 'egress' } }),
    ctx({ tool: null, session: { taint: [1, 'untrusted-input'], calls: 12.5 } }),
    ctx({ session: { calls: 11n, taint: ['untrusted-input'] }, tool: { capabilities: ['egress'] } }),
    ctx({ time: undefined }),
    ctx({ time: null }),
    ctx({ time: { now: 'garbage', hour: '9', weekday: 0 } }),
    ctx({ time: { now: '2026-01-01T00:00:00Z', hour: 22, weekday: 3 } }),
    ctx({ agent: 'str', action: null }),
    ctx({ agent: { user: 'root', name: 'a' } }),
  ];
  it('answers exactly as CEL does', () => {
    for (const source of conditions) {
      const fast = compileCondition(source);
      const slow = compileCondition(source, { prefilter: false });
      assert.ok(fast.ok && slow.ok, source);
      for (const [i, c] of contexts.entries()) assert.deepEqual(fast.condition(c as PolicyContext), slow.condition(c as PolicyContext), `${source} on context ${i}`);
    }
  });

  it('answers exactly as CEL does on random conditions and contexts', () => {
    let seed = 20260302;
    const rnd = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
    const keys = ['path', 'url', 'count', 'flag', 'list', 'missing', 'constructor'];
    const strs = ['action.kind', 'agent.name', 'tool.name', 'server.name', 'args.path', 'args.url', '"a"', '"/etc"', 'normalize(args.path)', 'host(args.url)', 'args.path.lowerAscii()'];
    const ints = ['session.calls', 'time.hour', 'args.count', 'size(args.list)', 'size(tool.capabilities)', '5', 'byteSize("1KB")'];
    const gen = (d: number): string => {
      if (d > 3) return pick(['true', `has(args.${pick(keys)})`]);
      switch (rnd(16)) {
        case 0:
        case 1:
          return `${gen(d + 1)} && ${gen(d + 1)}`;
        case 2:
        case 3:
          return `${gen(d + 1)} || ${gen(d + 1)}`;
        case 4:
          return `!(${gen(d + 1)})`;
        case 5:
          return `${pick(strs)} ${pick(['==', '!=', '<'])} ${pick(strs)}`;
        case 6:
          return `${pick(ints)} ${pick(['==', '<', '>='])} ${pick(ints)}`;
        case 7:
          return `${pick(['"egress"', '"a"'])} in ${pick(['tool.capabilities', 'session.taint', 'args.list', '["a", "egress"]'])}`;
        case 8:
          return `${pick(['args.count', '3'])} in ${pick(['args.list', '[1, 3]'])}`;
        case 9:
          return `${pick(strs)}.${pick(['within("/etc")', 'glob(["**/*.pem", "/etc/**"])', 'matches("(?i)^/ETC")', 'startsWith("/")', 'hostMatches("*.example.com")', 'isPrivateHost()'])}`;
        case 10:
          return `args.${pick(keys)} == ${pick(['true', '"x"', '1'])}`;
        case 11:
          return 'tool.capabilities.exists(c, c == "egress")';
        case 12:
          return `args.?${pick(keys)}.orValue("") == ""`;
        default:
          return `has(args.${pick(keys)})`;
      }
    };
    const odd = [undefined, null, 5, 5.5, 2 ** 60, 'x', '/etc/passwd', 'http://10.0.0.1/', true, [], ['egress', 3, 3n], { a: 1 }, new Map([['a', 1]]), 7n];
    const part = (fields: string[]): unknown => (rnd(10) ? Object.fromEntries(fields.filter(() => rnd(6)).map((f) => [f, pick(odd)])) : pick(odd));
    const contexts = Array.from({ length: 60 }, () => ({
      action: part(['kind', 'client']),
      agent: part(['name']),
      session: part(['taint', 'calls']),
      server: part(['name']),
      tool: part(['name', 'capabilities']),
      args: rnd(12) ? Object.fromEntries(keys.filter(() => rnd(2)).map((k) => [k, pick(odd)])) : pick(odd),
      time: rnd(8) ? { now: '2026-01-01T00:00:00Z', hour: pick(odd), weekday: 3 } : pick([undefined, null]),
    }));
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const source = gen(0);
      const fast = compileCondition(source);
      const slow = compileCondition(source, { prefilter: false });
      assert.equal(fast.ok, slow.ok, source);
      if (!fast.ok || !slow.ok) continue;
      checked++;
      for (const [j, c] of contexts.entries()) assert.deepEqual(fast.condition(c as unknown as PolicyContext), slow.condition(c as unknown as PolicyContext), `${source} on random context ${j}`);
    }
    assert.ok(checked > 300, `only ${checked} random conditions compiled`);
  });

  it('never throws, even on a context whose reading throws', () => {
    const throwing = ctx({
      args: Object.defineProperty({}, 'path', {
        enumerable: true,
        get() {
          throw new Error('getter');
        },
      }) as unknown,
    });
    for (const source of conditions) {
      const r = compiled(source)(throwing);
      assert.ok(r.ok || typeof r.error === 'string', source);
    }
    assert.deepEqual(compiled('args.path == "x"')(throwing), { ok: false, error: 'getter' });
  });
});

describe('performance smoke (no timing: see bench/cel.bench.ts)', () => {
  it('evaluates many times with stable results', () => {
    const conditions = ['has(args.path) && args.path.within("/home/me/project")', 'has(args.command) && args.command.matches("\\\\brm\\\\s+-rf")', 'time.now.getHours("Europe/Zurich") >= 0'].map(compiled);
    const contexts = [ctx(), ctx({ args: { command: 'rm -rf /tmp/x' } }), ctx({ args: { path: '/etc/passwd' } })];
    const first = contexts.map((c) => conditions.map((f) => f(c)));
    for (let i = 0; i < 20_000; i++) {
      const k = i % contexts.length;
      const c = { ...contexts[k]! };
      conditions.forEach((f, j) => assert.deepEqual(f(c), first[k]![j]));
    }
  });
});
