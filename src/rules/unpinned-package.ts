// `npx -y pkg` runs whatever the registry serves as `latest` at that moment: one compromised
// maintainer account or one hijacked tag away from arbitrary code on every machine that starts the
// agent. Registry packages need an exact version; git sources need a full commit SHA; code fetched
// by URL is never pinned unless the URL carries a content hash.
import { defineRule, type RuleHit } from './rule.js';
import type { Severity } from '../core/types.js';
import { launchPackages, type PackageRef, type UnpinnedReason } from '../detect/packages.js';

const WHY: Readonly<Record<UnpinnedReason, (registry: string) => string>> = {
  'no-version': (r) => `without a version, so every start fetches whatever is newest on ${r}`,
  'dist-tag': (r) => `by a moving tag, so every start fetches whatever the tag points to on ${r} now`,
  range: (r) => `by a version range, so a new release on ${r} is picked up without review`,
  'image-tag': () => 'by a tag that can be moved',
  'no-commit': () => 'from git without a full commit SHA, so the branch or tag it follows can move',
  url: () => 'straight from a URL whose content can change between runs',
};

const SEVERITY: Readonly<Record<UnpinnedReason, Severity>> = {
  'no-version': 'medium',
  'dist-tag': 'medium',
  range: 'medium',
  'image-tag': 'low',
  'no-commit': 'high',
  url: 'high',
};

const ECOSYSTEM: Readonly<Record<PackageRef['ecosystem'], string>> = {
  npm: 'npm',
  jsr: 'JSR',
  pypi: 'PyPI',
  oci: 'a container registry',
  go: 'the Go module proxy',
  git: 'git',
  url: 'the network',
};

