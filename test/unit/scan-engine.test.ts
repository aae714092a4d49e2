// The scan engine with a rule of the test's own: locations, fingerprints, suppressions, gates.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { scan, failsGate } from '../../src/scan/scan.js';
import { defineRule, type Rule } from '../../src/rules/rule.js';
import { tempDir } from '../helpers/cli.js';

const flagEnvFoo: Rule = defineRule({
  meta: { id: 'test-env-foo', title: 'env FOO', description: 'd', severity: 'high', category: 'config', owasp: ['ASI03'], remediation: 'r' },
  checkServer: ({ server }) => Object.keys(server.env).filter((k) => k === 'FOO').map((key) => ({ message: `FOO on ${server.name}`, at: { field: 'env', key } })),
  checkInstruction: ({ text }) => {
    const i = text.indexOf('BAD');
    return i === -1 ? [] : [{ message: 'BAD word', at: { offset: i, length: 3 } }];
  },
  cases: { valid: [], invalid: [] },
});

function put(root: string, rel: string, content: string) {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

const MCP = '{\n  "mcpServers": {\n    "a": {\n      "command": "x",\n      "env": {\n        "BAR": "1",\n        "FOO": "2"\n      }\n    }\n  }\n}\n';

describe('scan engine', () => {
  it('locates a hit at the value\'s own line and pointer, and in text by offset', async () => {
    const proj = tempDir();
    put(proj, '.mcp.json', MCP);
    put(proj, 'CLAUDE.md', '# x\n\nthis is BAD\n');
    const r = await scan({ homes: [], projects: [proj], systemRoot: null, rules: [flagEnvFoo] });
    const f = r.findings.find((x) => x.location.server === 'a')!;
    assert.equal(f.location.line, 7);
    assert.equal(f.location.column, 9);
    assert.equal(f.location.pointer, '/mcpServers/a/env/FOO');
    assert.equal(f.location.client, 'claude-code');
    const t = r.findings.find((x) => x.message === 'BAD word')!;
    assert.deepEqual([t.location.line, t.location.column], [3, 9]);
    assert.equal(r.summary.findings.high, 2);
    assert.equal(failsGate(r, 'high'), true);
    assert.equal(failsGate(r, 'critical'), false);
  });

  it('gives the same fingerprint when the tree moves, and a different one for another place', async () => {
    const a = tempDir();
    put(a, 'repo/.mcp.json', MCP);
    const b = tempDir();
    cpSync(join(a, 'repo'), join(b, 'moved'), { recursive: true });
    put(b, 'moved/sub/.mcp.json', MCP);
    const ra = await scan({ homes: [], projects: [join(a, 'repo')], systemRoot: null, rules: [flagEnvFoo] });
    const rb = await scan({ homes: [], projects: [join(b, 'moved')], systemRoot: null, rules: [flagEnvFoo] });
    assert.equal(ra.findings.length, 1);
    assert.equal(rb.findings.length, 2);
    const fps = rb.findings.map((f) => f.fingerprint);
    assert.ok(fps.includes(ra.findings[0]!.fingerprint));
    assert.notEqual(fps[0], fps[1]);
  });

  it('applies inline suppressions with a reason and keeps the finding, marked', async () => {
    const proj = tempDir();
    put(proj, '.mcp.json', MCP.replace('"FOO": "2"', '"FOO": "2" // warden-ignore test-env-foo -- fixture value'));
    const r = await scan({ homes: [], projects: [proj], systemRoot: null, rules: [flagEnvFoo] });
    assert.equal(r.findings.length, 1);
    assert.deepEqual(r.findings[0]!.suppressed, { reason: 'fixture value', source: `${join(proj, '.mcp.json')}:7` });
    assert.equal(r.summary.suppressed, 1);
    assert.equal(r.summary.findings.high, 0);
    assert.equal(failsGate(r, 'low'), false);
  });
});

describe('scan engine redaction', () => {
  it('redacts credentials in URLs quoted by any rule\'s message or evidence', async () => {
    const leaky: Rule = defineRule({
      meta: { id: 'test-leaky', title: 't', description: 'd', severity: 'low', category: 'config', owasp: ['ASI03'], remediation: 'r' },
      checkInstruction: () => [{ message: 'fetches https://user:hunter2secret@x.example/a?token=abcdef123456', evidence: 'curl https://x.example/?api_key=zzzz9999yyyy', at: { offset: 0 } }],
      cases: { valid: [], invalid: [] },
    });
    const proj = tempDir();
    put(proj, 'AGENTS.md', 'x\n');
    const r = await scan({ homes: [], projects: [proj], systemRoot: null, rules: [leaky] });
    const text = JSON.stringify(r.findings);
    assert.ok(!text.includes('hunter2secret') && !text.includes('abcdef123456') && !text.includes('zzzz9999yyyy'), text);
    assert.match(r.findings[0]!.message, /user:\*\*\*\*@x\.example/);
  });
});

describe('scan engine without inline suppressions', () => {
  it('reports findings a repository suppressed itself', async () => {
    const proj = tempDir();
    put(proj, '.mcp.json', MCP.replace('"FOO": "2"', '"FOO": "2" // warden-ignore all -- trust me'));
    const r = await scan({ homes: [], projects: [proj], systemRoot: null, rules: [flagEnvFoo], inlineSuppressions: false });
    assert.equal(r.findings[0]!.suppressed, undefined);
    assert.equal(r.summary.findings.high, 1);
  });
});
