// The secret-detection engine: every provider format with the right kind, name-based detection,
// what must not be flagged, redaction, offsets, and hostile input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { lintSource } from '@secretlint/core';
import { creator as recommendPreset, rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';
import {
  classifyNamedValue,
  namedArguments,
  redact,
  scanTextForSecrets,
  scanValuesForSecrets,
  secretNameClass,
  type SecretMatch,
} from '../../src/detect/secrets.js';
import { isPlaceholder, isVariableReference, shannonEntropy } from '../../src/detect/entropy.js';
import { SECRETLINT_KINDS } from '../../src/detect/secret-patterns.js';
import { FAKE_CREDENTIALS, FAKE_NAMED_CREDENTIALS, fakeToken } from '../../src/detect/fake-credentials.js';
import { hardcodedSecret } from '../../src/rules/hardcoded-secret.js';
import { secretInInstructions } from '../../src/rules/secret-in-instructions.js';
import { serverDecl } from '../helpers/rule-subjects.js';

const PLACEHOLDERS = [
  '<your-key>',
  '<YOUR_GITHUB_TOKEN>',
  'sk-...',
  'sk-proj-...',
  'ghp_...',
  'xxxx',
  'XXXXXXXXXXXXXXXXXXXX',
  'YOUR_API_KEY',
  'your-api-key',
  'changeme',
  'change-me',
  'your-token-here',
  '***',
  '********',
  'REPLACE_ME',
  'replace-with-your-key',
  'example',
  'example-token-123',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  '000000000000000000000000',
  'placeholder',
  'redacted',
  'dummy-secret',
  'sk-1234567890abcdef',
  'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'AKIAIOSFODNN7EXAMPLE',
];
const REFERENCES = [
  '${VAR}',
  '${GITHUB_TOKEN}',
  '${env:GITHUB_TOKEN}',
  '$VAR',
  '$GITHUB_TOKEN',
  '$env:GITHUB_TOKEN',
  '{env:GITHUB_TOKEN}',
  '%GITHUB_TOKEN%',
  '${input:github_token}',
  '${{ secrets.GITHUB_TOKEN }}',
  '{{ github_token }}',
  '$(security find-generic-password -s gh -w)',
  'op://Engineering/GitHub/token',
];
const ORDINARY = ['true', 'false', 'us-east-1', 'europe-west4-a', '/usr/bin', '/home/me/.ssh/id_ed25519', 'C:\\keys\\id', 'info', '8080', '3.2.1', 'https://api.example.com/v1', 'me@example.com'];

function kinds(matches: readonly SecretMatch[]): string[] {
  return matches.map((m) => m.kind);
}

describe('provider formats', () => {
  for (const c of FAKE_CREDENTIALS) {
    it(`finds ${c.label} in text as "${c.kind}"`, async () => {
      const text = `Some notes.\nThe key for staging is ${c.value} (rotate monthly).\n`;
      const matches = await scanTextForSecrets(text);
      const m = matches.find((x) => x.kind === c.kind);
      assert.ok(m, `found ${JSON.stringify(kinds(matches))}`);
      assert.equal(m.basis, 'format');
      // The reported span is the secret (or the password part of a URL), inside the value.
      const start = text.indexOf(c.value);
      assert.ok(m.offset >= start && m.offset + m.length <= start + c.value.length, 'span inside the credential');
      assert.equal(m.redacted, redact(text.slice(m.offset, m.offset + m.length)));
    });
    it(`finds ${c.label} as a value`, async () => {
      const matches = await scanValuesForSecrets([{ name: 'LOG_LEVEL', value: 'info' }, { name: c.envName, value: c.value }]);
      assert.ok(
        matches.some((m) => m.index === 1 && m.kind === c.kind),
        JSON.stringify(matches),
      );
    });
  }

  it('rates provider keys critical and weaker formats high', async () => {
    const jwt = FAKE_CREDENTIALS.find((c) => c.kind === 'JSON Web Token')!.value;
    const gh = FAKE_CREDENTIALS.find((c) => c.kind === 'GitHub token')!.value;
    const [a] = await scanTextForSecrets(gh);
    const [b] = await scanTextForSecrets(jwt);
    assert.equal(a?.severity, 'critical');
    assert.equal(b?.severity, 'high');
  });

  it('names every message secretlint can report', () => {
    for (const rule of presetRules) {
      for (const id of Object.keys((rule as { messages?: object }).messages ?? {})) {
        if (id === 'IGNORE_MESSAGE') continue;
        assert.ok(SECRETLINT_KINDS[id], `secretlint message ${id} of ${rule.meta.id} has no kind`);
      }
    }
  });

  it('sees everything secretlint sees: the keyword prefilter drops nothing', async () => {
    // Credentials embedded in long, mostly clean text, so the prefilter has real work to do.
    const filler = 'Run the tests, then open a pull request. See https://docs.example.com for more.\n'.repeat(40);
    const text = FAKE_CREDENTIALS.map((c, i) => `${filler}line ${i}: ${c.envName}=${c.value}\n`).join('');
    const direct = await lintSource({
      source: { content: text, filePath: 'warden-input.txt', ext: '.txt', contentType: 'text' },
      options: { config: { rules: [{ id: recommendPreset.meta.id, rule: recommendPreset }] }, maskSecrets: true },
    });
    const ours = await scanTextForSecrets(text);
    for (const msg of direct.messages) {
      const [start, end] = msg.range;
      const covered = ours.some((m) => m.offset < end && start < m.offset + m.length);
      assert.ok(covered, `secretlint ${msg.messageId} at ${start} not reported`);
    }
  });

  it('is not switched off by secretlint-disable comments in the scanned text', async () => {
    const gh = FAKE_CREDENTIALS.find((c) => c.kind === 'GitHub token')!.value;
    const matches = await scanTextForSecrets(`<!-- secretlint-disable -->\n${gh}\n`);
    assert.deepEqual(kinds(matches), ['GitHub token']);
  });
});

describe('name-based detection', () => {
  for (const c of FAKE_NAMED_CREDENTIALS) {
    it(`recognises ${c.label} by its name`, async () => {
      const [m] = await scanValuesForSecrets([{ name: c.envName, value: c.value }]);
      assert.equal(m?.kind, c.kind);
      assert.equal(m?.severity, 'critical');
      assert.equal(m?.basis, 'name');
    });
  }

  const named: Array<[string, string, string]> = [
    ['GITHUB_TOKEN', fakeToken(30, undefined, 300), 'token'],
    ['DB_PASSWORD', 'hunter2024', 'password'],
    ['PGPASSWORD', 'S3cr3t!pw', 'password'],
    ['apiKey', fakeToken(24, undefined, 301), 'API key'],
    ['x-api-key', fakeToken(24, undefined, 302), 'API key'],
    ['client_secret', fakeToken(30, undefined, 303), 'secret'],
    ['OPENAI_API_KEY_PROD', fakeToken(40, undefined, 304), 'API key'],
    ['API_KEY', '3f2b8c1e-9d4a-4e7b-a1c6-5b0f2e8d7c43', 'API key'],
  ];
  for (const [name, value, kind] of named) {
    it(`flags ${name} with a random value as ${kind}, severity high`, () => {
      const m = classifyNamedValue(name, value);
      assert.equal(m?.kind, kind);
      assert.equal(m?.severity, 'high');
      assert.equal(m?.offset, 0);
      assert.equal(m?.length, value.length);
    });
  }

  it('takes the auth scheme off an Authorization value', () => {
    const token = fakeToken(40, undefined, 305);
    const m = classifyNamedValue('Authorization', `Bearer ${token}`);
    assert.equal(m?.offset, 'Bearer '.length);
    assert.equal(m?.length, token.length);
    assert.ok(classifyNamedValue('Authorization', `Basic ${Buffer.from('deploy:Zq8xP2mv7Lk').toString('base64')}`));
  });

  it('ignores ordinary values, placeholders, references and empty values under secret names', () => {
    for (const v of [...ORDINARY, ...PLACEHOLDERS, ...REFERENCES, '', '   ', 'Bearer ${TOKEN}', 'Bearer $TOKEN', 'oauth', 'ctrl+shift+p', 'editor.action.formatDocument']) {
      for (const name of ['GITHUB_TOKEN', 'API_KEY', 'PASSWORD', 'Authorization', 'client_secret']) {
        assert.equal(classifyNamedValue(name, v), undefined, `${name}=${JSON.stringify(v)}`);
      }
    }
  });

  it('reads names: which say secret and which do not', () => {
    const secret: Record<string, string> = {
      GITHUB_PERSONAL_ACCESS_TOKEN: 'token',
      ANTHROPIC_AUTH_TOKEN: 'token',
      accessToken: 'token',
      GITHUB_PAT: 'token',
      OPENAI_API_KEY: 'key',
      'X-API-Key': 'key',
      apiKey: 'key',
      APIKEY: 'key',
      AWS_SECRET_ACCESS_KEY: 'key',
      clientSecret: 'secret',
      DB_PASSWORD: 'password',
      PGPASSWORD: 'password',
      SMTP_PASS: 'password',
      Authorization: 'authorization',
      'Proxy-Authorization': 'authorization',
      Cookie: 'authorization',
      GOOGLE_APPLICATION_CREDENTIALS: 'credential',
      API_KEY_PROD: 'key',
      TOKEN_2: 'token',
    };
    for (const [name, cls] of Object.entries(secret)) assert.equal(secretNameClass(name), cls, name);
    for (const name of ['LOG_LEVEL', 'TOKEN_URL', 'SSH_KEY_PATH', 'PUBLIC_KEY', 'STRIPE_PUBLISHABLE_KEY', 'MAX_TOKENS', 'MAX_TOKEN', 'apiKeyHelper', 'KEYBOARD', 'monkey', 'PRIMARY_KEY', 'PASSWORD_FILE', 'AWS_ACCESS_KEY_ID', 'path', 'pattern']) {
      assert.equal(secretNameClass(name), undefined, name);
    }
  });

  it('finds NAME=value, "name": "value" and headers in text', async () => {
    const token = fakeToken(32, undefined, 306);
    for (const text of [
      `export API_TOKEN=${token}`,
      `{"env": {"SERVICE_API_KEY": "${token}"}}`,
      `api_key: ${token}`,
      `curl -H "Authorization: Bearer ${token}" https://x.example.com`,
      `https://api.example.com/v1/search?q=mcp&apikey=${token}`,
      `node server.js --api-key=${token}`,
    ]) {
      const matches = await scanTextForSecrets(text);
      assert.equal(matches.length, 1, text);
      assert.equal(text.slice(matches[0]!.offset, matches[0]!.offset + matches[0]!.length), token, text);
    }
  });

  it('leaves prose and code alone', async () => {
    const text = [
      'Key points: keep tokens short (max_tokens: 1024).',
      'The secret to good tests is isolation; pass the token through the environment.',
      'const apiKey = process.env.OPENAI_API_KEY;',
      'token: ${{ secrets.GITHUB_TOKEN }}',
      'password: ${DB_PASSWORD}',
      'api_key: your OpenAI key goes here',
      'key: os.environ["KEY"]',
      'Use the primary key, not the name. Authorization: Bearer <token>',
      'postgres://user:password@localhost:5432/app and postgres://postgres:postgres@localhost/dev',
      'mongodb://app:${MONGO_PASSWORD}@db.example.com/app',
    ].join('\n');
    assert.deepEqual(await scanTextForSecrets(text), []);
  });

  it('names arguments by their flag or their own shape', () => {
    const args = ['-y', 'pkg', '--api-key=abc', '--token', 'tok', '-e', 'GITHUB_TOKEN=xyz', '--header', 'Authorization: Bearer q', 'https://h.example.com:8443/x'];
    const named = namedArguments(args).map((a) => [a.index, a.name, a.value, a.offset]);
    assert.deepEqual(named, [
      [0, undefined, '-y', 0],
      [1, 'y', 'pkg', 0],
      [2, 'api-key', 'abc', 10],
      [3, undefined, '--token', 0],
      [4, 'token', 'tok', 0],
      [5, undefined, '-e', 0],
      [6, 'GITHUB_TOKEN', 'xyz', 13],
      [7, undefined, '--header', 0],
      [8, 'Authorization', 'Bearer q', 15],
      [9, undefined, 'https://h.example.com:8443/x', 0],
    ]);
  });
});

describe('what is not a secret', () => {
  it('recognises placeholders and references', () => {
    for (const v of PLACEHOLDERS) assert.ok(isPlaceholder(v) || isVariableReference(v), v);
    for (const v of REFERENCES) assert.ok(isVariableReference(v), v);
    for (const c of [...FAKE_CREDENTIALS, ...FAKE_NAMED_CREDENTIALS]) assert.ok(!isVariableReference(c.value) && !isPlaceholder(c.value, false), c.label);
  });

  it('flags no placeholder, reference or empty value, in text or as values', async () => {
    for (const v of [...PLACEHOLDERS, ...REFERENCES, '']) {
      const values = [{ name: 'GITHUB_TOKEN', value: v }, { name: 'OPENAI_API_KEY', value: v }, { name: 'Authorization', value: `Bearer ${v}` }, { value: v }];
      assert.deepEqual(await scanValuesForSecrets(values), [], JSON.stringify(v));
      assert.deepEqual(await scanTextForSecrets(`export GITHUB_TOKEN=${v}\nOPENAI_API_KEY: "${v}"\n`), [], JSON.stringify(v));
    }
  });

  it('keeps its entropy measure honest', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.ok(shannonEntropy(fakeToken(40)) > 4);
  });
});

