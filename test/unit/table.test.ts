import { it } from 'node:test';
import assert from 'node:assert/strict';
import { renderTable } from '../../src/report/table.js';
import { sampleResult, SAMPLE_SECRETS } from '../helpers/sample-result.js';

it('renders inventory, findings by severity and coverage, colour only when asked', () => {
  const r = sampleResult();
  const plain = renderTable(r, { color: false });
  assert.ok(!plain.includes('\x1b['));
  for (const heading of ['Inventory', 'Findings', 'Coverage']) assert.ok(plain.includes(heading), heading);
  const active = r.findings.filter((f) => !f.suppressed);
  for (const f of active) assert.ok(plain.includes(f.message), f.message);
  for (const f of r.findings.filter((x) => x.suppressed)) assert.ok(!plain.includes(f.message), 'suppressed findings are counted, not listed');
  assert.ok(renderTable(r, { color: true }).includes('\x1b['));
});

it('prints each rule\'s remediation once and never a secret value', () => {
  const r = sampleResult();
  const dup = { ...r.findings.find((f) => !f.suppressed)!, fingerprint: 'x', location: { file: '/other', line: 9, column: 1 } };
  r.findings.push(dup);
  const text = renderTable(r, { color: false });
  assert.equal(text.split(dup.remediation).length - 1, 1);
  for (const s of Object.values(SAMPLE_SECRETS)) assert.ok(!text.includes(s), s);
});

it('--quiet keeps only the findings', () => {
  const text = renderTable(sampleResult(), { color: false, quiet: true });
  assert.ok(!text.includes('Inventory') && !text.includes('Coverage'));
  assert.ok(text.startsWith('Findings'));
});
