#!/usr/bin/env node
// Regenerates the README's rule and client tables from the code (run after adding either).
// Usage: node scripts/build.mjs --tests && node scripts/update-readme.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { renderRulesMarkdown, renderClientsMarkdown, replaceSection } = await import(join(root, 'build/src/report/reference-docs.js'));
const file = join(root, 'README.md');
let doc = readFileSync(file, 'utf8');
doc = replaceSection(doc, 'rules', renderRulesMarkdown());
doc = replaceSection(doc, 'clients', renderClientsMarkdown());
writeFileSync(file, doc);
