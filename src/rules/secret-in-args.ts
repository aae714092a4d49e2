// A credential handed to a server as a command-line argument, even by reference: the client
// expands `${API_KEY}` before launch, and the process's arguments are readable by every local
// user (`ps`, /proc/<pid>/cmdline) and end up in crash reports and process-monitoring logs.
// The environment is private to the process. Literal secrets are hardcoded-secret's concern;
// this rule is about where a properly referenced secret travels.
import { isVariableReference, namedArguments, secretNameClass } from '../detect/secrets.js';
import { defineRule, type RuleHit } from './rule.js';

export const secretInArgs = defineRule({
  meta: {
    id: 'secret-in-args',
    title: 'Credential passed on the command line',
    description:
      "A server receives a credential through its arguments (`--api-key ${API_KEY}`, `--header 'Authorization: Bearer ${TOKEN}'`, `docker run -e TOKEN=${TOKEN}`). The client expands the reference before launch, so the secret sits in the process's command line, which other local users and monitoring tools can read.",
    severity: 'medium',
    // Not `secret`: nothing is hard-coded (references are never secret findings); this is about
    // where a properly referenced credential travels.
    category: 'config',
    owasp: ['ASI03'],
    remediation:
      "Pass the credential in the server's env block and let the server read it from its environment. For docker, list the variable as `-e NAME` with no value so docker copies it from the environment. For remote servers, prefer the client's own remote support with configured headers over a stdio bridge that takes the token as an argument.",
  },
  checkServer({ server }) {
    const hits: RuleHit[] = [];
    for (const arg of namedArguments(server.args)) {
      if (arg.name === undefined || !secretNameClass(arg.name)) continue;
      if (!isVariableReference(arg.value)) continue;
      hits.push({
        message: `Credential '${arg.name}' of server '${server.name}' is passed on the command line, where other local users can read it`,
        at: { field: 'args', index: arg.index },
        key: arg.name,
      });
    }
    return hits;
  },
  cases: {
    valid: [
      { name: 'env reference', server: { command: 'npx', args: ['-y', 'server-github'], env: { GITHUB_TOKEN: '${GITHUB_TOKEN}' } } },
      { name: 'docker env passthrough', server: { command: 'docker', args: ['run', '-i', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server'] } },
      { name: 'ordinary flags', server: { command: 'node', args: ['server.js', '--port', '${PORT}', '--log-level=info', '--token-url', 'https://auth.example.com'] } },
      { name: 'key file path by reference', server: { command: 'node', args: ['server.js', '--key-file', '${HOME}/.keys/server.pem'] } },
      { name: 'no arguments', server: { url: 'https://mcp.example.com/mcp' } },
    ],
    invalid: [
      { name: '--api-key ${VAR}', server: { command: 'node', args: ['server.js', '--api-key', '${API_KEY}'] } },
      { name: '--token=${env:VAR}', server: { command: 'uvx', args: ['mcp-server-x', '--token=${env:SERVICE_TOKEN}'] } },
      { name: 'docker -e NAME=${VAR}', server: { command: 'docker', args: ['run', '-i', '-e', 'SLACK_BOT_TOKEN=${SLACK_BOT_TOKEN}', 'mcp/slack'] } },
      {
        name: 'mcp-remote header with a reference',
        server: { command: 'npx', args: ['mcp-remote', 'https://mcp.example.com/sse', '--header', 'Authorization: Bearer ${AUTH_TOKEN}'] },
      },
      { name: '--password $VAR', server: { command: 'python', args: ['-m', 'db_mcp', '--password', '$DB_PASSWORD'] } },
    ],
  },
});
