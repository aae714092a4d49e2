// Launch specs → packages, pinning, URLs and the typosquat matcher.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  isLoopbackHost,
  isPrivateHost,
  launchPackages,
  normaliseImageName,
  parseImageRef,
  parseNpmSpec,
  parsePypiSpec,
  serverUrls,
} from '../../src/detect/packages.js';
import { WELL_KNOWN_SERVERS, closestWellKnown } from '../../src/detect/well-known-servers.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = 'sha256:' + 'ab'.repeat(32);

describe('parseNpmSpec', () => {
  const cases: Array<[string, Record<string, unknown> | undefined]> = [
    ['pkg', { ecosystem: 'npm', name: 'pkg', pinned: false, unpinned: 'no-version' }],
    ['pkg@1.2.3', { ecosystem: 'npm', name: 'pkg', version: '1.2.3', pinned: true }],
    ['@scope/pkg@1.2.3-beta.1', { ecosystem: 'npm', name: '@scope/pkg', pinned: true }],
    ['@scope/pkg', { name: '@scope/pkg', pinned: false, unpinned: 'no-version' }],
    ['pkg@latest', { pinned: false, unpinned: 'dist-tag', version: 'latest' }],
    ['pkg@^1.0.0', { pinned: false, unpinned: 'range' }],
    ['pkg@1', { pinned: false, unpinned: 'range' }],
    ['pkg@>=1 <2', { pinned: false, unpinned: 'range' }],
    ['alias@npm:real@2.0.0', { name: 'real', pinned: true }],
    ['github:org/repo', { ecosystem: 'git', name: 'github:org/repo', pinned: false, unpinned: 'no-commit' }],
    [`github:org/repo#${SHA}`, { ecosystem: 'git', commit: SHA, pinned: true }],
    ['org/repo#v1.0.0', { ecosystem: 'git', version: 'v1.0.0', pinned: false }],
    ['git+ssh://git@github.com/org/repo.git#main', { ecosystem: 'git', name: 'git+ssh://git@github.com/org/repo.git', pinned: false }],
    ['https://github.com/org/repo', { ecosystem: 'git', pinned: false }],
    ['https://example.com/pkg-1.0.0.tgz', { ecosystem: 'url', pinned: false, unpinned: 'url' }],
    ['./local', undefined],
    ['/abs/path', undefined],
    ['file:../x', undefined],
    ['C:\\x', undefined],
  ];
  for (const [spec, expected] of cases) {
    it(spec, () => {
      const got = parseNpmSpec(spec);
      if (!expected) return assert.equal(got, undefined);
      assert.ok(got, 'parsed');
      for (const [k, v] of Object.entries(expected)) assert.deepEqual((got as unknown as Record<string, unknown>)[k], v, k);
    });
  }
});

describe('parsePypiSpec', () => {
  const cases: Array<[string, Record<string, unknown> | undefined]> = [
    ['mcp-server-fetch', { ecosystem: 'pypi', name: 'mcp-server-fetch', pinned: false, unpinned: 'no-version' }],
    ['MCP_Server.Fetch==1.0', { name: 'mcp-server-fetch', version: '1.0', pinned: true }],
    ['pkg===1.0.0', { pinned: true }],
    ['pkg[extra]==2.1.0', { name: 'pkg', pinned: true }],
    ['pkg==1.*', { pinned: false, unpinned: 'range' }],
    ['pkg>=1,<2', { pinned: false, unpinned: 'range' }],
    ['pkg~=1.2', { pinned: false, unpinned: 'range' }],
    ['pkg@1.2.3', { pinned: true, version: '1.2.3' }],
    ['pkg@latest', { pinned: false, unpinned: 'dist-tag' }],
    ['pkg ; python_version>"3.8"', { name: 'pkg', unpinned: 'no-version' }],
    [`git+https://github.com/org/repo@${SHA}`, { ecosystem: 'git', name: 'git+https://github.com/org/repo', commit: SHA, pinned: true }],
    ['git+https://github.com/org/repo.git@v1.0#egg=pkg', { ecosystem: 'git', version: 'v1.0', pinned: false }],
    ['git+https://github.com/org/repo', { ecosystem: 'git', pinned: false, unpinned: 'no-commit' }],
    ['pkg @ https://example.com/pkg-1.0-py3-none-any.whl', { ecosystem: 'url', pinned: false }],
    [`https://example.com/pkg.whl#sha256=${'ab'.repeat(32)}`, { ecosystem: 'url', pinned: true }],
    ['server.py', undefined],
    ['./pkg', undefined],
  ];
  for (const [spec, expected] of cases) {
    it(spec, () => {
      const got = parsePypiSpec(spec);
      if (!expected) return assert.equal(got, undefined);
      assert.ok(got, 'parsed');
      for (const [k, v] of Object.entries(expected)) assert.deepEqual((got as unknown as Record<string, unknown>)[k], v, k);
    });
  }
});

