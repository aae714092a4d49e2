// A config file that holds a credential and that other local users can read leaks the credential
// to every account and service on the machine (shared hosts, CI runners, containers with the home
// mounted). File modes are unknown on Windows (mode 0), where the rule says nothing.
import { basename } from 'node:path';
import { defineRule, type HitAt } from './rule.js';
import type { ConfigDocument, PathSegment } from '../parse/document.js';
import { scanTextForSecrets } from '../detect/secrets.js';

/**
 * The config value holding a secret found at `offset` in the text, so the finding sits on the
 * secret's own line: a string leaf that contains the secret (up to its first escape) and is written
 * on that line. Falls back to the offset when the format hides the value (a multi-line string).
 */
function secretAt(doc: ConfigDocument, offset: number, length: number): HitAt {
  const raw = doc.text.slice(offset, offset + length);
  const needle = raw.split('\\')[0]!.length >= 8 ? raw.split('\\')[0]! : raw;
  const line = doc.text.slice(0, offset).split('\n').length;
  const candidates: PathSegment[][] = [];
  const walk = (node: unknown, path: PathSegment[], depth: number) => {
    if (depth > 32) return;
    if (typeof node === 'string') {
      if (node.includes(needle)) candidates.push(path);
    } else if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...path, i], depth + 1));
    else if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) walk(v, [...path, k], depth + 1);
  };
  walk(doc.data, [], 0);
  const onLine = candidates.find((p) => doc.locate(p).line === line) ?? (candidates.length === 1 ? candidates[0] : undefined);
  return onLine ? { path: onLine } : { offset, length };
}

const GROUP_READ = 0o040;
const OTHER_READ = 0o004;

export const worldReadableSecrets = defineRule({
  meta: {
    id: 'world-readable-secrets',
    title: 'Config file with secrets is readable by other users',
    description:
      'A client config file holds a credential (an API key, token or private key) and its permissions let other users of the machine read it (group- or world-readable).',
    severity: 'high',
    category: 'privilege',
    owasp: ['ASI03'],
    remediation:
      'Restrict the file to its owner (`chmod 600 <file>`), and move the credential out of it: reference an environment variable or the OS keychain instead of pasting the value into the config.',
  },
  async checkConfig({ doc, mode }) {
    if (mode === 0 || (mode & (GROUP_READ | OTHER_READ)) === 0) return [];
    const world = (mode & OTHER_READ) !== 0;
    const who = world ? 'every user on this machine' : "members of the file's group";
    const perms = (mode & 0o777).toString(8).padStart(3, '0');
    const secrets = await scanTextForSecrets(doc.text);
    return secrets.map((s) => ({
      message: `${basename(doc.path)} holds a credential (${s.kind}) and is readable by ${who} (mode ${perms})`,
      evidence: s.redacted,
      severity: world ? 'high' : 'medium',
      at: secretAt(doc, s.offset, s.length),
      key: `${s.detector}:${s.offset}`,
    }));
  },
  cases: {
    valid: [
      { name: 'owner-only file with a key', config: { client: 'claude-desktop', format: 'json', mode: 0o600, text: '{"mcpServers":{"x":{"command":"x","env":{"ANTHROPIC_API_KEY":"sk-ant-api03-' + 'A1b2C3d4E5f6G7h8I9j0'.repeat(4) + 'AA"}}}}' } },
      { name: 'unknown mode (Windows)', config: { client: 'claude-desktop', format: 'json', mode: 0, text: '{"mcpServers":{"x":{"command":"x","env":{"ANTHROPIC_API_KEY":"sk-ant-api03-' + 'A1b2C3d4E5f6G7h8I9j0'.repeat(4) + 'AA"}}}}' } },
      { name: 'world-readable without secrets', config: { client: 'cursor', format: 'json', mode: 0o644, text: '{"mcpServers":{"x":{"command":"npx","args":["-y","x"],"env":{"TOKEN":"${env:TOKEN}"}}}}' } },
    ],
    invalid: [
      // Passes once the secret engine (detect/secrets.ts) recognises Anthropic keys and PEM private keys.
      {
        name: 'world-readable with an Anthropic key and a private key',
        config: {
          client: 'claude-desktop',
          format: 'json',
          mode: 0o644,
          text:
            '{"mcpServers":{"x":{"command":"x","env":{"ANTHROPIC_API_KEY":"sk-ant-api03-' +
            'A1b2C3d4E5f6G7h8I9j0'.repeat(4) +
            'AA","SSH_KEY":"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\\nQyNTUxOQAAACDhQ0G2kXl1Yl0gk8qvYk3i9yCzIuC4sN0f4yqF1d8c3AAAAJgHk6y4B5Ot\\n-----END OPENSSH PRIVATE KEY-----"}}}}',
        },
      },
    ],
  },
});
