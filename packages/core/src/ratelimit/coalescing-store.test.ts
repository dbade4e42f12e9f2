import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCoalescingStore } from './coalescing-store.ts';
import { IoredisUpstashAdapter } from './ioredis-adapter.ts';
import { LEASE_END_MARGIN_MS, LEASE_MAX_TOKENS, LEASE_MIN_TOKENS, LEASE_SHARE_DIVISOR, LEASE_TTL_MS } from './lease.ts';
import type { RateLimitPolicies, RateLimitStore, SlidingWindowResult } from './types.ts';
import { createUpstashStore, type UpstashRedisLike } from './upstash-store.ts';

const prefix = `test-rlc-${randomUUID()}`;
const clients: Redis[] = [];

/** `failFast`: no offline queue, no reconnect — once down (or disconnected), every command fails at once. */
function connect(port = 6379, failFast = port !== 6379): Redis {
  const redis = failFast
    ? new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null })
    : new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0 });
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

describe('createCoalescingStore without leases over @upstash/ratelimit on stock Redis', () => {
  it('charges concurrent checks of one identifier in few Redis calls, every token counted once', async () => {
    const inner = redisStore(redisA, policies(10_000));
    const store = createCoalescingStore(inner, { lease: false });
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
    const store = createCoalescingStore(redisStore(redisA, policies(10_000)), { lease: false });
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
    const a = createCoalescingStore(redisStore(redisA, policies(150)), { lease: false });
    const b = createCoalescingStore(redisStore(redisB, policies(150)), { lease: false });
    const results = await Promise.all(Array.from({ length: 600 }, (_, i) => (i % 2 ? a : b).limit('premium', id, 1)));
    expect(results.filter((r) => r.success)).toHaveLength(150);
    expect(results.filter((r) => !r.success).every((r) => r.remaining === 0)).toBe(true);
  });

  it('admits exactly a small limit across three warm instances (no batch near the end of a budget)', async () => {
    // Each instance has a fresh answer with most of the budget left, then all three get a burst: batches
    // charged on that answer would be refused once the others drained the window, and still counted.
    for (let round = 0; round < 5; round += 1) {
      const id = randomUUID();
      const stores = [redisA, redisB, redisA].map((r) => createCoalescingStore(redisStore(r, policies(30)), { lease: false }));
      const warm = await Promise.all(stores.map((s) => s.limit('premium', id, 1)));
      // Arrivals spread out as over HTTP: small batches form on every instance while the window drains.
      const pending: Array<Promise<SlidingWindowResult>> = [];
      for (let i = 0; i < 90; i += 1) {
        pending.push(stores[i % 3]!.limit('premium', id, 1));
        if (i % 6 === 5) await new Promise((resolve) => setImmediate(resolve));
      }
      const burst = await Promise.all(pending);
      expect(warm.filter((r) => r.success).length + burst.filter((r) => r.success).length, `round ${round}`).toBe(30);
    }
  });

  it('keeps admitting exactly while a long burst drains the window in batches', async () => {
    const id = randomUUID();
    const inner = redisStore(redisA, policies(1_000));
    const store = createCoalescingStore(inner, { lease: false });
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
    const store = createCoalescingStore(redisStore(down, policies(10_000)), { lease: false });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => store.limit('premium', randomUUID().slice(0, 1), 1)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
  });
});

/** `count` concurrent checks of `id` spread over `stores`, costs from `costOf`. */
function wave(stores: RateLimitStore[], id: string, count: number, costOf: (i: number) => number = () => 1) {
  return Promise.all(Array.from({ length: count }, (_, i) => stores[i % stores.length]!.limit('premium', id, costOf(i))));
}

/** Tokens counted in Redis for `id` (a cost-0 call reads without charging). */
async function usedInRedis(reader: RateLimitStore, id: string, limit: number): Promise<number> {
  return limit - (await reader.limit('premium', id, 0)).remaining;
}

/** Long enough for every lease to expire and give its rest back, with room for a slow event loop. */
const leasesEnded = () => sleep(LEASE_TTL_MS * 3);