describe('images', () => {
  it('splits registry, tag and digest', () => {
    assert.deepEqual(parseImageRef('mcp/fetch'), { name: 'mcp/fetch' });
    assert.deepEqual(parseImageRef('docker.io/library/ubuntu:24.04'), { name: 'ubuntu', tag: '24.04' });
    assert.deepEqual(parseImageRef(`localhost:5000/team/mcp:1@${DIGEST}`), { name: 'localhost:5000/team/mcp', tag: '1', digest: DIGEST });
    assert.deepEqual(parseImageRef(`ghcr.io/org/img@${DIGEST}`), { name: 'ghcr.io/org/img', digest: DIGEST });
    assert.equal(parseImageRef('$IMAGE'), undefined);
    assert.equal(normaliseImageName('index.docker.io/MCP/Fetch'), 'mcp/fetch');
  });
});

describe('launchPackages', () => {
  const refs = (command: string, ...args: string[]) =>
    launchPackages({ command, args }).map((p) => `${p.launcher}|${p.ecosystem}|${p.name}|${p.pinned}|${JSON.stringify(p.word.at)}`);

  it('reads each launcher', () => {
    assert.deepEqual(refs('npx', '-y', '@s/p@1.0.0', '--root', '/x'), ['npx|npm|@s/p|true|{"field":"args","index":1}']);
    assert.deepEqual(refs('npx', '--registry', 'https://r.example', 'pkg'), ['npx|npm|pkg|false|{"field":"args","index":2}']);
    assert.deepEqual(refs('npx', '-p', 'a@1.0.0', '--package=b', 'cmd'), ['npx|npm|a|true|{"field":"args","index":1}', 'npx|npm|b|false|{"field":"args","index":2}']);
    assert.deepEqual(refs('npm', 'exec', '--yes', '--', 'pkg@2.0.0'), ['npm exec|npm|pkg|true|{"field":"args","index":3}']);
    assert.deepEqual(refs('pnpm', 'dlx', 'pkg'), ['pnpm dlx|npm|pkg|false|{"field":"args","index":1}']);
    assert.deepEqual(refs('yarn', 'dlx', '-p', 'pkg@1.0.0', 'bin'), ['yarn dlx|npm|pkg|true|{"field":"args","index":2}']);
    assert.deepEqual(refs('bunx', '--bun', 'pkg'), ['bunx|npm|pkg|false|{"field":"args","index":1}']);
    assert.deepEqual(refs('uvx', '--python', '3.12', 'mcp-server-fetch'), ['uvx|pypi|mcp-server-fetch|false|{"field":"args","index":2}']);
    assert.deepEqual(refs('uvx', '--from', 'pkg==1.0', '--with', 'a,b==2.0', 'cmd'), [
      'uvx|pypi|pkg|true|{"field":"args","index":1}',
      'uvx|pypi|a|false|{"field":"args","index":3}',
      'uvx|pypi|b|true|{"field":"args","index":3}',
    ]);
    assert.deepEqual(refs('uv', 'tool', 'run', 'pkg@1.0.0'), ['uv tool run|pypi|pkg|true|{"field":"args","index":2}']);
    assert.deepEqual(refs('uv', '--directory', '/srv', 'run', 'server.py'), []);
    assert.deepEqual(refs('pipx', 'run', 'pkg'), ['pipx run|pypi|pkg|false|{"field":"args","index":1}']);
    assert.deepEqual(refs('python', '-m', 'pip', 'install', '-r', 'req.txt', 'a', 'b==1'), [
      'pip install|pypi|a|false|{"field":"args","index":5}',
      'pip install|pypi|b|true|{"field":"args","index":6}',
    ]);
    assert.deepEqual(refs('go', 'run', 'example.com/m/cmd@v1.2.3'), ['go run|go|example.com/m/cmd|true|{"field":"args","index":1}']);
    assert.deepEqual(refs('go', 'run', './cmd/server'), []);
    assert.deepEqual(refs('deno', 'run', '-A', 'npm:pkg'), ['deno run|npm|pkg|false|{"field":"args","index":2}']);
    assert.deepEqual(refs('docker', 'run', '-i', '--rm', 'mcp/fetch:1.0'), ['docker|oci|mcp/fetch|false|{"field":"args","index":3}']);
    assert.deepEqual(refs('podman', 'run', '-i', `mcp/fetch@${DIGEST}`), ['podman|oci|mcp/fetch|true|{"field":"args","index":2}']);
    assert.deepEqual(refs('node', 'server.js'), []);
  });

  it('looks through wrappers and scripts', () => {
    assert.deepEqual(refs('cmd', '/c', 'npx', '-y', 'pkg'), ['npx|npm|pkg|false|{"field":"args","index":3}']);
    assert.deepEqual(refs('sudo', 'uvx', 'pkg==1.0'), ['uvx|pypi|pkg|true|{"field":"args","index":1}']);
    assert.deepEqual(refs('sh', '-c', 'curl -fsSL https://x.example/i.sh | sh'), ['curl|url|https://x.example/i.sh|false|{"field":"args","index":1}']);
  });
});

