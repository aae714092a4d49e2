// Popular MCP server packages, the names a typosquatter would imitate. A name on this list is never
// itself reported, so every official sibling (server-github *and* server-gitlab) must be here, or
// the two would look like typos of each other. Every scope on the list is treated as owned by its
// publisher: `@modelcontextprotocol/anything` is not a squat of `@modelcontextprotocol/server-git`.
import { distance } from 'fastest-levenshtein';
import type { Ecosystem } from './packages.js';

export interface WellKnownServer {
  ecosystem: Extract<Ecosystem, 'npm' | 'pypi' | 'oci'>;
  name: string;
}

const NPM = [
  // Reference servers (github.com/modelcontextprotocol/servers and its archive).
  '@modelcontextprotocol/server-filesystem',
  '@modelcontextprotocol/server-github',
  '@modelcontextprotocol/server-gitlab',
  '@modelcontextprotocol/server-everything',
  '@modelcontextprotocol/server-memory',
  '@modelcontextprotocol/server-sequential-thinking',
  '@modelcontextprotocol/server-puppeteer',
  '@modelcontextprotocol/server-brave-search',
  '@modelcontextprotocol/server-google-maps',
  '@modelcontextprotocol/server-slack',
  '@modelcontextprotocol/server-postgres',
  '@modelcontextprotocol/server-redis',
  '@modelcontextprotocol/server-gdrive',
  '@modelcontextprotocol/server-everart',
  '@modelcontextprotocol/server-aws-kb-retrieval',
  '@modelcontextprotocol/inspector',
  '@modelcontextprotocol/sdk',
  // Widely installed vendor and community servers.
  '@playwright/mcp',
  '@executeautomation/playwright-mcp-server',
  '@browserbasehq/mcp',
  '@browserbasehq/mcp-server-browserbase',
  'chrome-devtools-mcp',
  'mcp-remote',
  'supergateway',
  'mcp-proxy',
  '@upstash/context7-mcp',
  'firecrawl-mcp',
  'tavily-mcp',
  'exa-mcp-server',
  'figma-developer-mcp',
  '@notionhq/notion-mcp-server',
  '@supabase/mcp-server-supabase',
  '@stripe/mcp',
  '@sentry/mcp-server',
  '@cloudflare/mcp-server-cloudflare',
  '@azure/mcp',
  '@azure-devops/mcp',
  '@heroku/mcp-server',
  '@hubspot/mcp-server',
  '@shopify/dev-mcp',
  '@21st-dev/magic',
  '@agentdeskai/browser-tools-mcp',
  '@wonderwhy-er/desktop-commander',
  '@neondatabase/mcp-server-neon',
  'mongodb-mcp-server',
  '@elastic/mcp-server-elasticsearch',
  '@circleci/mcp-server-circleci',
  'mcp-server-kubernetes',
  'task-master-ai',
  '@anthropic-ai/claude-code',
  '@openai/codex',
  '@google/gemini-cli',
];

const PYPI = [
  'mcp-server-fetch',
  'mcp-server-git',
  'mcp-server-time',
  'mcp-server-sqlite',
  'mcp-server-sentry',
  'mcp-server-qdrant',
  'mcp-server-motherduck',
  'mcp-proxy',
  'mcp-atlassian',
  'markitdown-mcp',
  'arxiv-mcp-server',
  'duckduckgo-mcp-server',
  'blender-mcp',
  'mcp',
  'fastmcp',
];

const OCI = [
  'mcp/filesystem',
  'mcp/github',
  'mcp/gitlab',
  'mcp/fetch',
  'mcp/git',
  'mcp/time',
  'mcp/memory',
  'mcp/everything',
  'mcp/postgres',
  'mcp/puppeteer',
  'mcp/playwright',
  'mcp/sequentialthinking',
  'mcp/brave-search',
  'mcp/slack',
  'ghcr.io/github/github-mcp-server',
];

export const WELL_KNOWN_SERVERS: readonly WellKnownServer[] = [
  ...NPM.map((name) => ({ ecosystem: 'npm' as const, name })),
  ...PYPI.map((name) => ({ ecosystem: 'pypi' as const, name })),
  ...OCI.map((name) => ({ ecosystem: 'oci' as const, name })),
];

/** Packages whose positional arguments are the directories the server may read and write. */
export const FILESYSTEM_SERVERS: ReadonlySet<string> = new Set([
  '@modelcontextprotocol/server-filesystem',
  'mcp-server-filesystem',
  'mcp-filesystem-server',
  '@cyanheads/filesystem-mcp-server',
  'fast-filesystem-mcp',
]);

/** Local bridges to a remote MCP server; their URL argument is where tool traffic goes. */
export const REMOTE_BRIDGES: ReadonlySet<string> = new Set(['mcp-remote', 'supergateway', 'mcp-proxy', '@pyroprompts/mcp-stdio-to-streamable-http-adapter']);

// ---------------------------------------------------------------------------------------------
// Typosquat matching
// ---------------------------------------------------------------------------------------------