describe('redaction', () => {
  it('never shows more than the first 4 characters, in matches or in rule output', async () => {
    for (const c of [...FAKE_CREDENTIALS, ...FAKE_NAMED_CREDENTIALS]) {
      const text = `${c.envName}=${c.value}`;
      const matches = await scanTextForSecrets(text);
      const hits = [
        ...(await hardcodedSecret.checkServer!({ server: serverDecl({ name: 'svc', env: { [c.envName]: c.value } }), allServerNames: new Set(['svc']) })),
        ...(await secretInInstructions.checkInstruction!({ path: '/repo/CLAUDE.md', kind: 'claude-md', scope: 'project', text })),
      ];
      assert.ok(hits.length > 0, c.label);
      const shown = [...matches.map((m) => m.redacted), ...hits.map((h) => `${h.message} ${h.evidence ?? ''}`)];
      for (const m of matches) {
        const secret = text.slice(m.offset, m.offset + m.length);
        assert.equal(m.redacted, `${secret.slice(0, 4)}…(${secret.length} chars)`);
        // No 5-character stretch of the secret's random part appears anywhere in what is shown.
        // (Stretches with a digit and a letter: the public parts, like "sk-ant-admin01-",
        // "/api/webhooks/" or "PRIVATE KEY", are words.)
        for (let i = 4; i + 5 <= secret.length; i += 1) {
          const piece = secret.slice(i, i + 5);
          if (!/\d/.test(piece) || !/[A-Za-z]/.test(piece)) continue;
          for (const s of shown) assert.ok(!s.includes(piece), `${c.label}: "${s}" shows part of the secret`);
        }
      }
    }
  });
});

