import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { RESULT_SCHEMA_VERSION } from '../../src/core/result.js';
import { renderJson } from '../../src/report/json.js';
import { redactArgs, redactUrl } from '../../src/detect/redact.js';
import { RESULT_SCHEMA, schemaErrors } from '../helpers/schema.js';
import { SAMPLE_SECRETS, sampleResult, sampleServers } from '../helpers/sample-result.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the output is walked as plain JSON here */

const schema = RESULT_SCHEMA as any;
const check = schemaErrors;

describe('JSON output and its schema', () => {
  it('the schema is a 2020-12 schema with an $id and a description on every property', () => {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.$id, 'https://warden.dev/schema/scan-result.v1.json');
    assert.equal(RESULT_SCHEMA_VERSION.split('.')[0], '1', 'schema file name and RESULT_SCHEMA_VERSION disagree on the major version');
    const missing: string[] = [];
    const walk = (node: any, path: string): void => {
      if (!node || typeof node !== 'object') return;
      for (const [name, sub] of Object.entries<any>(node.properties ?? {})) {
        if (typeof sub.description !== 'string' || sub.description === '') missing.push(`${path}/${name}`);
        walk(sub, `${path}/${name}`);
      }
      for (const [name, sub] of Object.entries<any>(node.$defs ?? {})) walk(sub, `${path}/$defs/${name}`);
      if (node.items) walk(node.items, `${path}[]`);
    };
    walk(schema, '');
    assert.deepEqual(missing, []);
  });

  it('renders pretty JSON (2 spaces, trailing newline) that validates against the schema', () => {
    const text = renderJson(sampleResult());
    assert.ok(text.endsWith('}\n'));
    assert.ok(text.startsWith('{\n  "version": '));
    const doc = JSON.parse(text);
    assert.deepEqual(Object.keys(doc), ['version', 'tool', 'scannedAt', 'target', 'inventory', 'coverage', 'findings', 'warnings', 'summary']);
    assert.deepEqual(check(doc), []);
  });

  it('renders servers in the public shape: names of env and headers, never values', () => {
    const doc = JSON.parse(renderJson(sampleResult()));
    const [github, remote, postgres] = doc.inventory.servers;
    assert.deepEqual(Object.keys(github), [
      'id', 'name', 'client', 'scope', 'transport', 'command', 'args', 'envKeys', 'headerNames', 'disabled', 'file', 'pointer', 'line', 'column',
    ]);
    assert.deepEqual(Object.keys(postgres), [
      'id', 'name', 'client', 'scope', 'transport', 'command', 'args', 'envKeys', 'cwd', 'headerNames', 'disabled', 'file', 'pointer', 'line', 'column',
    ]);
    assert.deepEqual(github.envKeys, ['GITHUB_PERSONAL_ACCESS_TOKEN', 'LOG_LEVEL']);
    assert.equal(github.env, undefined);
    assert.deepEqual(remote.headerNames, ['Authorization', 'X-Api-Key']);
    assert.equal(remote.headers, undefined);
    assert.equal(remote.url, 'https://admin:****@db.example.com/mcp?region=eu&token=samp…(31 chars)#top');
    assert.deepEqual(github.args, ['-y', '@modelcontextprotocol/server-github', '--api-key', 'sk-s…(36 chars)', '--token=samp…(36 chars)']);
    assert.deepEqual(postgres.args, ['run', '-i', '--rm', '-e', 'DB_PASSWORD=hunt…(26 chars)', 'mcp/postgres']);
  });

  it('no env, header, argument or URL credential value appears anywhere in the JSON', () => {
    const text = renderJson(sampleResult());
    for (const [name, value] of Object.entries(SAMPLE_SECRETS)) assert.ok(!text.includes(value), `${name} leaked into the JSON output`);
    // And every value the inventory holds in env or headers, whatever it is.
    for (const s of sampleServers()) {
      for (const v of [...Object.values(s.env), ...Object.values(s.headers)]) assert.ok(!text.includes(v), `value of ${s.name} leaked`);
    }
  });

  it('the schema is not vacuous', () => {
    const good = () => JSON.parse(renderJson(sampleResult()));

    const noSummary = good();
    delete noSummary.summary;
    assert.notDeepEqual(check(noSummary), []);

    const badSeverity = good();
    badSeverity.findings[0].severity = 'severe';
    assert.ok(check(badSeverity).some((e) => e.startsWith('/findings/0/severity')));

    const noFingerprint = good();
    delete noFingerprint.findings[1].fingerprint;
    assert.notDeepEqual(check(noFingerprint), []);

    const badOwasp = good();
    badOwasp.findings[0].owasp = ['ASI11'];
    assert.notDeepEqual(check(badOwasp), []);

    const relativeFile = good();
    relativeFile.findings[0].location.file = 'relative/path.json';
    assert.notDeepEqual(check(relativeFile), []);

    // The raw in-memory shape (env and header values) is not the public shape.
    const leaky = good();
    leaky.inventory.servers[0].env = { TOKEN: 'x' };
    assert.notDeepEqual(check(leaky), []);

    const badDate = good();
    badDate.scannedAt = 'yesterday';
    assert.notDeepEqual(check(badDate), []);
  });
});

describe('public inventory redaction', () => {
  it('redacts URL userinfo passwords and credential query values only', () => {
    assert.equal(redactUrl('https://user:pw@example.com/x'), 'https://user:****@example.com/x');
    assert.equal(redactUrl('https://example.com/x?q=1&api_key=abcdef123&page=2'), 'https://example.com/x?q=1&api_key=abcd…(9 chars)&page=2');
    assert.equal(redactUrl('https://example.com/x?Access-Token=abcdef123'), 'https://example.com/x?Access-Token=abcd…(9 chars)');
    assert.equal(redactUrl('https://example.com/sse'), 'https://example.com/sse');
    assert.equal(redactUrl('https://git@example.com/sse?auth='), 'https://git@example.com/sse?auth=');
  });

  it('redacts credential flags, docker env assignments, headers and URLs in args', () => {
    assert.deepEqual(redactArgs(['--api-key', 'abcdef123', '--verbose']), ['--api-key', 'abcd…(9 chars)', '--verbose']);
    assert.deepEqual(redactArgs(['--client-secret=abcdef123']), ['--client-secret=abcd…(9 chars)']);
    assert.deepEqual(redactArgs(['--token', '--other']), ['--token', '--other']);
    assert.deepEqual(redactArgs(['-e', 'API_KEY=abcdef123', '-e', 'INHERITED']), ['-e', 'API_KEY=abcd…(9 chars)', '-e', 'INHERITED']);
    assert.deepEqual(redactArgs(['--header', 'Authorization: Bearer abcdef123']), ['--header', 'Authorization: Bear…(16 chars)']);
    assert.deepEqual(redactArgs(['mcp-remote', 'https://x.example/mcp?token=abcdef123']), ['mcp-remote', 'https://x.example/mcp?token=abcd…(9 chars)']);
    assert.deepEqual(redactArgs(['--port', '8080', 'server.js']), ['--port', '8080', 'server.js']);
  });
});
