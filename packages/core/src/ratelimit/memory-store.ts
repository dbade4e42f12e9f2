import type { LimitTier, RateLimitPolicies, RateLimitStore, SlidingWindowResult } from './types.ts';

interface Counter {
  /** Window number (floor(now / windowMs)) that `current` counts. */
  window: number;
  current: number;
  previous: number;
}

/**
 * In-process sliding window with exactly the algorithm of `@upstash/ratelimit`'s single-region
 * `slidingWindow` script (epoch-aligned windows, previous window weighted by the part still covered,
 * check before increment), for the embedded mode without Redis. Counts are per instance.
 *
 * @example
 * const store = createMemoryRateLimitStore(policies);
 * const r = await store.limit('anonymous', 'ip:127.0.0.1', 1);
 */
export function createMemoryRateLimitStore(policies: RateLimitPolicies, now: () => number = Date.now): RateLimitStore {
  const counters = new Map<string, Counter>();
  let lastSweep = now();
  const longestWindow = Math.max(...Object.values(policies).map((p) => p.windowMs));

  function sweep(at: number): void {
    lastSweep = at;
    for (const [key, counter] of counters) {
      const windowMs = policies[key.slice(0, key.indexOf('|')) as LimitTier].windowMs;
      if (counter.window < Math.floor(at / windowMs) - 1) counters.delete(key);
    }
  }

  return {
    kind: 'memory',
    async limit(tier, identifier, cost): Promise<SlidingWindowResult> {
      const { limit, windowMs } = policies[tier];
      const at = now();
      if (at - lastSweep > longestWindow) sweep(at);
      const window = Math.floor(at / windowMs);
      const key = `${tier}|${identifier}`;
      let counter = counters.get(key);
      if (!counter) {
        counter = { window, current: 0, previous: 0 };
        counters.set(key, counter);
      } else if (counter.window !== window) {
        counter.previous = counter.window === window - 1 ? counter.current : 0;
        counter.current = 0;
        counter.window = window;
      }
      const reset = (window + 1) * windowMs;
      const weightedPrevious = Math.floor((1 - (at % windowMs) / windowMs) * counter.previous);
      if (cost > 0 && weightedPrevious + counter.current >= limit) return { success: false, limit, remaining: 0, reset };
      counter.current += cost;
      const remaining = limit - (counter.current + weightedPrevious);
      return { success: remaining >= 0, limit, remaining: Math.max(0, remaining), reset };
    },
  };
}
