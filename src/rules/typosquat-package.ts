// Attackers publish packages one keystroke or one look-alike character away from popular servers
// (`@modelcontextprotocoI/server-filesystem` with a capital I, `@model-context-protocol/…`,
// `mcp-server-fetcch`). A name close to a well-known server, but not it, is reported; names inside
// a well-known publisher's own scope are not.
import { defineRule, type RuleHit } from './rule.js';
import { launchPackages } from '../detect/packages.js';
import { closestWellKnown } from '../detect/well-known-servers.js';

export const typosquatPackage = defineRule({
  meta: {
    id: 'typosquat-package',
    title: 'Package name imitates a well-known server',
    description:
      'The server runs a package or image whose name is within a small edit distance of a popular MCP server, uses look-alike characters, or swaps its scope for a similar one, without being that server. Typosquatted packages are a common way to get malicious code run by people who meant the real one.',
    severity: 'high',
    category: 'supply-chain',
    owasp: ['ASI04'],
    remediation: 'Check the exact package name against the publisher\'s documentation and registry page, and replace it with the genuine package (pinned to a version).',
  },
  checkServer({ server }) {
    const hits: RuleHit[] = [];
    for (const p of launchPackages(server)) {
      if (p.ecosystem !== 'npm' && p.ecosystem !== 'pypi' && p.ecosystem !== 'oci') continue;
      const match = closestWellKnown(p.ecosystem, p.name);
      if (!match) continue;
      hits.push({
        message: `Server "${server.name}" runs "${p.name}", which ${match.reason} the well-known "${match.name}" — a possible typosquat`,
        evidence: p.name,
        ...(p.word.at ? { at: p.word.at } : {}),
        key: p.name,
      });
    }
    return hits;
  },
  cases: {
    valid: [
      { name: 'a publisher whose scope extends another (Azure DevOps)', server: { command: 'npx', args: ['-y', '@azure-devops/mcp@2.2.0'] } },
      { name: 'the genuine package', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2025.8.21', '/home/me/p'] } },
      { name: 'a sibling in the official scope', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-gitlab'] } },
      { name: 'an unknown package in the official scope', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-new-thing'] } },
      { name: 'an official sibling close to another', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github@2025.4.8'] } },
      { name: 'an unrelated package', server: { command: 'npx', args: ['-y', 'weather-forecast-mcp'] } },
      { name: 'short stems differ legitimately', server: { command: 'uvx', args: ['mcp-server-gitee'] } },
      { name: 'PyPI spelling variants are one name', server: { command: 'uvx', args: ['MCP_Server_Fetch==1.0.0'] } },
      { name: 'genuine image', server: { command: 'docker', args: ['run', '-i', 'docker.io/mcp/filesystem'] } },
      { name: 'upper case of the genuine npm name', server: { command: 'npx', args: ['-y', 'MCP-Remote'] } },
      { name: 'different package, shared affix', server: { command: 'npx', args: ['-y', 'firecrawl-mcp-server'] } },
    ],
    invalid: [
      { name: 'scope with a changed ending', server: { command: 'npx', args: ['-y', '@playwrite/mcp@0.0.41'] } },
      { name: 'capital I for l in the scope', server: { command: 'npx', args: ['-y', '@modelcontextprotocoI/server-filesystem'] } },
      { name: 'hyphenated scope', server: { command: 'npx', args: ['-y', '@model-context-protocol/server-filesystem'] } },
      { name: 'scope typo', server: { command: 'npx', args: ['-y', '@modelcontextprotocl/server-github@1.0.0'] } },
      { name: 'package typo', server: { command: 'npx', args: ['-y', '@playwrigth/mcp'] } },
      { name: 'PyPI one letter off', server: { command: 'uvx', args: ['mcp-server-fetcch'] } },
      { name: 'npm transposition', server: { command: 'npx', args: ['-y', 'mcp-remtoe'] } },
      { name: 'digit for letter', server: { command: 'npx', args: ['-y', 'firecraw1-mcp'] } },
      { name: 'Cyrillic look-alike', server: { command: 'npx', args: ['-y', 'mcp-rеmote'] } },
      { name: 'typo inside the official scope', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesytem@2025.8.21', '/p'] } },
      { name: 'swapped letters inside a vendor scope', server: { command: 'npx', args: ['-y', '@upstash/context7-mpc@1.0.17'] } },
      { name: 'image typo in the official namespace', server: { command: 'docker', args: ['run', '-i', 'mcp/filesytem'] } },
      { name: 'image namespace look-alike', server: { command: 'docker', args: ['run', '-i', 'rncp/filesystem'] } },
      { name: 'image namespace typo', server: { command: 'docker', args: ['run', '-i', 'ghcr.io/githib/github-mcp-server'] } },
      { name: 'context7 scope typo', server: { command: 'npx', args: ['-y', '@upstsh/context7-mcp'] } },
    ],
  },
});