export const unpinnedPackage = defineRule({
  meta: {
    id: 'unpinned-package',
    title: 'Server code is not pinned to a version',
    description:
      'The server is fetched at launch without an exact version: `npx -y pkg`, `pkg@latest`, a version range, `uvx pkg` or `pipx run pkg` without `==`, a git URL without a full commit SHA, or code downloaded by URL. Each start can run different code than the one that was reviewed.',
    severity: 'medium',
    category: 'supply-chain',
    owasp: ['ASI04'],
    remediation:
      'Pin an exact version (`npx -y @scope/pkg@1.2.3`, `uvx pkg==1.2.3`, `pipx run --spec pkg==1.2.3 pkg`), a full commit SHA for git sources, and install from a registry rather than a URL. Update deliberately, after review.',
  },
  checkServer({ server }) {
    const hits: RuleHit[] = [];
    for (const p of launchPackages(server)) {
      if (p.pinned || p.ecosystem === 'oci' || !p.unpinned) continue;
      hits.push({
        message: `Server "${server.name}" runs "${p.spec}" through ${p.launcher} ${WHY[p.unpinned](ECOSYSTEM[p.ecosystem])}`,
        evidence: p.spec,
        severity: SEVERITY[p.unpinned],
        ...(p.word.at ? { at: p.word.at } : {}),
        key: p.spec,
      });
    }
    return hits;
  },
  cases: {
    valid: [
      { name: 'exact npm version', server: { command: 'npx', args: ['-y', '@scope/pkg@1.2.3'] } },
      { name: 'exact prerelease', server: { command: 'npx', args: ['--yes', 'mcp-remote@0.1.29-beta.1', 'https://mcp.example.com/sse'] } },
      { name: 'npx -p with exact version', server: { command: 'npx', args: ['-y', '-p', '@scope/pkg@2.0.0', 'pkg-bin', '--flag'] } },
      { name: 'uvx ==', server: { command: 'uvx', args: ['mcp-server-fetch==2025.4.7'] } },
      { name: 'uvx @version', server: { command: 'uvx', args: ['mcp-server-git@2025.7.1', '--repository', '.'] } },
      { name: 'uvx --from exact', server: { command: 'uvx', args: ['--from', 'awslabs.core-mcp-server==1.0.2', 'awslabs.core-mcp-server'] } },
      { name: 'pipx run --spec exact', server: { command: 'pipx', args: ['run', '--spec', 'mcp-proxy==0.8.0', 'mcp-proxy'] } },
      { name: 'git with full SHA', server: { command: 'uvx', args: ['--from', 'git+https://github.com/org/repo@0123456789abcdef0123456789abcdef01234567', 'srv'] } },
      { name: 'npm git shorthand with SHA', server: { command: 'npx', args: ['-y', 'github:org/repo#0123456789abcdef0123456789abcdef01234567'] } },
      { name: 'local script', server: { command: 'node', args: ['/opt/mcp/server.js'] } },
      { name: 'npx local path', server: { command: 'npx', args: ['./tools/server'] } },
      { name: 'uv run a project script', server: { command: 'uv', args: ['--directory', '/home/me/srv', 'run', 'server.py'] } },
      { name: 'go run pinned', server: { command: 'go', args: ['run', 'github.com/org/mcp/cmd/server@v1.4.0'] } },
      { name: 'deno with pinned npm specifier', server: { command: 'deno', args: ['run', '-A', 'npm:@scope/pkg@1.0.0'] } },
      { name: 'URL with a content hash', server: { command: 'pip', args: ['install', 'https://files.example.com/pkg-1.0-py3-none-any.whl#sha256=' + 'ab'.repeat(32)] } },
      { name: 'container images are the image rule\'s', server: { command: 'docker', args: ['run', '-i', 'mcp/fetch'] } },
      { name: 'cmd /c npx pinned', server: { command: 'cmd', args: ['/c', 'npx', '-y', '@scope/pkg@1.2.3'] } },
    ],
    invalid: [
      { name: 'npx -y without version', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/project'] } },
      { name: '@latest', server: { command: 'npx', args: ['-y', '@playwright/mcp@latest'] } },
      { name: '@next', server: { command: 'npx', args: ['-y', 'pkg@next'] } },
      { name: 'caret range', server: { command: 'npx', args: ['-y', 'pkg@^1.2.0'] } },
      { name: 'tilde range', server: { command: 'npx', args: ['pkg@~1.2'] } },
      { name: 'x range', server: { command: 'npx', args: ['-y', 'pkg@1.x'] } },
      { name: 'major only', server: { command: 'npx', args: ['-y', 'pkg@1'] } },
      { name: 'uvx without version', server: { command: 'uvx', args: ['mcp-server-fetch'] } },
      { name: 'uvx @latest', server: { command: 'uvx', args: ['mcp-server-time@latest'] } },
      { name: 'uvx >=', server: { command: 'uvx', args: ['--from', 'mcp-server-git>=1.0', 'mcp-server-git'] } },
      { name: 'uvx --with unpinned extra', server: { command: 'uvx', args: ['--with', 'requests', 'mcp-server-fetch==1.0.0'] } },
      { name: 'pipx run unpinned', server: { command: 'pipx', args: ['run', 'mcp-proxy'] } },
      { name: 'bunx', server: { command: 'bunx', args: ['some-mcp'] } },
      { name: 'pnpm dlx', server: { command: 'pnpm', args: ['dlx', 'some-mcp@latest'] } },
      { name: 'yarn dlx', server: { command: 'yarn', args: ['dlx', 'some-mcp'] } },
      { name: 'git+https without commit', server: { command: 'npx', args: ['-y', 'git+https://github.com/org/repo.git'] } },
      { name: 'github shorthand with branch', server: { command: 'npx', args: ['-y', 'github:org/repo#main'] } },
      { name: 'uvx --from git branch', server: { command: 'uvx', args: ['--from', 'git+https://github.com/org/repo@main', 'srv'] } },
      { name: 'tarball URL', server: { command: 'npx', args: ['-y', 'https://example.com/pkg-1.0.0.tgz'] } },
      { name: 'curl | sh in launch', server: { command: 'sh', args: ['-c', 'curl -fsSL https://x.example/run.sh | sh'] } },
      { name: 'go run @latest', server: { command: 'go', args: ['run', 'github.com/org/mcp/cmd/server@latest'] } },
      { name: 'inside cmd /c', server: { command: 'cmd', args: ['/c', 'npx', '-y', 'some-mcp'] } },
      { name: 'pip install in a script', server: { command: 'sh', args: ['-c', 'pip install mcp-thing && mcp-thing'] } },
    ],
  },
});
