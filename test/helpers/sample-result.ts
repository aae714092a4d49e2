// A realistic ScanResult built in code, for renderer tests (JSON, SARIF, table, ...). It holds
// the awkward cases on purpose: a project path with spaces, non-ASCII, `#` and `%`; a finding
// with no line; one with no file at all (a whole server); a suppressed one; an info one; and
// credentials in env, headers, args and a URL that no report may print (SAMPLE_SECRETS).
import { createHash } from 'node:crypto';
import type { ScanResult } from '../../src/core/result.js';
import { RESULT_SCHEMA_VERSION } from '../../src/core/result.js';
import type { Finding, Location, ServerDecl, Severity } from '../../src/core/types.js';
import { SEVERITIES } from '../../src/core/types.js';
import { redact } from '../../src/detect/redact.js';

export const SAMPLE_HOME = '/home/dev';
/** A project root no URI can carry unencoded. */
export const SAMPLE_PROJECT = '/home/dev/My Projects/café #1 100%';

/** Values that appear in the sample inventory and must never appear in any report. */
export const SAMPLE_SECRETS = {
  envGithubToken: 'ghp_SampleEnvValue0123456789abcdefABCD',
  envDbPassword: 'hunter2-sample-db-password',
  headerAuthorization: 'Bearer sample-header-value-9f8e7d6c5b4a',
  headerApiKey: 'sample-x-api-key-value-1a2b3c4d',
  argApiKey: 'sk-sample-arg-api-key-00112233445566',
  argToken: 'sample-inline-arg-token-aabbccddeeff',
  urlPassword: 's3cr3t-url-password',
  urlToken: 'sample-query-token-value-778899',
} as const;

export function fingerprintOf(ruleId: string, loc: Location, key = ''): string {
  return createHash('sha256')
    .update([ruleId, loc.file ?? '', loc.pointer ?? '', loc.client ?? '', loc.server ?? '', loc.tool ?? '', key].join('\0'))
    .digest('hex')
    .slice(0, 32);
}

function finding(f: Omit<Finding, 'fingerprint'> & { key?: string }): Finding {
  const { key, ...rest } = f;
  return { ...rest, fingerprint: fingerprintOf(f.ruleId, f.location, key) };
}

export function sampleServers(): ServerDecl[] {
  return [
    {
      id: `claude-code:${SAMPLE_HOME}/.claude.json:github`,
      name: 'github',
      client: 'claude-code',
      scope: 'user',
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-github', '--api-key', SAMPLE_SECRETS.argApiKey, `--token=${SAMPLE_SECRETS.argToken}`],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: SAMPLE_SECRETS.envGithubToken, LOG_LEVEL: 'debug' },
      headers: {},
      disabled: false,
      file: `${SAMPLE_HOME}/.claude.json`,
      pointer: '/mcpServers/github',
      line: 4,
      column: 5,
    },
    {
      id: `cursor:${SAMPLE_PROJECT}/.cursor/mcp.json:remote-db`,
      name: 'remote-db',
      client: 'cursor',
      scope: 'project',
      transport: 'http',
      args: [],
      env: {},
      url: `https://admin:${SAMPLE_SECRETS.urlPassword}@db.example.com/mcp?region=eu&token=${SAMPLE_SECRETS.urlToken}#top`,
      headers: { Authorization: SAMPLE_SECRETS.headerAuthorization, 'X-Api-Key': SAMPLE_SECRETS.headerApiKey },
      disabled: false,
      file: `${SAMPLE_PROJECT}/.cursor/mcp.json`,
      pointer: '/mcpServers/remote-db',
      line: 3,
      column: 5,
    },
    {
      id: `vscode:${SAMPLE_PROJECT}/.vscode/mcp.json:postgres`,
      name: 'postgres',
      client: 'vscode',
      scope: 'project',
      transport: 'stdio',
      command: 'docker',
      args: ['run', '-i', '--rm', '-e', `DB_PASSWORD=${SAMPLE_SECRETS.envDbPassword}`, 'mcp/postgres'],
      env: { DB_PASSWORD: SAMPLE_SECRETS.envDbPassword },
      cwd: `${SAMPLE_PROJECT}/tools`,
      headers: {},
      disabled: true,
      file: `${SAMPLE_PROJECT}/.vscode/mcp.json`,
      pointer: '/servers/postgres',
      line: 2,
      column: 3,
    },
  ];
}

