// An image tag is a pointer the publisher (or whoever takes over the account) can move; only a
// digest names the bytes that were reviewed. `latest` or no tag at all moves on every release.
import { defineRule, type RuleHit } from './rule.js';
import { launchPackages } from '../detect/packages.js';

const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);

export const unpinnedContainerImage = defineRule({
  meta: {
    id: 'unpinned-container-image',
    title: 'Container image is not pinned by digest',
    description:
      'The server runs a container image by tag (or with no tag, which means `latest`) instead of by `@sha256:` digest, so the code that runs can change without any change to the config.',
    severity: 'medium',
    category: 'supply-chain',
    owasp: ['ASI04'],
    remediation: 'Reference the image by digest: `image@sha256:<digest>` (keep the tag for readability: `image:1.2.3@sha256:<digest>`). Update the digest deliberately, after review.',
  },
  checkServer({ server }) {
    const hits: RuleHit[] = [];
    for (const p of launchPackages(server)) {
      if (p.ecosystem !== 'oci' || p.pinned) continue;
      const why = p.digest
        ? 'with a malformed digest'
        : !p.tag
          ? 'with no tag (so `latest`) and no digest'
          : p.tag === 'latest'
            ? 'by the `latest` tag rather than a digest'
            : `by its tag "${p.tag}" rather than a digest; tags can be moved`;
      hits.push({
        message: `Server "${server.name}" runs the image "${p.spec}" ${why}`,
        evidence: p.spec,
        severity: p.tag && p.tag !== 'latest' ? 'low' : 'medium',
        ...(p.word.at ? { at: p.word.at } : {}),
        key: p.spec,
      });
    }
    return hits;
  },
  cases: {
    valid: [
      { name: 'digest', server: { command: 'docker', args: ['run', '--rm', '-i', `mcp/fetch@${DIGEST}`] } },
      { name: 'tag and digest', server: { command: 'podman', args: ['run', '-i', '--rm', `ghcr.io/github/github-mcp-server:v0.9.0@${DIGEST}`] } },
      { name: 'image from a variable', server: { command: 'docker', args: ['run', '-i', '$MCP_IMAGE'] } },
      { name: 'not a container', server: { command: 'npx', args: ['-y', 'docker-mcp@1.0.0'] } },
      { name: 'docker exec', server: { command: 'docker', args: ['exec', '-i', 'mcp', 'node', 'x.js'] } },
      { name: 'registry with a port and digest', server: { command: 'docker', args: ['run', '-i', `localhost:5000/team/mcp@${DIGEST}`] } },
    ],
    invalid: [
      { name: 'no tag', server: { command: 'docker', args: ['run', '-i', '--rm', 'mcp/fetch'] } },
      { name: 'latest', server: { command: 'docker', args: ['run', '-i', '--rm', 'mcp/github:latest'] } },
      { name: 'version tag', server: { command: 'docker', args: ['run', '-i', '--rm', '-e', 'TOKEN', 'ghcr.io/github/github-mcp-server:v0.9.0'] } },
      { name: 'registry with a port and no digest', server: { command: 'docker', args: ['run', '-i', 'localhost:5000/team/mcp'] } },
      { name: 'podman after options with values', server: { command: 'podman', args: ['run', '--rm', '-i', '--name', 'x', '-v', 'data:/data', 'quay.io/org/mcp:1.2'] } },
      { name: 'docker in a shell script', server: { command: 'bash', args: ['-c', 'docker pull mcp/git && docker run -i mcp/git'] } },
      { name: 'wrong-length digest', server: { command: 'docker', args: ['run', '-i', 'mcp/fetch@sha256:abc'] } },
    ],
  },
});
