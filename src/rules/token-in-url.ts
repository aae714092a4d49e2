// A credential in a URL query string ends up in proxy logs, server access logs, browser history
// and crash reports, and travels to every redirect target. Headers exist for this. Placeholders
// and `${VAR}` references are reported at low severity: the token still travels in the URL at run
// time, but nothing is leaked from the file itself.
import { defineRule, type RuleHit } from './rule.js';
import type { Severity } from '../core/types.js';
import { redact } from '../detect/redact.js';
import { serverUrls } from '../detect/packages.js';

/** Query parameter names that carry credentials. */
const SECRET_PARAM = /^(?:api[-_]?key|apikey|key|token|access[-_]?token|auth[-_]?token|id[-_]?token|refresh[-_]?token|session[-_]?token|private[-_]?token|auth|secret|client[-_]?secret|password|passwd|pwd|sig|signature|jwt|bearer|x[-_]api[-_]key)$|(?:token|secret|apikey|api_key|password)$/i;
/** References resolved at run time, and documentation placeholders. */
const REFERENCE = /^(?:\$\{[^}]+\}|\$[A-Z_][A-Z0-9_]*|%[A-Z_][A-Z0-9_]*%|\{\{[^}]+\}\}|<[^>]+>|\[[^\]]+\])$/i;
const PLACEHOLDER = /^(?:x+|\*+|\.+|your[-_].*|.*[-_]here|changeme|redacted|placeholder|example|test|null|none|undefined|true|false)$/i;

export const tokenInUrl = defineRule({
  meta: {
    id: 'token-in-url',
    title: 'Credential in a URL',
    description:
      "A server URL carries a credential in its query string (`?api_key=`, `token=`, `access_token=`, `key=`, `secret=` …) or its user-info (`https://user:pass@host`), where proxies, servers and logs record it.",
    severity: 'high',
    category: 'supply-chain',
    owasp: ['ASI03', 'ASI04'],
    remediation: "Send the credential in a header (`Authorization: Bearer ${env:TOKEN}`) or use the server's OAuth flow, and rotate any token that was written into a URL.",
  },
  checkServer({ server }) {
    const hits: RuleHit[] = [];
    for (const u of serverUrls(server)) {
      const found: Array<{ name: string; value: string }> = [];
      for (const [name, value] of u.url.searchParams) if (SECRET_PARAM.test(name) && value.trim()) found.push({ name, value });
      if (u.url.password) found.push({ name: 'password', value: decodeURIComponent(u.url.password) });
      for (const { name, value } of found) {
        const reference = REFERENCE.test(value);
        if (!reference && (PLACEHOLDER.test(value) || value.length < 8)) continue;
        const severity: Severity = reference ? 'low' : 'high';
        const where = name === 'password' ? 'the password of the URL' : `the "${name}" query parameter`;
        hits.push({
          message: reference
            ? `Server "${server.name}" puts ${value} in ${where} of ${u.url.host}: the secret will travel in the URL, where logs keep it`
            : `Server "${server.name}" has a credential in ${where} of ${u.url.host}`,
          evidence: reference ? `${name}=${value}` : `${name}=${redact(value)}`,
          severity,
          at: u.at,
          key: `${u.url.host}:${name}`,
        });
      }
    }
    return hits;
  },
  cases: {
    valid: [
      { name: 'no query', server: { url: 'https://mcp.example.com/mcp' } },
      { name: 'harmless query', server: { url: 'https://mcp.example.com/mcp?workspace=acme&region=eu&limit=50' } },
      { name: 'placeholder', server: { url: 'https://mcp.example.com/mcp?api_key=YOUR_API_KEY' } },
      { name: 'short non-secret key', server: { url: 'https://mcp.example.com/mcp?key=dark' } },
      { name: 'token in a header', server: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer abcdef0123456789abcdef' } } },
      { name: 'user without password', server: { url: 'https://deploy@git.example.com/mcp' } },
    ],
    invalid: [
      { name: 'api_key', server: { url: 'https://mcp.example.com/sse?api_key=sk_live_51Habcdef0123456789' } },
      { name: 'token', server: { url: 'https://mcp.example.com/mcp?team=x&token=ghp_abcdefghijklmnopqrstuvwxyz0123456789' } },
      { name: 'access_token', server: { url: 'https://mcp.example.com/mcp?access_token=ya29.a0AfH6SMBexample123' } },
      { name: 'key', server: { url: 'https://maps.example.com/mcp?key=AIzaSyD-1234567890abcdefghijklmno' } },
      { name: 'secret', server: { url: 'https://mcp.example.com/mcp?client_secret=3f1c9e7a5b2d4e6f8a0b' } },
      { name: 'password in user-info', server: { url: 'https://admin:S3cr3tPassw0rd@mcp.example.com/mcp' } },
      { name: 'token in a bridge argument', server: { command: 'npx', args: ['-y', 'mcp-remote@0.1.29', 'https://mcp.example.com/sse?apiKey=abcd1234efgh5678ijkl'] } },
      { name: 'env reference still travels in the URL', server: { url: 'https://mcp.example.com/mcp?token=${env:MCP_TOKEN}' } },
    ],
  },
});