export function sampleFindings(): Finding[] {
  return [
    finding({
      ruleId: 'secret-in-env',
      category: 'secret',
      severity: 'critical',
      owasp: ['ASI03'],
      title: 'Hard-coded credential in server environment',
      message: 'GITHUB_PERSONAL_ACCESS_TOKEN holds a GitHub personal access token in plain text.',
      location: {
        file: `${SAMPLE_HOME}/.claude.json`,
        line: 8,
        column: 41,
        pointer: '/mcpServers/github/env/GITHUB_PERSONAL_ACCESS_TOKEN',
        client: 'claude-code',
        server: 'github',
      },
      evidence: redact(SAMPLE_SECRETS.envGithubToken),
      remediation: 'Move the token to a secret store or an environment variable the client inherits, and rotate it.',
    }),
    finding({
      ruleId: 'secret-in-header',
      category: 'secret',
      severity: 'high',
      owasp: ['ASI03'],
      title: 'Hard-coded credential in server headers',
      message: 'The Authorization header of remote-db holds a bearer token in plain text.',
      location: {
        file: `${SAMPLE_PROJECT}/.cursor/mcp.json`,
        line: 6,
        column: 26,
        pointer: '/mcpServers/remote-db/headers/Authorization',
        client: 'cursor',
        server: 'remote-db',
      },
      evidence: redact(SAMPLE_SECRETS.headerAuthorization),
      remediation: 'Reference the token through an input variable or environment variable instead of the config file.',
    }),
    finding({
      ruleId: 'unpinned-package',
      category: 'supply-chain',
      severity: 'medium',
      owasp: ['ASI04'],
      title: 'Server package is not pinned to a version',
      message: 'npx runs @modelcontextprotocol/server-github without a version: every start may fetch new code.',
      // No file at all: the location names the server, the renderer finds its declaration.
      location: { client: 'claude-code', server: 'github' },
      remediation: 'Pin the package to an exact version (`@modelcontextprotocol/server-github@1.2.3`).',
    }),
    finding({
      ruleId: 'instruction-hidden-text',
      category: 'injection',
      severity: 'low',
      owasp: ['ASI01', 'ASI06'],
      title: 'Instruction file contains invisible characters',
      message: 'AGENTS.md contains zero-width characters that a reviewer cannot see.',
      // A file without a line.
      location: { file: `${SAMPLE_PROJECT}/docs/agents guide/AGENTS ü.md` },
      evidence: 'U+200B ×3',
      remediation: 'Remove the invisible characters and review the surrounding text.',
    }),
    finding({
      ruleId: 'server-disabled',
      category: 'config',
      severity: 'info',
      owasp: [],
      title: 'Server is declared but disabled',
      message: 'postgres is disabled in VS Code; it is listed for inventory only.',
      location: { file: `${SAMPLE_PROJECT}/.vscode/mcp.json`, line: 2, column: 3, pointer: '/servers/postgres', client: 'vscode', server: 'postgres' },
      remediation: 'Remove the declaration if the server is no longer used.',
    }),
    finding({
      ruleId: 'docker-env-secret',
      category: 'secret',
      severity: 'high',
      owasp: ['ASI03'],
      title: 'Credential passed on the command line',
      message: 'docker -e passes DB_PASSWORD in the server arguments, visible in process listings.',
      location: { file: `${SAMPLE_PROJECT}/.vscode/mcp.json`, line: 5, column: 44, pointer: '/servers/postgres/args/4', client: 'vscode', server: 'postgres' },
      evidence: redact(SAMPLE_SECRETS.envDbPassword),
      remediation: 'Pass the variable name only (`-e DB_PASSWORD`) and set its value in env.',
      suppressed: { reason: 'Local throwaway database used only in tests', source: `${SAMPLE_PROJECT}/.wardenignore` },
    }),
    finding({
      ruleId: 'secret-in-env',
      category: 'secret',
      severity: 'critical',
      owasp: ['ASI03'],
      title: 'Hard-coded credential in server environment',
      message: 'DB_PASSWORD holds a password in plain text.',
      location: { file: `${SAMPLE_PROJECT}/.vscode/mcp.json`, line: 7, column: 24, pointer: '/servers/postgres/env/DB_PASSWORD', client: 'vscode', server: 'postgres' },
      evidence: redact(SAMPLE_SECRETS.envDbPassword),
      remediation: 'Move the password to a secret store and rotate it.',
      // The scan engine names an inline suppression by file and line of its comment.
      suppressed: { reason: 'Accepted: rotated weekly by CI', source: `${SAMPLE_PROJECT}/.vscode/mcp.json:6` },
    }),
  ];
}

