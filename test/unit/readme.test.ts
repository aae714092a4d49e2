// The README's reference tables must be what the code does (regenerate with scripts/update-readme.mjs).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/cli.js';
import { renderClientsMarkdown, renderRulesMarkdown, replaceSection } from '../../src/report/reference-docs.js';

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

it('README rule and client tables match the code', () => {
  const expected = replaceSection(replaceSection(readme, 'rules', renderRulesMarkdown()), 'clients', renderClientsMarkdown());
  assert.equal(readme, expected, 'README is stale: run `node scripts/build.mjs --tests && node scripts/update-readme.mjs`');
});

it('README quick start has exactly the two commands', () => {
  const section = readme.split('## Quick start')[1]!.split('\n## ')[0]!;
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
  assert.deepEqual(blocks, ['npm install && npx warden scan', 'npm test']);
});
