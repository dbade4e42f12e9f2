/**
 * In-process CPU per rate-limit check against the local Redis: N concurrent callers, one identifier,
 * through `createRateLimiter` as the gateway calls it. Not a test (no timed assertions): a measurement.
 *
 *   npx tsx packages/core/src/ratelimit/measure-cpu.ts [checks=200000] [concurrency=50] [lease=on|off]
 *
 * Prints CPU µs per check (user+system of this process: ioredis, @upstash/ratelimit, our code) and
 * Redis calls per 1000 checks. Its keys use their own prefix and are deleted at the end.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createCoalescingStore } from './coalescing-store.ts';
import { IoredisUpstashAdapter } from './ioredis-adapter.ts';
import { createRateLimiter } from './limiter.ts';
import type { RateLimitPolicies, RateLimitStore } from './types.ts';
import { createUpstashStore, type UpstashRedisLike } from './upstash-store.ts';

const checks = Number(process.argv[2] ?? 200_000);
const concurrency = Number(process.argv[3] ?? 50);
const lease = (process.argv[4] ?? 'on') !== 'off';
const prefix = `measure-rl-${randomUUID()}`;
const policies: RateLimitPolicies = {
  anonymous: { limit: 1_000_000_000, windowMs: 60_000 },
  free: { limit: 1_000_000_000, windowMs: 60_000 },
  premium: { limit: 1_000_000_000, windowMs: 60_000 },
};

const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 0 });
const upstash = createUpstashStore({ kind: 'redis', redis: new IoredisUpstashAdapter(redis) as unknown as UpstashRedisLike, prefix, policies, timeoutMs: 0 });
let calls = 0;
const counted: RateLimitStore = {
  kind: upstash.kind,
  limit(tier, identifier, cost) {
    calls += 1;
    return upstash.limit(tier, identifier, cost);
  },
};
const store = createCoalescingStore(counted, { lease });
const limiter = createRateLimiter({ store, policies, failPolicy: 'closed' });
const principal = { kind: 'apiKey', keyId: randomUUID(), userId: 'u', role: 'shopper', plan: 'premium' } as const;

async function run(total: number): Promise<number> {
  let started = 0;
  let refused = 0;
  const caller = async (): Promise<void> => {
    while (started < total) {
      started += 1;
      if (!(await limiter.check(principal, '127.0.0.1', 1)).allowed) refused += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return refused;
}

await run(20_000); // warm-up: JIT, script load
calls = 0;
const cpu = process.cpuUsage();
const wall = performance.now();
const refused = await run(checks);
const used = process.cpuUsage(cpu);
const ms = performance.now() - wall;
console.log(
  JSON.stringify({
    lease,
    checks,
    concurrency,
    refused,
    cpuMicrosPerCheck: Number(((used.user + used.system) / checks).toFixed(2)),
    redisCallsPer1000: Number(((calls * 1000) / checks).toFixed(2)),
    checksPerSecond: Math.round((checks * 1000) / ms),
  }),
);
const keys = await redis.keys(`${prefix}*`);
if (keys.length > 0) await redis.del(...keys);
redis.disconnect();
