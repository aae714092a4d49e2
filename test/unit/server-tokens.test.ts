// Agent tokens and cursors of the control plane: shapes, hashing, constant-time matching.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { agentTokenMatches, bearerToken, generateAgentToken, parseAgentToken } from '../../src/server/agent-tokens.js';
import { QueryError, decodeCursor, encodeCursor } from '../../src/server/store.js';

describe('agent tokens', () => {
  it('are a public id and a 32-byte secret, of which only the SHA-256 is kept', () => {
    const t = generateAgentToken();
    assert.match(t.token, /^wdn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.ok(t.token.startsWith(`wdn_${t.id}_`));
    const secret = t.token.slice(-43);
    assert.equal(Buffer.from(secret, 'base64url').length, 32);
    assert.deepEqual(t.hash, createHash('sha256').update(secret).digest());
    assert.notEqual(generateAgentToken().token, t.token);
  });

  it('match only the stored hash of their own secret', () => {
    const t = generateAgentToken();
    const parsed = parseAgentToken(t.token)!;
    assert.equal(parsed.id, t.id);
    assert.equal(agentTokenMatches(parsed, t.hash), true);
    assert.equal(agentTokenMatches(parsed, generateAgentToken().hash), false);
    assert.equal(agentTokenMatches(parsed, undefined), false);
    assert.equal(agentTokenMatches(parsed, Buffer.alloc(3)), false);
    for (const bad of ['', 'wdn_', `${t.token}=`, t.token.toUpperCase(), `wdn_${t.id}_${'!'.repeat(43)}`]) assert.equal(parseAgentToken(bad), undefined, bad);
  });

  it('come from "Authorization: Bearer" only', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc');
    assert.equal(bearerToken('bearer  abc'), 'abc');
    for (const h of [undefined, '', 'Bearer', 'Basic abc', 'Bearer a b', 'abc']) assert.equal(bearerToken(h), undefined, String(h));
  });
});

describe('cursors', () => {
  it('round-trip, and refuse anything not issued for the same order', () => {
    assert.equal(decodeCursor(encodeCursor('desc', 42), 'desc'), 42);
    assert.throws(() => decodeCursor(encodeCursor('desc', 42), 'asc'), QueryError);
    for (const bad of ['', '42', Buffer.from('desc:-1').toString('base64url'), Buffer.from('desc:1e3').toString('base64url'), 'x'.repeat(65)]) assert.throws(() => decodeCursor(bad, 'desc'), QueryError, bad);
  });
});