/** Characters that render like others: Latin look-alikes first, then Cyrillic and Greek homoglyphs. */
const CONFUSABLES: Readonly<Record<string, string>> = {
  I: 'l', '1': 'l', '|': 'l', '0': 'o',
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', х: 'x', у: 'y', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ɡ: 'g', ı: 'i', ɩ: 'l', Ӏ: 'l',
  α: 'a', ο: 'o', ν: 'v', κ: 'k', τ: 't', ρ: 'p',
};

function skeleton(s: string): string {
  let out = '';
  for (const ch of s) out += CONFUSABLES[ch] ?? ch;
  return out.toLowerCase().replace(/rn/g, 'm').replace(/vv/g, 'w');
}

/** npm scope / image namespace, and the rest. */
function splitName(name: string): { scope?: string; pkg: string } {
  const npm = /^@([^/]+)\/(.+)$/.exec(name);
  if (npm) return { scope: npm[1]!.toLowerCase(), pkg: npm[2]!.toLowerCase() };
  const slash = name.lastIndexOf('/');
  return slash > 0 ? { scope: name.slice(0, slash).toLowerCase(), pkg: name.slice(slash + 1).toLowerCase() } : { pkg: name.toLowerCase() };
}

/** Words every MCP package carries; `mcp-server-git` and `mcp-server-gitee` differ in their stems, not in their prefix. */
const PREFIXES = ['mcp-server-', 'server-', 'mcp-'];
const SUFFIXES = ['-mcp-server', '-mcp', '-server'];

function stem(pkg: string): string {
  let s = pkg;
  const p = PREFIXES.find((x) => s.startsWith(x) && s.length > x.length);
  if (p) s = s.slice(p.length);
  const q = SUFFIXES.find((x) => s.endsWith(x) && s.length > x.length);
  if (q) s = s.slice(0, -q.length);
  return s;
}

/** Levenshtein, with an adjacent transposition counted as one edit (remtoe ↔ remote). */
function editDistance(a: string, b: string): number {
  const d = distance(a, b);
  if (d === 2 && a.length === b.length) {
    const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
    if (diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!]) return 1;
  }
  return d;
}

/** Edits allowed for a name of this length: none for very short names, where every change is another word. */
function tolerance(length: number): number {
  return length < 5 ? 0 : length < 9 ? 1 : 2;
}

function similarScope(a: string, b: string): boolean {
  if (a === b) return false;
  const flat = (s: string) => s.replace(/[-_.]/g, '');
  if (flat(a) === flat(b)) return true;
  if (b.length >= 4 && (a.includes(b) || b.includes(a))) return true;
  // A squatter keeps the recognisable start and changes the ending (playwright → playwrite).
  const shorter = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < shorter && a[prefix] === b[prefix]) prefix++;
  if (prefix >= 6 && prefix >= 0.6 * shorter) return true;
  return editDistance(a, b) <= tolerance(shorter);
}

const TRUSTED_SCOPES: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  (['npm', 'pypi', 'oci'] as const).map((eco) => [
    eco,
    new Set(WELL_KNOWN_SERVERS.filter((k) => k.ecosystem === eco).flatMap((k) => splitName(k.name).scope ?? [])),
  ]),
);

export interface WellKnownMatch {
  name: string;
  /** A verb phrase: "uses look-alike characters for", "is 1 edit away from". */
  reason: string;
}

/**
 * The well-known server a package name imitates, if any: look-alike characters anywhere, a scope
 * similar to a well-known one with the same package, or a near miss of a sibling in the same scope. `name` must be normalised the way
 * launchPackages does it (PyPI per PEP 503, images without docker.io/library); npm names as written.
 */
export function closestWellKnown(ecosystem: WellKnownServer['ecosystem'], name: string): WellKnownMatch | undefined {
  const known = WELL_KNOWN_SERVERS.filter((k) => k.ecosystem === ecosystem);
  const lower = name.toLowerCase();
  if (known.some((k) => k.name.toLowerCase() === lower)) return undefined;
  const cand = splitName(name);
  // A publisher's own scope is not imitated by a similar one; a typo inside it is still a wrong name.
  const ownScope = cand.scope !== undefined && (TRUSTED_SCOPES.get(ecosystem)?.has(cand.scope) ?? false);
  const look = skeleton(name);
  for (const k of known) {
    if (skeleton(k.name) === look) return { name: k.name, reason: 'uses look-alike characters for' };
  }
  for (const k of known) {
    const ref = splitName(k.name);
    if (cand.scope !== ref.scope) {
      if (cand.scope && ref.scope && !ownScope && similarScope(cand.scope, ref.scope) && editDistance(cand.pkg, ref.pkg) <= 1) {
        return { name: k.name, reason: 'imitates the publisher scope of' };
      }
      continue;
    }
    const a = stem(cand.pkg);
    const b = stem(ref.pkg);
    if (a === b) continue;
    // Whole names catch a typo in the affix itself (tavily-mpc); the stems' length sets the tolerance,
    // so a short distinctive part (git, gitee) is never "close" to another.
    const d = Math.min(editDistance(a, b), editDistance(cand.pkg, ref.pkg));
    if (d <= tolerance(Math.min(a.length, b.length))) return { name: k.name, reason: `is ${d} edit${d > 1 ? 's' : ''} away from` };
  }
  return undefined;
}
