// The published JSON Schema of warden.yaml (schema/policy.v1.json) agrees with the loader: every
// preset validates against it, and what the loader rejects for shape the schema rejects too, so
// editor completion never suggests a file Warden refuses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { PRESETS } from '../../src/policy/presets.js';
import { parsePolicy } from '../../src/policy/load.js';
import { REPO } from '../helpers/cli.js';

const schema = JSON.parse(readFileSync(join(REPO, 'schema', 'policy.v1.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

describe('policy JSON Schema', () => {
  it('accepts every preset', () => {
    for (const [name, text] of Object.entries(PRESETS)) assert.ok(validate(parse(text)), `${name}: ${JSON.stringify(validate.errors)}`);
  });

  it('rejects, like the loader, unknown keys, wrong effects and kinds, a missing reason', () => {
    const bad = [
      'version: 1\nefect: deny\n',
      'version: 1\nrules:\n  - { id: a, effect: maybe, reason: r }\n',
      'version: 1\nrules:\n  - { id: a, effect: deny }\n',
      'version: 1\nrules:\n  - { id: a, effect: deny, reason: r, match: { kind: teleport } }\n',
      'version: 2\n',
    ];
    for (const text of bad) {
      assert.equal(validate(parse(text)), false, `schema accepts ${JSON.stringify(text)}`);
      assert.ok(parsePolicy('p.yaml', text).problems.length > 0, `loader accepts ${JSON.stringify(text)}`);
    }
  });

  it('describes every property, for editor completion', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n['properties']) {
        for (const [k, v] of Object.entries(n['properties'] as Record<string, Record<string, unknown>>)) {
          if (typeof v['description'] !== 'string' && typeof v['$ref'] !== 'string') missing.push(`${path}/${k}`);
          walk(v, `${path}/${k}`);
        }
      }
      for (const key of ['items', '$defs']) if (n[key]) walk(key === '$defs' ? { properties: n[key] } : n[key], `${path}/${key}`);
    };
    walk(schema, '');
    assert.deepEqual(missing, []);
  });
});
