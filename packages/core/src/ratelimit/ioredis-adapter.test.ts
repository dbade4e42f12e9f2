import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IoredisUpstashAdapter, stripShebang } from './ioredis-adapter.ts';
import { createUpstashStore, type UpstashRedisLike } from './upstash-store.ts';

const prefix = `test-rl-${randomUUID()}`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 0 });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('@upstash/ratelimit over ioredis against stock Redis', () => {
  it('strips only the shebang line', () => {
    expect(stripShebang('#!lua flags=allow-key-locking\nreturn 1')).toBe('return 1');
    expect(stripShebang('return 1')).toBe('return 1');
  });

  // (A Redis that lost its script cache is covered by the restart test in apps/api: the shared server's
  // cache is not flushed here.)
  it('admits exactly the limit across two adapters (each starts with NOSCRIPT → EVAL)', async () => {
    const policies = {
      anonymous: { limit: 4, windowMs: 3_600_000 },
      free: { limit: 10, windowMs: 3_600_000 },
      premium: { limit: 100, windowMs: 3_600_000 },
    };
    const make = () =>
      // timeoutMs 0: no race timer, a loaded CI machine must not turn a slow reply into a failure.
      createUpstashStore({ kind: 'redis', redis: new IoredisUpstashAdapter(redis) as unknown as UpstashRedisLike, prefix, policies, timeoutMs: 0 });
    let store = make();
    const id = randomUUID();
    const first = [];
    for (let i = 0; i < 3; i += 1) first.push(await store.limit('anonymous', id, 1));
    expect(first.map((r) => r.remaining)).toEqual([3, 2, 1]);
    store = make();
    const rest = [];
    for (let i = 0; i < 3; i += 1) rest.push(await store.limit('anonymous', id, 1));
    expect(rest.map((r) => r.success)).toEqual([true, false, false]);
    expect(rest[0]?.limit).toBe(4);
    // Cost counts as several tokens.
    expect(await store.limit('free', id, 4)).toMatchObject({ success: true, remaining: 6 });
  });
});
