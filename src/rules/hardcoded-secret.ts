// Credentials written into agent configuration: a server's env, arguments, headers and URL, and
// any other value in a settings file. A key in a config file is read by every process that can
// read the file, copied into backups and dotfile repositories, and shown to the agent itself.
// Values that refer to a secret kept elsewhere (`${GITHUB_TOKEN}`, `${input:token}`) are the fix,
// not the problem, and placeholders (`<your-key>`) are not keys.
import { basename } from 'node:path';
import type { ServerDecl } from '../core/types.js';
import type { PathSegment } from '../parse/document.js';
import { classifyNamedValue, namedArguments, scanValuesForSecrets, type SecretMatch, type SecretValue } from '../detect/secrets.js';
import { FAKE_CREDENTIALS, FAKE_NAMED_CREDENTIALS, fakeToken } from '../detect/fake-credentials.js';
import { defineRule, type HitAt, type RuleCase, type RuleHit } from './rule.js';

/** One value to look at and where it lives. Messages are built only for hits. */
interface Field extends SecretValue {
  at: HitAt;
  /** For arguments: the name a flag or assignment gives it, shown in the message. */
  argName?: string;
  /** A named part of the value: `--api-key=V`, `NAME=V`, `Authorization: V`. */
  part?: { name: string; value: string; offset: number };
}

function serverFields(server: ServerDecl): Field[] {
  const fields: Field[] = [];
  for (const key in server.env) fields.push({ at: { field: 'env', key }, value: server.env[key]!, name: key });
  for (const arg of namedArguments(server.args)) {
    const value = server.args[arg.index]!;
    const at: HitAt = { field: 'args', index: arg.index };
    if (arg.name === undefined) fields.push({ at, value });
    else if (arg.offset === 0) fields.push({ at, value, name: arg.name, argName: arg.name });
    else fields.push({ at, value, argName: arg.name, part: { name: arg.name, value: arg.value, offset: arg.offset } });
  }
  for (const key in server.headers) fields.push({ at: { field: 'headers', key }, value: server.headers[key]!, name: key });
  if (server.url) fields.push({ at: { field: 'url' }, value: server.url });
  // Some configs hold a whole command line in `command`; it is scanned as text.
  if (server.command && /[\s=]/.test(server.command)) fields.push({ at: { field: 'command' }, value: server.command });
  return fields;
}

function describeServerField(f: Field): string {
  const at = f.at;
  if ('field' in at) {
    if (at.field === 'env') return `env ${at.key}`;
    if (at.field === 'headers') return `header ${at.key}`;
    if (at.field === 'args') return `argument ${at.index + 1}${f.argName ? ` (${f.argName})` : ''}`;
    if (at.field === 'command') return 'the command';
  }
  return 'the URL';
}

/** Subtrees that hold server declarations: checkServer covers them, with better locations. */
const SERVER_SUBTREES = new Set(['mcpServers', 'servers', 'mcp_servers', 'context_servers', 'extensions', 'mcp']);
const MAX_CONFIG_VALUES = 50_000;
const MAX_DEPTH = 200;

/** Every string in a settings document outside server subtrees, named by its nearest key. */
function configFields(data: unknown): Field[] {
  const fields: Field[] = [];
  // Iterative, so a deeply nested document cannot exhaust the stack.
  const stack: Array<{ node: unknown; path: PathSegment[]; name?: string }> = [{ node: data, path: [] }];
  while (stack.length > 0 && fields.length < MAX_CONFIG_VALUES) {
    const { node, path, name } = stack.pop()!;
    if (typeof node === 'string') {
      fields.push({ at: { path }, value: node, ...(name !== undefined ? { name } : {}) });
    } else if (path.length < MAX_DEPTH && Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], path: [...path, i], ...(name !== undefined ? { name } : {}) });
    } else if (path.length < MAX_DEPTH && node !== null && typeof node === 'object') {
      const entries = Object.entries(node as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (SERVER_SUBTREES.has(key)) continue;
        stack.push({ node: child, path: [...path, key], name: key });
      }
    }
  }
  return fields;
}

function displayPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(root)';
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Runs the engine over all fields at once and turns matches into hits; `place` names where a field is. */
async function secretHits(fields: readonly Field[], place: (f: Field) => string): Promise<RuleHit[]> {
  const perField = new Map<number, SecretMatch[]>();
  const add = (i: number, m: SecretMatch): void => {
    const list = perField.get(i);
    if (list) list.push(m);
    else perField.set(i, [m]);
  };
  for (const m of await scanValuesForSecrets(fields)) add(m.index, m);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (!f.part) continue;
    const hit = classifyNamedValue(f.part.name, f.part.value);
    if (!hit) continue;
    const offset = f.part.offset + hit.offset;
    const overlaps = perField.get(i)?.some((m) => m.offset < offset + hit.length && offset < m.offset + m.length);
    if (!overlaps) add(i, { ...hit, offset });
  }
  const hits: RuleHit[] = [];
  if (perField.size === 0) return hits;
  for (const [i, matches] of [...perField].sort((a, b) => a[0] - b[0])) {
    const f = fields[i]!;
    const seen = new Map<string, number>();
    for (const m of matches.sort((a, b) => a.offset - b.offset)) {
      const n = (seen.get(m.detector) ?? 0) + 1;
      seen.set(m.detector, n);
      hits.push({
        message: `${capitalize(m.kind)} hard-coded in ${place(f)}`,
        evidence: m.redacted,
        severity: m.severity ?? 'critical',
        at: f.at,
        key: n === 1 ? m.detector : `${m.detector}#${n}`,
      });
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Cases: every provider format must be caught; every placeholder and reference form must not.

const token = (n: number, seed: number): string => fakeToken(n, undefined, seed);
const GH = FAKE_CREDENTIALS.find((c) => c.label === 'GitHub classic PAT')!.value;
const SLACK = FAKE_CREDENTIALS.find((c) => c.label === 'Slack bot token')!.value;

const PLACEHOLDERS = ['<your-key>', 'sk-...', 'xxxx', 'YOUR_API_KEY', 'changeme', 'your-token-here', '***', 'REPLACE_ME', 'example', 'aaaaaaaaaaaaaaaaaaaaaaaa', ''];
const REFERENCES = ['${GITHUB_TOKEN}', '${env:GITHUB_TOKEN}', '$GITHUB_TOKEN', '$env:GITHUB_TOKEN', '{env:GITHUB_TOKEN}', '%GITHUB_TOKEN%', '${input:github_token}'];

const invalid: RuleCase[] = [
  ...[...FAKE_CREDENTIALS, ...FAKE_NAMED_CREDENTIALS].map((c) => ({ name: `${c.label} in env`, server: { name: 'svc', env: { [c.envName]: c.value } } })),
  { name: 'token by name', server: { env: { GITHUB_TOKEN: token(32, 1) } } },
  { name: 'password by name', server: { env: { DB_PASSWORD: 'hunter2024' } } },
  { name: 'camelCase api key', server: { env: { apiKey: token(24, 2) } } },
  { name: 'provider key under an unrelated name', server: { env: { SETTING: GH } } },
  { name: 'bearer header', server: { url: 'https://mcp.example.com/mcp', headers: { Authorization: `Bearer ${token(40, 3)}` } } },
  { name: 'x-api-key header', server: { url: 'https://mcp.example.com/mcp', headers: { 'X-API-Key': token(32, 4) } } },
  { name: '--api-key=VALUE', server: { command: 'node', args: ['server.js', `--api-key=${token(32, 5)}`] } },
  { name: '--token VALUE', server: { command: 'node', args: ['server.js', '--token', token(32, 6)] } },
  { name: 'provider key as a bare argument', server: { command: 'npx', args: ['-y', 'github-mcp', GH] } },
  { name: 'docker -e NAME=VALUE', server: { command: 'docker', args: ['run', '-i', '--rm', '-e', `SLACK_BOT_TOKEN=${SLACK}`, 'mcp/slack'] } },
  { name: 'docker -e with a name-based secret', server: { command: 'docker', args: ['run', '-e', `API_SECRET=${token(30, 7)}`, 'img'] } },
  {
    name: 'mcp-remote --header',
    server: { command: 'npx', args: ['mcp-remote', 'https://mcp.example.com/sse', '--header', `Authorization: Bearer ${token(40, 8)}`] },
  },
  { name: 'password in URL userinfo', server: { url: `https://deploy:${token(16, 9)}@mcp.example.com/mcp` } },
  { name: 'key in URL query', server: { url: `https://mcp.example.com/mcp?api_key=${token(32, 10)}` } },
  { name: 'database URL in args', server: { command: 'uvx', args: ['mcp-server-postgres', `postgresql://app:${token(18, 11)}@db.example.com/app`] } },
  { name: 'key inside a shell script', server: { command: 'bash', args: ['-c', `OPENAI_API_KEY=sk-${token(48, 12)} exec node server.js`] } },
  { name: 'whole command line in command', server: { command: `node /srv/server.js --api-key=${token(32, 15)}`, args: [] } },
  {
    name: 'settings env block',
    config: { client: 'claude-code', format: 'json', text: JSON.stringify({ env: { ANTHROPIC_API_KEY: FAKE_CREDENTIALS[6]!.value } }) },
  },
  { name: 'settings api key by name (YAML)', config: { client: 'continue', format: 'yaml', text: `models:\n  - name: gpt\n    apiKey: ${token(40, 13)}\n` } },
  {
    name: 'provider section (TOML)',
    config: { client: 'codex', format: 'toml', text: `[model_providers.acme]\nname = "Acme"\napi_key = "${token(40, 14)}"\n` },
  },
  { name: 'nested under an array', config: { client: 'x', format: 'json', text: JSON.stringify({ profiles: [{ token: GH }] }) } },
];

const valid: RuleCase[] = [
  ...PLACEHOLDERS.map((v) => ({ name: `placeholder ${JSON.stringify(v)}`, server: { env: { GITHUB_TOKEN: v, OPENAI_API_KEY: v } } })),
  ...REFERENCES.map((v) => ({ name: `reference ${v}`, server: { env: { GITHUB_TOKEN: v }, headers: { Authorization: `Bearer ${v}` } } })),
  {
    name: 'ordinary settings',
    server: { env: { LOG_LEVEL: 'info', AWS_REGION: 'us-east-1', PATH: '/usr/bin', PORT: '8080', DEBUG: 'true', NODE_ENV: 'production' } },
  },
  {
    name: 'secret-like names with ordinary values',
    server: { env: { API_KEY: 'true', TOKEN_URL: 'https://auth.example.com/token', SSH_KEY_PATH: '/home/me/.ssh/id_ed25519', MAX_TOKENS: '4096', AUTH: 'oauth' } },
  },
  { name: 'public key', server: { env: { STRIPE_PUBLISHABLE_KEY: `pk_live_${token(24, 20)}`, PUBLIC_KEY: token(40, 21) } } },
  { name: 'AWS documentation example', server: { env: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } } },
  { name: 'credentials file path', server: { env: { GOOGLE_APPLICATION_CREDENTIALS: '/home/me/.config/gcloud/key.json' } } },
  { name: 'flags and package names', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github', '--port', '3000', '--toolsets', 'repos,issues'] } },
  { name: 'flag with a reference', server: { command: 'node', args: ['server.js', '--api-key', '${API_KEY}', '--token=$TOKEN'] } },
  { name: 'docker env passthrough', server: { command: 'docker', args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server'] } },
  { name: 'URL without credentials', server: { url: 'https://mcp.example.com/mcp?region=eu&version=2' } },
  { name: 'URL with user only', server: { url: 'https://git@mcp.example.com/mcp' } },
  { name: 'database URL with a reference', server: { command: 'uvx', args: ['mcp-server-postgres', 'postgresql://app:${DB_PASSWORD}@db.example.com/app'] } },
  { name: 'local default database credentials', server: { env: { DATABASE_URL: 'postgres://postgres:postgres@localhost:5432/dev' } } },
  { name: 'empty server', server: {} },
  {
    name: 'server subtrees are left to checkServer',
    config: { client: 'claude-code', format: 'json', text: JSON.stringify({ mcpServers: { gh: { env: { GITHUB_TOKEN: GH } } } }) },
  },
  {
    name: 'VS Code mcp.servers subtree',
    config: { client: 'vscode', format: 'jsonc', text: `{ "mcp": { "servers": { "gh": { "env": { "GITHUB_TOKEN": "${GH}" } } } } }` },
  },
  {
    name: 'ordinary settings file',
    config: {
      client: 'claude-code',
      format: 'json',
      text: JSON.stringify({ model: 'claude-sonnet-4-5', apiKeyHelper: '/usr/local/bin/get-key', env: { ANTHROPIC_API_KEY: '${ANTHROPIC_API_KEY}' }, permissions: { allow: ['Bash(npm test)'] } }),
    },
  },
  { name: 'env_key names a variable (TOML)', config: { client: 'codex', format: 'toml', text: '[model_providers.acme]\nenv_key = "ACME_API_KEY"\n' } },
  { name: 'keybinding', config: { client: 'vscode', format: 'json', text: '[{ "key": "ctrl+shift+p", "command": "workbench.action.showCommands" }]' } },
];

export const hardcodedSecret = defineRule({
  meta: {
    id: 'hardcoded-secret',
    title: 'Credential hard-coded in configuration',
    description:
      'A credential (API key, access token, password, private key, connection string) is written into an MCP server declaration (env, arguments, headers, URL) or a client settings file. Anyone and anything that can read the file, its backups or a dotfiles repository gets the credential, and so does the agent. Provider-format keys are critical; values recognised by a credential-like name are high.',
    severity: 'critical',
    category: 'secret',
    owasp: ['ASI03'],
    remediation:
      "Rotate the credential now: assume it has leaked. Then keep it out of the file: reference an environment variable (`${GITHUB_TOKEN}`, `${env:NAME}`), the client's input prompt (`${input:id}`) or a secret manager, and pass it to the server through env rather than arguments.",
  },
  checkServer: ({ server }) => secretHits(serverFields(server), (f) => `${describeServerField(f)} of server '${server.name}'`),
  checkConfig: ({ doc }) => secretHits(configFields(doc.data), (f) => `${'path' in f.at ? displayPath(f.at.path) : ''} of ${basename(doc.path)}`),
  cases: { valid, invalid },
});
