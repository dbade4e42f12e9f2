import { products } from '@triport/db';
import { testDrivers, type TestDb } from '@triport/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../cache/memory-cache.ts';
import type { Cache } from '../cache/types.ts';
import { internalContext, type Principal, type Services } from '../context.ts';
import { queryRows } from '@triport/db';
import { createCaller } from '../router.ts';
import { insertCategory, insertProduct, insertUser, sessionOf, apiKeyOf } from '../orders/testing/fixtures.ts';
import { slugFor } from './products.ts';

/** The real memory cache, recording which tags each write invalidated. */
function recordingCache(): Cache & { invalidated: string[][] } {
  const inner = createMemoryCache();
  const invalidated: string[][] = [];
  return {
    invalidated,
    getOrLoad: (key, load, options) => inner.getOrLoad(key, load, options),
    async invalidateTags(tags) {
      invalidated.push(tags);
      await inner.invalidateTags(tags);
    },
  };
}

describe.each(testDrivers)('admin.products on %s', (_driver, createTestDb) => {
  let t: TestDb;
  let cache: ReturnType<typeof recordingCache>;
  let services: Services;
  let admin: Principal;
  let shopper: Principal;
  let home: { id: number; name: string };
  let kitchen: { id: number; name: string };
  let garden: { id: number; name: string };
  const as = (p: Principal) => createCaller(internalContext(services, p));
  const fields = () => ({
    sku: `K-${Math.random().toString(36).slice(2, 10)}`,
    name: 'Steel Kettle',
    description: 'Boils water',
    brand: 'Acme',
    categoryId: kitchen.id,
    priceCents: 2999,
  });
  const categoryTextOf = async (id: number) =>
    (await t.db.select({ v: products.categoryText }).from(products).where(eq(products.id, id)))[0]?.v;

  beforeAll(async () => {
    t = await createTestDb();
    cache = recordingCache();
    services = { db: t.db, cache };
    admin = sessionOf(await insertUser(t.db, { role: 'admin' }));
    shopper = sessionOf(await insertUser(t.db));
    home = await insertCategory(t.db, { name: 'Home' });
    kitchen = await insertCategory(t.db, { name: 'Kitchen', parentId: home.id });
    garden = await insertCategory(t.db, { name: 'Garden' });
  });
  afterAll(() => t?.dispose());

  it('creates a product with derived slug, category text and version 1, and invalidates the catalog', async () => {
    const input = { ...fields(), tags: ['steel'], stock: 12 };
    const p = await as(admin).admin.products.create(input);
    expect(p).toMatchObject({
      name: 'Steel Kettle',
      slug: slugFor('Steel Kettle', input.sku),
      category: { id: kitchen.id, name: 'Kitchen' },
      priceCents: 2999,
      currency: 'USD',
      stock: 12,
      tags: ['steel'],
      version: 1,
      rating: 0,
    });
    expect(await categoryTextOf(p.id)).toBe('Home Kitchen');
    expect(cache.invalidated.at(-1)).toEqual(['catalog', `product:${p.id}`]);
    await expect(as(admin).catalog.product({ id: p.id })).resolves.toEqual(p);
  });

  it('makes a new product findable by its category names (stored search vector)', async () => {
    const p = await as(admin).admin.products.create({ ...fields(), categoryId: garden.id });
    const hit = async (word: string) =>
      (await queryRows<{ id: number }>(t.db, sql`SELECT id FROM products WHERE id = ${p.id} AND search_vector @@ plainto_tsquery('english', ${word})`)).length;
    expect(await hit('garden')).toBe(1);
    const moved = await as(admin).admin.products.update({ ...fields(), sku: p.sku, id: p.id, version: p.version, categoryId: kitchen.id });
    expect(moved.category.id).toBe(kitchen.id);
    expect(await categoryTextOf(p.id)).toBe('Home Kitchen');
    expect(await hit('garden')).toBe(0);
    expect(await hit('kitchen')).toBe(1);
  });

  it('keeps the search vocabulary current: typo correction knows a new word at once, and forgets it with the product', async () => {
    const terms = async (...words: string[]) =>
      Object.fromEntries(
        (await queryRows<{ term: string; n: number }>(t.db, sql`SELECT term, doc_count AS n FROM search_terms WHERE term IN (${sql.join(words.map((w) => sql`${w}`), sql`, `)})`)).map((r) => [r.term, Number(r.n)]),
      );
    const before = (await terms('kettle')).kettle ?? 0;
    const p = await as(admin).admin.products.create({ ...fields(), name: 'Zephyrine Kettle', tags: ['zephyrine'] });
    expect(await terms('zephyrine', 'kettle')).toEqual({ zephyrine: 2, kettle: before + 1 });
    const found = await as(admin).catalog.search({ q: 'zephyrne' });
    expect(found.query).toMatchObject({ mode: 'corrected', correctedQuery: 'zephyrine' });
    expect(found.items.map((i) => i.id)).toEqual([p.id]);

    // A short prefix is completed from the vocabulary (cached per database): the new word is among them.
    await as(admin).catalog.search({ q: 'ket' });
    const teapot = await as(admin).admin.products.create({ ...fields(), name: 'Ketzal Teapot' });
    expect((await as(admin).catalog.search({ q: 'ket', limit: 100 })).items.map((i) => i.id)).toContain(teapot.id);

    // Renamed: the old word leaves the vocabulary, the new one is corrected to.
    const renamed = await as(admin).admin.products.update({ ...fields(), name: 'Quillonet Kettle', sku: p.sku, id: p.id, version: p.version });
    expect(await terms('zephyrine', 'quillonet', 'kettle')).toEqual({ quillonet: 1, kettle: before + 1 });
    const again = await as(admin).catalog.search({ q: 'quilonet' });
    expect(again.query).toMatchObject({ mode: 'corrected', correctedQuery: 'quillonet' });
    // A stale write changes nothing.
    await expect(as(admin).admin.products.update({ ...fields(), name: 'Other Kettle', sku: p.sku, id: p.id, version: p.version })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await terms('quillonet', 'other')).toEqual({ quillonet: 1 });

    await as(admin).admin.products.delete({ id: p.id, version: renamed.version });
    expect(await terms('quillonet', 'kettle')).toEqual(before ? { kettle: before } : {});
  });

  it.each([
    ['a rating', { rating: 5 }],
    ['a version', { version: 7 }],
    ['an id', { id: 1 }],
    ['a negative price', { priceCents: -1 }],
    ['a fractional price', { priceCents: 1.5 }],
    ['a lower-case currency', { currency: 'usd' }],
    ['an empty name', { name: '   ' }],
    ['a control character', { name: 'bad\u0007name' }],
    ['a bad slug', { slug: 'Not A Slug' }],
  ])('rejects %s on create', async (_name, extra) => {
    await expect(as(admin).admin.products.create({ ...fields(), ...extra } as never)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('answers BAD_REQUEST for an unknown category and CONFLICT for a taken SKU or slug', async () => {
    await expect(as(admin).admin.products.create({ ...fields(), categoryId: 2_000_000_000 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const p = await as(admin).admin.products.create(fields());
    await expect(as(admin).admin.products.create({ ...fields(), sku: p.sku })).rejects.toMatchObject({ code: 'CONFLICT' });
    const err = await as(admin)
      .admin.products.create({ ...fields(), slug: p.slug })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect((err as Error).message).toContain('slug');
  });

  it('updates with optimistic concurrency: the stale writer gets CONFLICT', async () => {
    const p = await as(admin).admin.products.create({ ...fields(), stock: 5 });
    const base = { ...fields(), sku: p.sku, id: p.id, version: p.version };
    const first = await as(admin).admin.products.update({ ...base, name: 'Kettle v2', priceCents: 3499, stockDelta: 3 });
    expect(first).toMatchObject({ version: 2, name: 'Kettle v2', priceCents: 3499, stock: 8, slug: p.slug });
    const err = await as(admin)
      .admin.products.update({ ...base, name: 'Lost update' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect((err as Error).message).toContain('now 2');
    await expect(as(admin).catalog.product({ id: p.id })).resolves.toMatchObject({ name: 'Kettle v2', version: 2 });
    await expect(
      as(admin).admin.products.update({ ...base, id: 2_000_000_000, version: 1 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets exactly one of two concurrent updates from the same version win', async () => {
    const p = await as(admin).admin.products.create(fields());
    const base = { ...fields(), sku: p.sku, id: p.id, version: p.version };
    const results = await Promise.allSettled([
      as(admin).admin.products.update({ ...base, name: 'A' }),
      as(admin).admin.products.update({ ...base, name: 'B' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT' } });
  });

  it('keeps stock changes from orders: stock moves by delta and never below zero', async () => {
    const p = await as(admin).admin.products.create({ ...fields(), stock: 4 });
    const buyer = sessionOf(await insertUser(t.db));
    await as(buyer).orders.create({ lines: [{ productId: p.id, quantity: 3 }] });
    const after = await as(admin).admin.products.update({ ...fields(), sku: p.sku, id: p.id, version: p.version, stockDelta: 10 });
    expect(after.stock).toBe(11);
    await expect(
      as(admin).admin.products.update({ ...fields(), sku: p.sku, id: p.id, version: after.version, stockDelta: -12 }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('deletes at the current version only, and never a product that was ordered', async () => {
    const p = await as(admin).admin.products.create(fields());
    await expect(as(admin).admin.products.delete({ id: p.id, version: p.version + 1 })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(as(admin).admin.products.delete({ id: p.id, version: p.version })).resolves.toEqual({ id: p.id, deleted: true });
    expect(cache.invalidated.at(-1)).toEqual(['catalog', `product:${p.id}`]);
    await expect(as(admin).catalog.product({ id: p.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(as(admin).admin.products.delete({ id: p.id, version: p.version })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const catId = (await insertCategory(t.db)).id;
    const ordered = await insertProduct(t.db, { categoryId: catId, stock: 5 });
    await as(shopper).orders.create({ lines: [{ productId: ordered.id, quantity: 1 }] });
    const err = await as(admin)
      .admin.products.delete({ id: ordered.id, version: ordered.version })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect((err as Error).message).toContain('orders');
  });

  it('is for admins only, whatever the credential', async () => {
    const owner = await insertUser(t.db);
    for (const principal of [shopper, apiKeyOf(owner, 'premium')]) {
      await expect(as(principal).admin.products.create(fields())).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(as({ kind: 'anonymous' }).admin.products.create(fields())).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const adminKey = apiKeyOf(await insertUser(t.db, { role: 'admin' }));
    await expect(as(adminKey).admin.products.create(fields())).resolves.toMatchObject({ version: 1 });
  });
});
