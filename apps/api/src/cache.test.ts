import { randomUUID } from 'node:crypto';
import { Agent, get as httpGet } from 'node:http';
import { categories, createDb, type DbHandle, products } from '@triport/db';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, type TestInstance } from './internal/testing/harness.ts';
import { redisPrefix, request, SHARED_REDIS, trpcQuery, until } from './internal/testing/http.ts';

let db: TestDb;
const handles: DbHandle[] = [];
const instances: TestInstance[] = [];
const prefix = redisPrefix();

beforeAll(async () => {
  db = await createTestPostgres();
});
afterAll(async () => {
  for (const i of instances) await i.close();
  for (const h of handles) await h.close();
  await prefix.cleanup();
  await db.dispose();
});

/** An instance with its own connection pool, counting the product queries it sends. */
async function instance(): Promise<{ api: TestInstance; productQueries(): number }> {
  let count = 0;
  const handle = await createDb({
    url: db.url,
    maxConnections: 5,
    onQuery: (q) => {
      if (q.includes('from "products"')) count += 1;
    },
  });
  handles.push(handle);
  const api = await startInstance(handle, { REDIS_URL: SHARED_REDIS, REDIS_PREFIX: prefix.prefix, RATE_LIMIT_ANONYMOUS: '100000/1m' });
  instances.push(api);
  return { api, productQueries: () => count };
}

async function insertProduct(name: string): Promise<number> {
  const [category] = await db.db
    .insert(categories)
    .values({ slug: `c-${randomUUID()}`, name: 'Lamps', path: '/', depth: 0 })
    .returning({ id: categories.id });
  const [product] = await db.db
    .insert(products)
    .values({ sku: `S-${randomUUID()}`, slug: `p-${randomUUID()}`, name, description: 'd', brand: 'b', categoryId: category!.id, priceCents: 100, stock: 1 })
    .returning({ id: products.id });
  return product!.id;
}

type ProductReply = { result: { data: { name: string } } };

describe('product cache across two instances', () => {
  it('coalesces concurrent cold HTTP reads, reports the outcome, and invalidation reaches the other instance', async () => {
    const id = await insertProduct('Cold Lamp');
    const [a, b] = [await instance(), await instance()];
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const get = (base: string) =>
      new Promise<{ status: number; timing: string; body: string }>((resolve, reject) => {
        // node:http with a pooled agent: 400 requests in flight without 400 sockets.
        httpGet(trpcQuery(base, 'catalog.product', { id }), { agent }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, timing: String(res.headers['server-timing']), body }));
        }).on('error', reject);
      });
    const replies = await Promise.all([...Array.from({ length: 200 }, () => get(a.api.url)), ...Array.from({ length: 200 }, () => get(b.api.url))]);
    agent.destroy();
    expect(replies.every((r) => r.status === 200 && (JSON.parse(r.body) as ProductReply).result.data.name === 'Cold Lamp')).toBe(true);
    expect(a.productQueries()).toBeLessThanOrEqual(1);
    expect(b.productQueries()).toBeLessThanOrEqual(1);
    expect(replies.every((r) => /ratelimit;dur=[\d.]+, .*cache;dur=[\d.]+, total;dur=[\d.]+$/.test(r.timing))).toBe(true);
    const outcomes = new Set(a.api.logs.filter((l) => l.procedure === 'catalog.product').map((l) => l.cache));
    expect([...outcomes].every((o) => ['miss', 'coalesced', 'hit', 'l2hit'].includes(String(o)))).toBe(true);
    const metrics = (await request(`${a.api.url}/metrics`)).body;
    expect(metrics).toMatch(/triport_cache_events_total\{outcome="(coalesced|hit)"\} [1-9]/);
    expect(metrics).toMatch(/triport_requests_total\{style="trpc",procedure="catalog.product",outcome="ok"\} 200/);
    // A batch is one label value, whatever combination of procedures a client sends.
    const batch = await request(`${a.api.url}/trpc/catalog.product,catalog.product,catalog.product?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { id }, 1: { id }, 2: { id } }))}`);
    expect(batch.status).toBe(200);
    const after = (await request(`${a.api.url}/metrics`)).body;
    expect(after).toMatch(/triport_requests_total\{style="trpc",procedure="batch",outcome="ok"\} 1/);
    expect(after).not.toContain('procedure="catalog.product,');

    // Both instances hold the product. A write + invalidation on A reaches B over pub/sub.
    await db.db.update(products).set({ name: 'Warm Lamp' }).where(eq(products.id, id));
    const read = async (base: string) => (await request(trpcQuery(base, 'catalog.product', { id }))).json<ProductReply>().result.data.name;
    expect(await read(b.api.url)).toBe('Cold Lamp');
    await a.api.api.cache.invalidateTags([`product:${id}`]);
    await until(async () => (await read(b.api.url)) === 'Warm Lamp');
    expect(await read(a.api.url)).toBe('Warm Lamp');
  });
});
