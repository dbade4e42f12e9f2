import { randomUUID } from 'node:crypto';
import { createDb, type DbHandle, products } from '@triport/db';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalContext } from '../context.ts';
import { insertCategory, insertProduct } from '../orders/testing/fixtures.ts';
import { createCaller } from '../router.ts';
import { type CacheOutcome, createTwoTierCache, type TwoTierCache } from './two-tier-cache.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-cache-${randomUUID()}:`;

interface Instance {
  db: DbHandle;
  cache: TwoTierCache;
  productQueries: () => number;
  outcomes: CacheOutcome[];
  close(): Promise<void>;
}

let t: TestDb;
const instances: Instance[] = [];

async function startInstance(): Promise<Instance> {
  let productQueries = 0;
  const db = await createDb({
    url: t.url,
    maxConnections: 5,
    onQuery: (q) => {
      if (q.includes('from "products"')) productQueries += 1;
    },
  });
  const redis = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
  await redis.connect();
  const subscriber = new Redis(REDIS_URL);
  const outcomes: CacheOutcome[] = [];
  const cache = createTwoTierCache({ redis, subscriber, prefix, onOutcome: (o) => outcomes.push(o) });
  await cache.ready;
  const instance = {
    db,
    cache,
    outcomes,
    productQueries: () => productQueries,
    async close() {
      await cache.close();
      subscriber.disconnect();
      redis.disconnect();
      await db.close();
    },
  };
  instances.push(instance);
  return instance;
}

beforeAll(async () => {
  t = await createTestPostgres();
});
afterAll(async () => {
  for (const i of instances) await i.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await t.dispose();
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached in 2 s');
}

describe('two-tier cache', () => {
  it('answers 10,000 concurrent cold reads of one product with at most one query per instance', async () => {
    const category = await insertCategory(t.db);
    const product = await insertProduct(t.db, { categoryId: category.id, name: 'Coalesced Lamp' });
    const [a, b] = [await startInstance(), await startInstance()];
    const read = (i: Instance) => createCaller(internalContext({ db: i.db.db, cache: i.cache })).catalog.product({ id: product.id });
    const results = await Promise.all([
      ...Array.from({ length: 10_000 }, () => read(a!)),
      ...Array.from({ length: 10_000 }, () => read(b!)),
    ]);
    expect(results.every((p) => p.name === 'Coalesced Lamp')).toBe(true);
    expect(a!.productQueries()).toBeLessThanOrEqual(1);
    expect(b!.productQueries()).toBeLessThanOrEqual(1);
    expect(a!.productQueries() + b!.productQueries()).toBeGreaterThanOrEqual(1);
    expect(a!.outcomes.filter((o) => o === 'coalesced').length).toBeGreaterThanOrEqual(9_999);

    // Invalidation on A reaches B: B's next read sees the new row.
    await t.db.update(products).set({ name: 'Renamed Lamp' }).where(eq(products.id, product.id));
    expect((await read(b!)).name).toBe('Coalesced Lamp'); // still cached
    await a!.cache.invalidateTags([`product:${product.id}`]);
    await until(async () => (await read(b!)).name === 'Renamed Lamp');
    expect((await read(a!)).name).toBe('Renamed Lamp');
  });

  it('serves a stale value while one background refresh runs', async () => {
    const [a] = [await startInstance()];
    const key = `swr:${randomUUID()}`;
    let loads = 0;
    const load = async () => {
      loads += 1;
      return loads;
    };
    const options = { ttlMs: 20, staleMs: 60_000 };
    expect(await a!.cache.getOrLoad(key, load, options)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    const stale = await Promise.all([a!.cache.getOrLoad(key, load, options), a!.cache.getOrLoad(key, load, options)]);
    expect(stale).toEqual([1, 1]);
    await until(async () => (await a!.cache.getOrLoad(key, load, options)) === 2);
    expect(loads).toBe(2);
    expect(a!.outcomes).toContain('stale');
  });

  it('reads through to the loader when Redis is unreachable', async () => {
    // A port nothing listens on: the real failure mode, no mock.
    const dead = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    const errors: string[] = [];
    const cache = createTwoTierCache({ redis: dead, prefix, onRedisError: (_e, op) => errors.push(op) });
    expect(await cache.getOrLoad('k', async () => 'from db', { tags: ['t'] })).toBe('from db');
    expect(await cache.getOrLoad('k', async () => 'again')).toBe('from db'); // L1 still works
    await cache.invalidateTags(['t']);
    expect(await cache.getOrLoad('k', async () => 'after invalidation')).toBe('after invalidation');
    expect(errors).toContain('get');
    dead.disconnect();
  });
});