/** A complete, consistent ScanResult. `overrides` replaces top-level keys. */
export function sampleResult(overrides: Partial<ScanResult> = {}): ScanResult {
  const servers = sampleServers();
  const findings = overrides.findings ?? sampleFindings();
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (!f.suppressed) counts[f.severity]++;
  const clients = [
    { id: 'claude-code', name: 'Claude Code', installed: true, version: '2.1.4', configFiles: [`${SAMPLE_HOME}/.claude.json`] },
    { id: 'cursor', name: 'Cursor', installed: true, configFiles: [`${SAMPLE_PROJECT}/.cursor/mcp.json`] },
    { id: 'vscode', name: 'Visual Studio Code', installed: false, configFiles: [`${SAMPLE_PROJECT}/.vscode/mcp.json`] },
  ];
  const instructionFiles = [
    {
      path: `${SAMPLE_PROJECT}/docs/agents guide/AGENTS ü.md`,
      kind: 'agents-md' as const,
      scope: 'project' as const,
      clients: ['cursor', 'vscode'],
      bytes: 2048,
      sha256: createHash('sha256').update('sample agents file').digest('hex'),
    },
  ];
  return {
    version: RESULT_SCHEMA_VERSION,
    tool: { name: 'warden', version: '0.1.0' },
    scannedAt: '2026-11-23T10:00:00.000Z',
    target: { home: SAMPLE_HOME, os: ['linux'], projects: [SAMPLE_PROJECT] },
    inventory: { clients, servers, instructionFiles },
    coverage: [
      { client: 'claude-code', scope: 'user', os: ['linux'], path: `${SAMPLE_HOME}/.claude.json`, status: 'found' },
      { client: 'cursor', scope: 'user', os: ['linux'], path: `${SAMPLE_HOME}/.cursor/mcp.json`, status: 'not-present' },
      { client: 'cursor', scope: 'project', os: ['linux'], path: `${SAMPLE_PROJECT}/.cursor/mcp.json`, status: 'found' },
      {
        client: 'windsurf',
        scope: 'user',
        os: ['linux'],
        path: `${SAMPLE_HOME}/.codeium/windsurf/mcp_config.json`,
        status: 'parse-error',
        detail: 'Unexpected token at line 3, column 7',
      },
    ],
    findings,
    warnings: [
      { file: `${SAMPLE_HOME}/.codeium/windsurf/mcp_config.json`, message: 'Could not parse: unexpected token at line 3, column 7.' },
      { message: 'Skipped managed scope: no permission to read /etc/claude-code.' },
    ],
    summary: {
      clients: clients.filter((c) => c.installed).length,
      servers: servers.length,
      instructionFiles: instructionFiles.length,
      findings: counts,
      suppressed: findings.filter((f) => f.suppressed).length,
      filesRead: 5,
      durationMs: 42,
    },
    ...overrides,
  };
}
