// Rate limits over a sliding window, per agent, server or tool, with a clock the test moves.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, type PolicySpec } from '../../src/policy/load.js';
import { decide } from '../../src/policy/evaluate.js';
import { applyRateLimits, RateLimiter } from '../../src/policy/rate-limit.js';
import type { Action } from '../../src/policy/types.js';

function policy(text: string): PolicySpec {
  const { policy, problems } = parsePolicy('p.yaml', text);
  assert.deepEqual(problems, []);
  return policy!;
}

describe('rate limits', () => {
  const p = policy('version: 1\nrateLimits:\n  - { per: tool, limit: 3, window: 10s, server: github }\n  - { per: agent, limit: 5, window: 1m, effect: ask }\n');
  const call = (tool: string, agent = 'a1'): Action => ({ kind: 'tool_call', server: 'github', tool, agent: { id: agent } });

  it('allows the budget, refuses the next call, and gives the budget back as the window slides', () => {
    let now = 0;
    const limiter = new RateLimiter(p.rateLimits, () => now);
    const run = (a: Action) => applyRateLimits(p, limiter, a, decide(p, a));
    for (let i = 0; i < 3; i++) assert.equal(run(call('get_issue')).effect, 'allow');
    const over = run(call('get_issue'));
    assert.deepEqual([over.effect, over.rule], ['deny', 'rateLimits[0]']);
    assert.match(over.reason, /more than 3 calls per 10 s for this tool/);
    assert.equal(run(call('list_issues')).effect, 'allow', 'another tool has its own budget');
    now = 10_001;
    assert.equal(run(call('get_issue')).effect, 'allow', 'the oldest call left the window');
  });

  it('counts per agent across tools, with the limit\'s own effect', () => {
    let now = 0;
    const limiter = new RateLimiter(p.rateLimits, () => now++);
    const run = (a: Action) => applyRateLimits(p, limiter, a, decide(p, a));
    const effects = ['t1', 't2', 't3', 't4', 't5', 't6'].map((t) => run(call(t)).effect);
    assert.deepEqual(effects, ['allow', 'allow', 'allow', 'allow', 'allow', 'ask']);
    assert.equal(run(call('t7', 'a2')).effect, 'allow', 'another agent is not limited');
  });

  it('in monitor mode allows and records what enforce would do; a denied call is not counted', () => {
    const m = policy('version: 1\nmode: monitor\nrateLimits:\n  - { per: server, limit: 1, window: 1h }\nrules:\n  - { id: no-delete, match: { tool: "delete_*" }, effect: deny, reason: r }\n');
    const limiter = new RateLimiter(m.rateLimits, () => 0);
    const run = (a: Action) => applyRateLimits(m, limiter, a, decide(m, a));
    assert.equal(run(call('delete_repo')).wouldHave, 'deny', 'the rule decided; the limiter did not count it');
    assert.equal(run(call('get_issue')).effect, 'allow');
    const second = run(call('get_issue'));
    assert.deepEqual([second.effect, second.wouldHave], ['allow', 'deny']);
  });
});
