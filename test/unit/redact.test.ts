// Redaction of evidence and URLs: what a report may show of a credential, and that redacting twice
// (a rule, then the report's final pass) changes nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redact, redactUrl, redactUrlsIn } from '../../src/detect/redact.js';

describe('redact', () => {
  it('keeps the first four characters and the length, once', () => {
    assert.equal(redact('sk-live-0123456789'), 'sk-l…(18 chars)');
    assert.equal(redact(redact('sk-live-0123456789')), 'sk-l…(18 chars)');
    assert.equal(redact('abc'), '****');
  });

  it('redacts credentials in URLs: password, token-like user, secret query parameters', () => {
    assert.equal(redactUrl('https://user:hunter2@host/x'), 'https://user:****@host/x');
    assert.equal(redactUrl('https://host/mcp?token=abcdef123456&mode=ro'), 'https://host/mcp?token=abcd…(12 chars)&mode=ro');
    assert.equal(redactUrl('https://host/mcp?page=2'), 'https://host/mcp?page=2');
  });

  it('is idempotent on text, where a URL ends at the space inside an earlier redaction', () => {
    const once = redactUrlsIn('connect to https://host/mcp?token=abcdef123456 now');
    assert.equal(once, 'connect to https://host/mcp?token=abcd…(12 chars) now');
    assert.equal(redactUrlsIn(once), once);
  });
});
