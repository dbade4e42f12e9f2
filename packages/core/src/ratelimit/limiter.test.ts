import { describe, expect, it } from 'vitest';
import type { Principal } from '../context.ts';
import { createRateLimiter, ipBucket, parseTierPolicy } from './limiter.ts';
import { createMemoryRateLimitStore } from './memory-store.ts';
import type { RateLimitPolicies, RateLimitStore } from './types.ts';

const policies: RateLimitPolicies = {
  anonymous: { limit: 2, windowMs: 60_000 },
  free: { limit: 4, windowMs: 60_000 },
  premium: { limit: 8, windowMs: 60_000 },
};
const anonymous: Principal = { kind: 'anonymous' };
const freeUser: Principal = { kind: 'user', userId: 'u1', role: 'shopper', plan: 'free', sessionId: 's' };
const premiumKey: Principal = { kind: 'apiKey', keyId: 'k1', userId: 'u1', role: 'shopper', plan: 'premium' };

describe('createRateLimiter', () => {
  it('picks the tier by plan, keys by key, user or IP, and writes IETF fields', async () => {
    const limiter = createRateLimiter({ store: createMemoryRateLimitStore(policies), policies, failPolicy: 'open' });
    const a = await limiter.check(anonymous, '10.0.0.1', 1);
    expect(a).toMatchObject({ allowed: true, tier: 'anonymous', policyHeader: '"anonymous";q=2;w=60', storeFailed: false });
    expect(a.header).toMatch(/^"anonymous";r=1;t=\d+$/);
    expect((await limiter.check(anonymous, '10.0.0.1', 1)).allowed).toBe(true);
    const denied = await limiter.check(anonymous, '10.0.0.1', 1);
    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((await limiter.check(anonymous, '10.0.0.2', 1)).allowed).toBe(true); // another IP
    // The same user id is one budget whatever the IP; an API key has its own.
    expect((await limiter.check(freeUser, '10.0.0.1', 3)).header).toMatch(/^"free";r=1;/);
    expect((await limiter.check(freeUser, '10.0.0.9', 1)).header).toMatch(/^"free";r=0;/);
    expect((await limiter.check(premiumKey, '10.0.0.1', 1)).policyHeader).toBe('"premium";q=8;w=60');
  });

  it('applies the fail policy when the store throws', async () => {
    const failures: unknown[] = [];
    // A failing store stands in for the fault; the real outage (redis-server killed) is in apps/api.
    const broken: RateLimitStore = {
      kind: 'redis',
      limit: () => Promise.reject(new Error('connection refused')),
    };
    const open = createRateLimiter({ store: broken, policies, failPolicy: 'open', onStoreFailure: (e) => failures.push(e) });
    const closed = createRateLimiter({ store: broken, policies, failPolicy: 'closed' });
    expect(await open.check(anonymous, 'ip', 1)).toMatchObject({ allowed: true, storeFailed: true, header: undefined });
    expect(await closed.check(anonymous, 'ip', 1)).toMatchObject({ allowed: false, storeFailed: true, retryAfterSeconds: 1 });
    expect(failures).toHaveLength(1);
  });

  it('parses policies', () => {
    expect(parseTierPolicy('100/60s')).toEqual({ limit: 100, windowMs: 60_000 });
    expect(parseTierPolicy('5/500ms')).toEqual({ limit: 5, windowMs: 500 });
    expect(parseTierPolicy('1000/1h')).toEqual({ limit: 1000, windowMs: 3_600_000 });
    expect(() => parseTierPolicy('lots')).toThrow();
    expect(() => parseTierPolicy('0/1m')).toThrow();
  });

  it('buckets IPv6 clients by /64', () => {
    expect(ipBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(ipBucket('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(ipBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipBucket('2001:0db8:0000:0042:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:42::/64');
    expect(ipBucket('2001:db8:0:42::ffff')).toBe(ipBucket('2001:db8:0:42:1:2:3:4'));
    expect(ipBucket('::1')).toBe('0:0:0:0::/64');
  });
});
