// When an organisation keeps a list of approved servers, anything else is shadow IT: nobody
// reviewed its code, its permissions or where it sends data. A server is approved when any entry
// names it, the package or image it runs (tag and digest ignored), or a prefix of its URL.
import { defineRule } from './rule.js';
import { launchPackages, normaliseImageName, normalisePypiName, parseImageRef } from '../detect/packages.js';

function urlPrefixMatches(prefix: string, url: string): boolean {
  const p = prefix.toLowerCase();
  const u = url.toLowerCase();
  if (!u.startsWith(p)) return false;
  // `https://mcp.example.com` must not approve `https://mcp.example.com.evil.io`.
  return p.endsWith('/') || u.length === p.length || '/?#'.includes(u[p.length]!);
}

/** Names an entry could stand for, normalised per ecosystem. */
function entryForms(entry: string): string[] {
  const e = entry.trim();
  const image = parseImageRef(e);
  return [e.toLowerCase(), normalisePypiName(e), ...(image ? [image.name] : []), normaliseImageName(e)];
}

export const serverNotAllowlisted = defineRule({
  meta: {
    id: 'server-not-allowlisted',
    title: 'Server is not on the organisation allowlist',
    description:
      "An allowlist of approved servers was given and this server matches none of its entries: not by server name, package name, image name or URL prefix.",
    severity: 'medium',
    category: 'supply-chain',
    owasp: ['ASI04', 'ASI10'],
    remediation: 'Remove the server, replace it with an approved one, or ask for it to be reviewed and added to the allowlist.',
  },
  checkServer({ server, allowlist }) {
    if (!allowlist || allowlist.entries.length === 0) return [];
    const approved = new Set(allowlist.entries.flatMap(entryForms));
    const packages = launchPackages(server);
    const identities = [server.name, ...packages.map((p) => p.name)];
    if (identities.some((id) => approved.has(id.toLowerCase()) || approved.has(normalisePypiName(id)))) return [];
    const url = server.url?.trim();
    if (url && allowlist.entries.some((e) => /^[a-z][\w+.-]*:\/\//i.test(e) && urlPrefixMatches(e.trim(), url))) return [];
    const what = packages[0]?.spec ?? url ?? server.command ?? server.name;
    return [
      {
        message: `Server "${server.name}" (${what}) is not on the allowlist ${allowlist.file}`,
        evidence: what,
        at: { field: 'name' },
      },
    ];
  },
  cases: {
    valid: [
      { name: 'no allowlist given', server: { name: 'anything', command: 'npx', args: ['-y', 'random-mcp'] } },
      { name: 'approved by server name', allowlist: ['github'], server: { name: 'github', command: 'docker', args: ['run', '-i', 'ghcr.io/github/github-mcp-server'] } },
      { name: 'approved by package', allowlist: ['@modelcontextprotocol/server-filesystem'], server: { name: 'files', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2025.8.21', '/p'] } },
      { name: 'approved by image, tag ignored', allowlist: ['ghcr.io/github/github-mcp-server'], server: { name: 'gh', command: 'docker', args: ['run', '-i', 'ghcr.io/github/github-mcp-server:v0.9.0'] } },
      { name: 'approved by image with docker.io prefix', allowlist: ['docker.io/mcp/fetch:latest'], server: { name: 'f', command: 'docker', args: ['run', '-i', 'mcp/fetch@sha256:' + 'a'.repeat(64)] } },
      { name: 'approved by URL prefix', allowlist: ['https://mcp.example.com/'], server: { name: 'remote', url: 'https://mcp.example.com/v1/mcp' } },
      { name: 'approved by URL prefix without slash', allowlist: ['https://mcp.example.com'], server: { name: 'remote', url: 'https://mcp.example.com/mcp' } },
      { name: 'approved PyPI name in another spelling', allowlist: ['mcp_server_fetch'], server: { name: 'fetch', command: 'uvx', args: ['mcp-server-fetch==1.0.0'] } },
    ],
    invalid: [
      { name: 'unknown package', allowlist: ['@modelcontextprotocol/server-filesystem'], server: { name: 'x', command: 'npx', args: ['-y', 'random-mcp'] } },
      { name: 'URL on a look-alike host', allowlist: ['https://mcp.example.com'], server: { name: 'r', url: 'https://mcp.example.com.evil.io/mcp' } },
      { name: 'other image', allowlist: ['ghcr.io/github/github-mcp-server'], server: { name: 'gh2', command: 'docker', args: ['run', '-i', 'ghcr.io/someone/github-mcp-server'] } },
      { name: 'name differs', allowlist: ['github'], server: { name: 'github-enterprise', command: 'node', args: ['gh.js'] } },
    ],
  },
});
