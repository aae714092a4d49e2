// Plain http:// to anything but this machine lets anyone on the path read the tool traffic (files,
// query results, tokens) and rewrite tool descriptions and results on the way — a prompt injection
// by network position. Credentials sent in headers over it are simply given away.
import { defineRule, type RuleHit } from './rule.js';
import type { Severity } from '../core/types.js';
import { isLoopbackHost, isPrivateHost, serverUrls } from '../detect/packages.js';

const CREDENTIAL_HEADER = /^(?:authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token)$|token|secret|key|auth/i;

export const insecureHttpTransport = defineRule({
  meta: {
    id: 'insecure-http-transport',
    title: 'Remote server over unencrypted HTTP',
    description:
      'A remote MCP server is reached over plain http:// (or ws://) at an address that is not this machine, so tool calls, results and any credentials travel unencrypted and can be read or altered in transit.',
    severity: 'high',
    category: 'supply-chain',
    owasp: ['ASI07', 'ASI04'],
    remediation: 'Use https:// (or wss://). For a server on this machine use localhost or 127.0.0.1; for one on a private network, put it behind TLS anyway.',
  },
  checkServer({ server }) {
    const hits: RuleHit[] = [];
    const credentials = Object.keys(server.headers).some((h) => CREDENTIAL_HEADER.test(h));
    for (const u of serverUrls(server)) {
      if (u.url.protocol !== 'http:' && u.url.protocol !== 'ws:') continue;
      // An http URL in the arguments only matters when a bridge forwards tool traffic to it.
      if (u.at.field === 'args' && !u.viaBridge) continue;
      if (isLoopbackHost(u.url.hostname)) continue;
      const local = isPrivateHost(u.url.hostname);
      const severity: Severity = credentials && u.at.field === 'url' ? 'critical' : local ? 'medium' : 'high';
      const shown = `${u.url.protocol}//${u.url.host}${u.url.pathname}`;
      hits.push({
        message: `Server "${server.name}" talks to ${shown} over unencrypted ${u.url.protocol === 'ws:' ? 'WebSocket' : 'HTTP'}${local ? ' on the local network' : ''}${severity === 'critical' ? ', sending credentials in its headers' : ''}`,
        evidence: shown,
        severity,
        at: u.at,
        key: shown,
      });
    }
    return hits;
  },
  cases: {
    valid: [
      { name: 'https', server: { url: 'https://mcp.example.com/mcp' } },
      { name: 'localhost', server: { url: 'http://localhost:3000/mcp' } },
      { name: '127.0.0.1', server: { url: 'http://127.0.0.1:8080/sse' } },
      { name: '127.x', server: { url: 'http://127.1.2.3/mcp' } },
      { name: 'IPv6 loopback', server: { url: 'http://[::1]:9000/mcp' } },
      { name: 'dev subdomain of localhost', server: { url: 'http://api.localhost:8787/mcp' } },
      { name: 'mcp-remote over https', server: { command: 'npx', args: ['-y', 'mcp-remote@0.1.29', 'https://mcp.example.com/sse'] } },
      { name: 'mcp-remote to localhost', server: { command: 'npx', args: ['-y', 'mcp-remote', 'http://localhost:8000/sse'] } },
      { name: 'http arg to a non-bridge', server: { command: 'node', args: ['srv.js', '--ollama', 'http://gpu-box:11434'] } },
    ],
    invalid: [
      { name: 'public http', server: { url: 'http://mcp.example.com/mcp' } },
      { name: 'public http with bearer', server: { url: 'http://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${TOKEN}' } } },
      { name: 'private network', server: { url: 'http://192.168.1.20:8080/sse' } },
      { name: 'lookalike of localhost', server: { url: 'http://localhost.evil.example/mcp' } },
      { name: 'ws', server: { url: 'ws://mcp.example.com/ws' } },
      { name: 'mcp-remote to public http', server: { command: 'npx', args: ['-y', 'mcp-remote', 'http://mcp.example.com/sse', '--allow-http'] } },
      { name: 'supergateway --sse=http', server: { command: 'npx', args: ['-y', 'supergateway', '--sse=http://mcp.example.com/sse'] } },
    ],
  },
});