describe('offsets and windows', () => {
  it('maps offsets back through the keyword prefilter, on short and very long lines', async () => {
    const gh = FAKE_CREDENTIALS.find((c) => c.kind === 'GitHub token')!.value;
    const ak = FAKE_CREDENTIALS.find((c) => c.kind === 'Anthropic API key')!.value;
    const pad = 'lorem ipsum dolor sit amet '.repeat(500);
    const text = `${pad}\nfirst ${gh}\n${pad}\n${pad}${ak} ${pad}\n{"password": "Zq8${fakeToken(12, undefined, 307)}"}`;
    const matches = await scanTextForSecrets(text);
    assert.deepEqual(kinds(matches), ['GitHub token', 'Anthropic API key', 'password']);
    assert.equal(text.slice(matches[0]!.offset, matches[0]!.offset + matches[0]!.length), gh);
    assert.equal(text.slice(matches[1]!.offset, matches[1]!.offset + matches[1]!.length), ak);
  });

  it('reports value-relative offsets and never a match across two values', async () => {
    const gh = FAKE_CREDENTIALS.find((c) => c.kind === 'GitHub token')!.value;
    const matches = await scanValuesForSecrets([{ value: 'abc' }, { value: `x ${gh}` }, { value: gh.slice(0, 20) }, { value: gh.slice(20) }]);
    assert.deepEqual(
      matches.map((m) => [m.index, m.offset, m.length]),
      [[1, 2, gh.length]],
    );
  });
});

