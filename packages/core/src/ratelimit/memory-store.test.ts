import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from './memory-store.ts';
import type { RateLimitPolicies } from './types.ts';

const policies: RateLimitPolicies = {
  anonymous: { limit: 3, windowMs: 1000 },
  free: { limit: 5, windowMs: 1000 },
  premium: { limit: 10, windowMs: 1000 },
};

describe('memory sliding window (same algorithm as @upstash/ratelimit)', () => {
  it('admits exactly the limit per window and counts remaining down', async () => {
    let now = 10_000; // start of a window
    const store = createMemoryRateLimitStore(policies, () => now);
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await store.limit('anonymous', 'ip:a', 1));
    expect(results.map((r) => r.success)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(results[0]?.reset).toBe(11_000);
    // Identifiers and tiers are independent.
    expect((await store.limit('anonymous', 'ip:b', 1)).success).toBe(true);
    expect((await store.limit('free', 'ip:a', 1)).remaining).toBe(4);
    // Half way through the next window, half of the previous window's 3 still count: floor(1.5) = 1.
    now = 11_500;
    expect((await store.limit('anonymous', 'ip:a', 1)).remaining).toBe(1);
    expect((await store.limit('anonymous', 'ip:a', 1)).remaining).toBe(0);
    expect((await store.limit('anonymous', 'ip:a', 1)).success).toBe(false);
    // Two windows later nothing is left over.
    now = 13_000;
    expect((await store.limit('anonymous', 'ip:a', 1)).remaining).toBe(2);
  });

  it('charges the procedure cost', async () => {
    const now = 20_000;
    const store = createMemoryRateLimitStore(policies, () => now);
    expect(await store.limit('free', 'u:1', 3)).toMatchObject({ success: true, remaining: 2 });
    expect(await store.limit('free', 'u:1', 2)).toMatchObject({ success: true, remaining: 0 });
    expect(await store.limit('free', 'u:1', 1)).toMatchObject({ success: false, remaining: 0 });
  });
});
