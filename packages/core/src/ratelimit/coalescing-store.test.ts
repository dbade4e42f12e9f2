import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoalescingStore } from './coalescing-store.ts';
import { IoredisUpstashAdapter } from './ioredis-adapter.ts';
import type { RateLimitPolicies, RateLimitStore } from './types.ts';
import { createUpstashStore, type UpstashRedisLike } from './upstash-store.ts';

const prefix = `test-rlc-${randomUUID()}`;
const clients: Redis[] = [];

function connect(port = 6379): Redis {
  const redis =
    port === 6379
      ? new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0 })
      : new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  redis.on('error', () => {});
  clients.push(redis);
  return redis;
}

/** The real Redis store, counting the calls that reach Redis. */
function redisStore(redis: Redis, policies: RateLimitPolicies): RateLimitStore & { calls: number } {
  const store = createUpstashStore({ kind: 'redis', redis: new IoredisUpstashAdapter(redis) as unknown as UpstashRedisLike, prefix, policies, timeoutMs: 0 });
  const counted = {
    kind: store.kind,
    calls: 0,
    limit: (tier: Parameters<RateLimitStore['limit']>[0], id: string, cost: number) => {
      counted.calls += 1;
      return store.limit(tier, id, cost);
    },
  };
  return counted;
}

const policies = (premium: number): RateLimitPolicies => ({
  anonymous: { limit: 10, windowMs: 3_600_000 },
  free: { limit: 100, windowMs: 3_600_000 },
  premium: { limit: premium, windowMs: 3_600_000 },
});

let redisA: Redis;
let redisB: Redis;
beforeAll(async () => {
  redisA = connect();
  redisB = connect();
  await Promise.all([redisA.ping(), redisB.ping()]);
});
afterAll(async () => {
  const keys = await redisA.keys(`${prefix}*`);
  if (keys.length > 0) await redisA.del(...keys);
  for (const c of clients) c.disconnect();
});

describe('createCoalescingStore over @upstash/ratelimit on stock Redis', () => {
  it('charges concurrent checks of one identifier in few Redis calls, every token counted once', async () => {
    const inner = redisStore(redisA, policies(10_000));
    const store = createCoalescingStore(inner);
    const id = randomUUID();
    const results = await Promise.all(Array.from({ length: 400 }, () => store.limit('premium', id, 1)));
    expect(results.every((r) => r.success)).toBe(true);
    // Remaining counts down without gaps or repeats, as if charged one by one.
    expect(new Set(results.map((r) => r.remaining)).size).toBe(400);
    expect(Math.min(...results.map((r) => r.remaining))).toBe(10_000 - 400);
    expect(inner.calls).toBeLessThan(400 / 4);
    // Redis saw all 400 tokens: a plain, uncoalesced check sees what is left.
    const check = await redisStore(redisB, policies(10_000)).limit('premium', id, 1);
    expect(check.remaining).toBe(10_000 - 401);
  });

  it('sums procedure costs in a batch', async () => {
    const store = createCoalescingStore(redisStore(redisA, policies(10_000)));
    const id = randomUUID();
    const costs = Array.from({ length: 60 }, (_, i) => 1 + (i % 3));
    const results = await Promise.all(costs.map((c) => store.limit('premium', id, c)));
    expect(results.every((r) => r.success)).toBe(true);
    const spent = costs.reduce((a, c) => a + c, 0);
    expect(Math.min(...results.map((r) => r.remaining))).toBe(10_000 - spent);
    const check = await redisStore(redisB, policies(10_000)).limit('premium', id, 1);
    expect(check.remaining).toBe(10_000 - spent - 1);
  });

  it('admits exactly the limit across two instances under a burst larger than the limit', async () => {
    const id = randomUUID();
    const a = createCoalescingStore(redisStore(redisA, policies(150)));
    const b = createCoalescingStore(redisStore(redisB, policies(150)));
    const results = await Promise.all(Array.from({ length: 600 }, (_, i) => (i % 2 ? a : b).limit('premium', id, 1)));
    expect(results.filter((r) => r.success)).toHaveLength(150);
    expect(results.filter((r) => !r.success).every((r) => r.remaining === 0)).toBe(true);
  });

  it('keeps admitting exactly while a long burst drains the window in batches', async () => {
    const id = randomUUID();
    const inner = redisStore(redisA, policies(1_000));
    const store = createCoalescingStore(inner);
    let admitted = 0;
    // Waves of 50 concurrent checks: batches while there is room, one by one near the limit.
    for (let wave = 0; wave < 30; wave += 1) {
      const results = await Promise.all(Array.from({ length: 50 }, () => store.limit('premium', id, 1)));
      admitted += results.filter((r) => r.success).length;
    }
    expect(admitted).toBe(1_000);
    expect(inner.calls).toBeLessThan(1_500);
  });

  it('passes a store failure to every waiting check', async () => {
    // Nothing listens on port 1: a real connection failure, no mock.
    const down = connect(1);
    const store = createCoalescingStore(redisStore(down, policies(10_000)));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => store.limit('premium', randomUUID().slice(0, 1), 1)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
  });
});