describe('hostile input', () => {
  const bounded = async (label: string, text: string): Promise<void> => {
    const t0 = performance.now();
    await scanTextForSecrets(text);
    const ms = performance.now() - t0;
    assert.ok(ms < 5000, `${label}: ${ms.toFixed(0)} ms`);
  };

  it('handles a 5 MB single-line string', () => bounded('5 MB line', 'a1b2c3d4 '.repeat(560_000)));
  it('handles a 5 MB line dense with keywords', () =>
    bounded('5 MB keywords', 'sk-ghp_ token=key:password=Bearer xoxb-1-2 ://u:p@h eyJ.'.repeat(90_000)));
  it('handles repeated assignments without re-reading values', () => bounded('assignments', 'password='.repeat(500_000)));
  it('handles invalid UTF-8 decoded to replacement characters', async () => {
    const gh = FAKE_CREDENTIALS.find((c) => c.kind === 'GitHub token')!.value;
    const text = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(` ${gh} `), Buffer.alloc(100_000, 0xff)]).toString('utf8');
    assert.ok(text.includes('\uFFFD'));
    assert.deepEqual(kinds(await scanTextForSecrets(text)), ['GitHub token']);
  });
  it('handles deeply nested JSON as text', () => bounded('deep JSON', '{"a":'.repeat(200_000) + '"API_KEY"' + '}'.repeat(200_000)));
  it('bounds the number of matches', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => `ghp_${fakeToken(36, undefined, 1000 + i)}`).join('\n');
    const matches = await scanTextForSecrets(many);
    assert.ok(matches.length > 0 && matches.length <= 1000);
  });
  it('does not accumulate secretlint profiler marks across calls', async () => {
    const gh = FAKE_CREDENTIALS.find((c) => c.kind === 'GitHub token')!.value;
    for (let i = 0; i < 50; i++) await scanTextForSecrets(gh);
    assert.equal(performance.getEntriesByType('mark').length, 0);
  });
});