describe('createCoalescingStore leases over @upstash/ratelimit on stock Redis', () => {
  it('serves a busy identifier from leases: few Redis calls, every token counted once, unused tokens given back', async () => {
    const limit = 100_000;
    const inner = redisStore(redisA, policies(limit));
    const store = createCoalescingStore(inner);
    const reader = redisStore(redisB, policies(limit));
    const id = randomUUID();
    let admitted = 0;
    for (let i = 0; i < 40; i += 1) {
      const results = await wave([store], id, 50);
      expect(results.every((r) => r.success)).toBe(true);
      // Counted down one by one within a wave, as if charged alone.
      expect(new Set(results.map((r) => r.remaining)).size).toBe(50);
      admitted += results.length;
      // Charged before admitted: Redis holds at least every admitted token, plus at most one lease.
      const used = await usedInRedis(reader, id, limit);
      expect(used).toBeGreaterThanOrEqual(admitted);
      expect(used - admitted).toBeLessThanOrEqual(LEASE_MAX_TOKENS);
    }
    expect(inner.calls).toBeLessThan(2_000 / 20);
    await leasesEnded();
    expect(await usedInRedis(reader, id, limit)).toBe(2_000);
  });

  it('honours costs: a lease hands out tokens by cost, a check dearer than the lease goes to Redis', async () => {
    const limit = 100_000;
    const store = createCoalescingStore(redisStore(redisA, policies(limit)));
    const reader = redisStore(redisB, policies(limit));
    const id = randomUUID();
    let spent = 0;
    for (let i = 0; i < 20; i += 1) {
      const costs = (j: number) => (j === 7 ? LEASE_MAX_TOKENS + 1 : 1 + (j % 5));
      const results = await wave([store], id, 40, costs);
      expect(results.every((r) => r.success)).toBe(true);
      for (let j = 0; j < 40; j += 1) spent += costs(j);
      expect(await usedInRedis(reader, id, limit)).toBeGreaterThanOrEqual(spent);
    }
    await leasesEnded();
    expect(await usedInRedis(reader, id, limit)).toBe(spent);
  });

  it('never leases for a client with one request at a time', async () => {
    const inner = redisStore(redisA, policies(100_000));
    const store = createCoalescingStore(inner);
    const reader = redisStore(redisB, policies(100_000));
    const id = randomUUID();
    for (let i = 0; i < 30; i += 1) expect((await store.limit('premium', id, 1)).remaining).toBe(100_000 - i - 1);
    expect(inner.calls).toBe(30);
    expect(await usedInRedis(reader, id, 100_000)).toBe(30);
  });

  it('takes no lease with fewer than 16 × LEASE_MIN_TOKENS tokens left: small budgets stay exact', async () => {
    const limit = 16 * LEASE_MIN_TOKENS - 1;
    const store = createCoalescingStore(redisStore(redisA, policies(limit)));
    const reader = redisStore(redisB, policies(limit));
    const id = randomUUID();
    let admitted = 0;
    for (let i = 0; i < 10; i += 1) {
      admitted += (await wave([store], id, 10)).filter((r) => r.success).length;
      // Nothing charged ahead: Redis holds exactly what was admitted, at once.
      expect(await usedInRedis(reader, id, limit)).toBe(admitted);
    }
    expect(admitted).toBe(limit);
  });

  it('never admits more than the limit across two leasing instances; after the leases end the rest is there', async () => {
    const limit = 3_000;
    const id = randomUUID();
    const innerA = redisStore(redisA, policies(limit));
    const innerB = redisStore(redisB, policies(limit));
    const a = createCoalescingStore(innerA);
    const b = createCoalescingStore(innerB);
    const reader = redisStore(redisA, policies(limit));
    let admitted = 0;
    let checks = 0;
    for (let i = 0; i < 100; i += 1) {
      const results = await wave([a, b], id, 100);
      checks += results.length;
      admitted += results.filter((r) => r.success).length;
      expect(await usedInRedis(reader, id, limit)).toBeGreaterThanOrEqual(admitted);
      if (results.every((r) => !r.success)) break;
    }
    expect(admitted).toBeLessThanOrEqual(limit);
    expect(innerA.calls + innerB.calls).toBeLessThan(checks / 4);
    // Refused early only by leases still out (each ≤ 1/16 of what was left) — and those come back.
    expect(admitted).toBeGreaterThanOrEqual(limit - (2 * limit) / LEASE_SHARE_DIVISOR);
    await leasesEnded();
    let more = 0;
    while (more < limit && (await a.limit('premium', id, 1)).success) more += 1;
    expect(admitted + more).toBeLessThanOrEqual(limit);
    // Lost for good only as for any batch: a charge (≤ 50 checks + a lease ≤ 1/16 of what was left) that
    // the script counted and refused because the other instance drained the window meanwhile.
    expect(admitted + more).toBeGreaterThanOrEqual(limit - 4 * 50);
  });

  it('admits from a lease only within the window it was charged in', async () => {
    const windowMs = 500;
    const short: RateLimitPolicies = { ...policies(1), premium: { limit: 10_000_000, windowMs } };
    const inner = redisStore(redisA, short);
    const store = createCoalescingStore(inner);
    const id = randomUUID();
    let checks = 0;
    const until = Date.now() + 3 * windowMs;
    while (Date.now() < until) {
      const calledAt = Date.now();
      const results = await wave([store], id, 50);
      checks += results.length;
      for (const r of results) {
        expect(r.success).toBe(true);
        // Each check's tokens were charged in a window that had not ended when the check was made.
        expect(r.reset).toBeGreaterThan(calledAt);
        expect(r.reset - windowMs).toBeLessThanOrEqual(Date.now());
      }
    }
    expect(inner.calls).toBeLessThan(checks / 5);
    expect(LEASE_TTL_MS + LEASE_END_MARGIN_MS).toBeLessThan(windowMs);
  });

  it('a store error while leasing reaches every waiting check; an expired lease admits nothing', async () => {
    const redis = connect(6379, true);
    await once(redis, 'ready');
    const limit = 100_000;
    const store = createCoalescingStore(redisStore(redis, policies(limit)));
    const reader = redisStore(redisB, policies(limit));
    const id = randomUUID();
    let admitted = 0;
    for (let i = 0; i < 5; i += 1) admitted += (await wave([store], id, 50)).length;
    redis.disconnect();
    // A live lease still hands out tokens taken before the outage; nothing beyond them.
    const during = await Promise.allSettled(Array.from({ length: 400 }, () => store.limit('premium', id, 1)));
    admitted += during.filter((r) => r.status === 'fulfilled').length;
    expect(during.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    await leasesEnded();
    const after = await Promise.allSettled(Array.from({ length: 50 }, () => store.limit('premium', id, 1)));
    expect(after.every((r) => r.status === 'rejected')).toBe(true);
    // The lease's rest could not be given back (store down): counted, never admitted.
    expect(await usedInRedis(reader, id, limit)).toBeGreaterThanOrEqual(admitted);
  });
});