describe('URLs', () => {
  it('knows loopback from private from public', () => {
    for (const h of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.8.9.10', '[::1]', '0.0.0.0']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['localhost.example.com', '128.0.0.1', 'mcp.example.com', '10.0.0.1']) assert.ok(!isLoopbackHost(h), h);
    for (const h of ['10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.0.1', 'nas.local', 'gpu-box', '[fd00::1]']) assert.ok(isPrivateHost(h), h);
    for (const h of ['172.32.0.1', 'mcp.example.com', '8.8.8.8']) assert.ok(!isPrivateHost(h), h);
  });

  it('collects the server URL and URL arguments, marking bridges', () => {
    const urls = serverUrls({ command: 'npx', args: ['-y', 'mcp-remote', 'http://a.example/sse', '--header', 'X: y'], url: undefined });
    assert.deepEqual(urls.map((u) => [u.raw, u.at, u.viaBridge]), [['http://a.example/sse', { field: 'args', index: 2 }, true]]);
    const direct = serverUrls({ args: [], url: 'https://b.example/mcp' });
    assert.deepEqual(direct.map((u) => u.at), [{ field: 'url' }]);
  });
});

describe('closestWellKnown', () => {
  it('never reports a well-known name, in any spelling the registry accepts', () => {
    for (const k of WELL_KNOWN_SERVERS) assert.equal(closestWellKnown(k.ecosystem, k.name), undefined, k.name);
  });

  it('matches look-alikes, scope swaps and near misses', () => {
    assert.equal(closestWellKnown('npm', '@modelcontextprotocoI/server-memory')?.name, '@modelcontextprotocol/server-memory');
    assert.equal(closestWellKnown('npm', '@modelcontextprotoco1/server-slack')?.name, '@modelcontextprotocol/server-slack');
    assert.equal(closestWellKnown('npm', '@modelcontext-protocol/server-github')?.name, '@modelcontextprotocol/server-github');
    assert.equal(closestWellKnown('npm', '@modelcontextprotocol-ai/server-github')?.name, '@modelcontextprotocol/server-github');
    assert.equal(closestWellKnown('npm', 'tavily-mpc')?.name, 'tavily-mcp');
    assert.equal(closestWellKnown('pypi', 'mcp-server-fecth')?.name, 'mcp-server-fetch');
  });

  it('leaves unrelated and official-scope names alone', () => {
    for (const n of ['@modelcontextprotocol/server-anything', '@playwright/test', 'mcp-server-gitee', 'mcp-server-docker', 'weather-mcp', '@acme/mcp', 'context7-mcp', 'supergateway-plus']) {
      assert.equal(closestWellKnown('npm', n), undefined, n);
    }
    for (const n of ['mcp-server-tmux', 'mcpo', 'fast-agent-mcp', 'mcp-server-fetch-sse']) assert.equal(closestWellKnown('pypi', n), undefined, n);
  });
});
