// Rate limits from `rateLimits:` in warden.yaml: at most `limit` calls per `window`, counted per
// agent, per server or per tool, over a sliding window (the exact last N call times, not fixed
// buckets, so a burst across a bucket edge cannot double the budget). Stateful, so it lives beside
// the pure evaluator: a gateway or hook process keeps one limiter and asks it after each decision.
import type { Action, Decision } from './types.js';
import type { PolicySpec, RateLimit } from './load.js';

/** Distinct counters kept at most; past this, the oldest-created are forgotten (a flood of tool names cannot grow memory). */
const MAX_KEYS = 10_000;

function keyOf(limit: RateLimit, a: Action): string | undefined {
  switch (limit.per) {
    case 'agent':
      return `agent\0${a.agent?.id ?? a.agent?.name ?? a.client ?? ''}`;
    case 'server':
      return a.server === undefined ? undefined : `server\0${a.server}`;
    case 'tool':
      return a.tool === undefined ? undefined : `tool\0${a.server ?? ''}\0${a.tool}`;
  }
}

export class RateLimiter {
  /** Per limit and key: the times of the last `limit` counted calls, oldest first. */
  readonly #calls: Map<string, number[]>[];

  constructor(
    private readonly limits: readonly RateLimit[],
    private readonly clock: () => number = Date.now,
  ) {
    this.#calls = limits.map(() => new Map());
  }

  /**
   * Counts the call against every limit that applies and returns the first one it exceeds. A call
   * over budget is not counted, so a client that backs off gets its budget back on time.
   */
  take(a: Action): { limit: RateLimit; index: number } | undefined {
    const now = this.clock();
    const hits: { times: number[]; key: string; map: Map<string, number[]> }[] = [];
    for (let i = 0; i < this.limits.length; i++) {
      const limit = this.limits[i]!;
      if (!limit.server(a.server) || !limit.tool(a.tool)) continue;
      const key = keyOf(limit, a);
      if (key === undefined) continue;
      const map = this.#calls[i]!;
      let times = map.get(key);
      if (!times) {
        if (map.size >= MAX_KEYS) map.delete(map.keys().next().value!);
        map.set(key, (times = []));
      }
      while (times.length > 0 && times[0]! <= now - limit.windowMs) times.shift();
      if (times.length >= limit.limit) return { limit, index: i };
      hits.push({ times, key, map });
    }
    for (const h of hits) h.times.push(now);
    return undefined;
  }
}

/**
 * The policy's decision, then its rate limits: a call the rules allow (or ask about) that is over
 * budget gets the limit's effect. Monitor mode records it as what enforce would have done.
 */
export function applyRateLimits(policy: PolicySpec, limiter: RateLimiter, a: Action, d: Decision): Decision {
  const effective = d.wouldHave ?? d.effect;
  if (effective === 'deny') return d;
  const over = limiter.take(a);
  if (!over) return d;
  const { limit, index } = over;
  const reason = `more than ${limit.limit} calls per ${limit.windowMs / 1000} s for this ${limit.per} (rate limit ${index + 1})`;
  if (policy.mode === 'monitor') return { effect: 'allow', rule: `rateLimits[${index}]`, reason, wouldHave: limit.effect };
  return { effect: limit.effect, rule: `rateLimits[${index}]`, reason };
}
