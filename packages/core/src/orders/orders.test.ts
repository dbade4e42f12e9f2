import { randomUUID } from 'node:crypto';
import { idempotencyKeys, orders, orderItems } from '@triport/db';
import { testDrivers, type TestDb } from '@triport/db/testing';
import { TRPCError } from '@trpc/server';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalContext, type Principal } from '../context.ts';
import { createCaller } from '../router.ts';
import {
  apiKeyOf,
  insertCategory,
  insertProduct,
  insertUser,
  sessionOf,
  stockOf,
  testServices,
  type TestUser,
} from './testing/fixtures.ts';

describe.each(testDrivers)('orders on %s', (driver, createTestDb) => {
  let t: TestDb;
  let services: ReturnType<typeof testServices>;
  let categoryId: number;
  let shopperA: TestUser;
  let shopperB: TestUser;
  let admin: TestUser;
  const as = (principal: Principal) => createCaller(internalContext(services, principal));

  beforeAll(async () => {
    t = await createTestDb();
    services = testServices(t.db);
    categoryId = (await insertCategory(t.db)).id;
    shopperA = await insertUser(t.db);
    shopperB = await insertUser(t.db);
    admin = await insertUser(t.db, { role: 'admin' });
  });
  afterAll(() => t?.dispose());

  const ordersOf = async (userId: string) =>
    (await t.db.select({ n: count() }).from(orders).where(eq(orders.userId, userId)))[0]?.n ?? 0;

  describe('create', () => {
    it('re-prices from the database and decrements stock', async () => {
      const p1 = await insertProduct(t.db, { categoryId, stock: 10, priceCents: 1250 });
      const p2 = await insertProduct(t.db, { categoryId, stock: 5, priceCents: 99 });
      const order = await as(sessionOf(shopperA)).orders.create({
        lines: [
          { productId: p2.id, quantity: 3 },
          { productId: p1.id, quantity: 2 },
        ],
      });
      expect(order).toMatchObject({ userId: shopperA.id, status: 'placed', currency: 'USD', totalCents: 2 * 1250 + 3 * 99 });
      expect(order.lines).toEqual([
        { productId: p1.id, name: p1.name, quantity: 2, unitPriceCents: 1250, lineTotalCents: 2500 },
        { productId: p2.id, name: p2.name, quantity: 3, unitPriceCents: 99, lineTotalCents: 297 },
      ]);
      expect(Date.parse(order.cancellableUntil ?? '')).toBeGreaterThan(Date.parse(order.createdAt));
      expect(await stockOf(t.db, p1.id)).toBe(8);
      expect(await stockOf(t.db, p2.id)).toBe(2);
      await expect(as(sessionOf(shopperA)).orders.get({ id: order.id })).resolves.toEqual(order);
    });

    it.each([
      ['a client price on a line', { lines: [{ productId: 1, quantity: 1, unitPriceCents: 1 }] }],
      ['a client price', { lines: [{ productId: 1, quantity: 1 }], priceCents: 1 }],
      ['a total', { lines: [{ productId: 1, quantity: 1 }], totalCents: 1 }],
      ['another owner', { lines: [{ productId: 1, quantity: 1 }], userId: randomUUID() }],
      ['a status', { lines: [{ productId: 1, quantity: 1 }], status: 'cancelled' }],
      ['a stock level', { lines: [{ productId: 1, quantity: 1, stock: 1000 }] }],
      ['a role', { lines: [{ productId: 1, quantity: 1 }], role: 'admin' }],
    ])('rejects mass assignment of %s (strict input)', async (_name, input) => {
      const err = await as(sessionOf(shopperA))
        .orders.create(input as never)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCError);
      expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    });

    it.each([
      ['no lines', { lines: [] }],
      ['quantity 0', { lines: [{ productId: 1, quantity: 0 }] }],
      ['quantity 101', { lines: [{ productId: 1, quantity: 101 }] }],
      ['a fractional quantity', { lines: [{ productId: 1, quantity: 1.5 }] }],
      ['a quantity as text', { lines: [{ productId: 1, quantity: '1' }] }],
      ['a product id as boolean', { lines: [{ productId: true, quantity: 1 }] }],
      ['51 lines', { lines: Array.from({ length: 51 }, (_, i) => ({ productId: i + 1, quantity: 1 })) }],
      ['duplicate products', { lines: [{ productId: 1, quantity: 1 }, { productId: 1, quantity: 2 }] }],
      ['an idempotency key with spaces', { lines: [{ productId: 1, quantity: 1 }], idempotencyKey: 'a b' }],
    ])('rejects %s', async (_name, input) => {
      await expect(as(sessionOf(shopperA)).orders.create(input as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('accepts 50 lines of quantity 100', async () => {
      const lines = [];
      for (let i = 0; i < 50; i++) {
        const p = await insertProduct(t.db, { categoryId, stock: 100, priceCents: 1 });
        lines.push({ productId: p.id, quantity: 100 });
      }
      const order = await as(sessionOf(shopperB)).orders.create({ lines });
      expect(order.lines).toHaveLength(50);
      expect(order.totalCents).toBe(5000);
      expect(await stockOf(t.db, lines[49]!.productId)).toBe(0);
    });

    it('creates nothing when one line lacks stock, and names the product', async () => {
      const user = await insertUser(t.db);
      const ok = await insertProduct(t.db, { categoryId, stock: 10 });
      const short = await insertProduct(t.db, { categoryId, stock: 1, name: 'Scarce Widget' });
      const err = await as(sessionOf(user))
        .orders.create({ lines: [{ productId: ok.id, quantity: 5 }, { productId: short.id, quantity: 2 }] })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CONFLICT' });
      expect((err as Error).message).toContain(`product ${short.id} (Scarce Widget)`);
      expect(await stockOf(t.db, ok.id)).toBe(10);
      expect(await stockOf(t.db, short.id)).toBe(1);
      expect(await ordersOf(user.id)).toBe(0);
    });

    it('answers NOT_FOUND for an unknown product and changes nothing', async () => {
      const user = await insertUser(t.db);
      const ok = await insertProduct(t.db, { categoryId, stock: 10 });
      const err = await as(sessionOf(user))
        .orders.create({ lines: [{ productId: ok.id, quantity: 1 }, { productId: 2_000_000_000, quantity: 1 }] })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'NOT_FOUND' });
      expect((err as Error).message).toContain('2000000000');
      expect(await stockOf(t.db, ok.id)).toBe(10);
      expect(await ordersOf(user.id)).toBe(0);
    });

    it('refuses a cart mixing currencies', async () => {
      const usd = await insertProduct(t.db, { categoryId, stock: 10 });
      const eur = await insertProduct(t.db, { categoryId, stock: 10, currency: 'EUR' });
      await expect(
        as(sessionOf(shopperA)).orders.create({ lines: [{ productId: usd.id, quantity: 1 }, { productId: eur.id, quantity: 1 }] }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect(await stockOf(t.db, usd.id)).toBe(10);
    });

    it('refuses a total beyond the integer column instead of overflowing', async () => {
      const pricey = await insertProduct(t.db, { categoryId, stock: 100, priceCents: 2_000_000_000 });
      await expect(
        as(sessionOf(shopperA)).orders.create({ lines: [{ productId: pricey.id, quantity: 2 }] }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect(await stockOf(t.db, pricey.id)).toBe(100);
    });

    it('refreshes the cached product stock after an order', async () => {
      const p = await insertProduct(t.db, { categoryId, stock: 7 });
      const anon = createCaller(internalContext(services));
      expect((await anon.catalog.product({ id: p.id })).stock).toBe(7);
      await as(sessionOf(shopperA)).orders.create({ lines: [{ productId: p.id, quantity: 2 }] });
      expect((await anon.catalog.product({ id: p.id })).stock).toBe(5);
    });
  });

  describe('idempotency', () => {
    it('returns the first result for the same key and body, in any line order', async () => {
      const user = await insertUser(t.db);
      const p1 = await insertProduct(t.db, { categoryId, stock: 10 });
      const p2 = await insertProduct(t.db, { categoryId, stock: 10 });
      const principal = sessionOf(user);
      const key = randomUUID();
      const first = await as(principal).orders.create({
        lines: [{ productId: p1.id, quantity: 1 }, { productId: p2.id, quantity: 2 }],
        idempotencyKey: key,
      });
      const again = await as(principal).orders.create({
        lines: [{ productId: p2.id, quantity: 2 }, { productId: p1.id, quantity: 1 }],
        idempotencyKey: key,
      });
      expect(again).toEqual(first);
      expect(await ordersOf(user.id)).toBe(1);
      expect(await stockOf(t.db, p1.id)).toBe(9);
      expect(await stockOf(t.db, p2.id)).toBe(8);
    });

    it('answers CONFLICT for the same key with another body', async () => {
      const user = await insertUser(t.db);
      const p = await insertProduct(t.db, { categoryId, stock: 10 });
      const key = randomUUID();
      const principal = sessionOf(user);
      await as(principal).orders.create({ lines: [{ productId: p.id, quantity: 1 }], idempotencyKey: key });
      await expect(
        as(principal).orders.create({ lines: [{ productId: p.id, quantity: 2 }], idempotencyKey: key }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await ordersOf(user.id)).toBe(1);
      expect(await stockOf(t.db, p.id)).toBe(9);
    });

    it('scopes keys per principal: another user or an API key gets its own order', async () => {
      const p = await insertProduct(t.db, { categoryId, stock: 10 });
      const [u1, u2] = [await insertUser(t.db), await insertUser(t.db)];
      const key = `shared-${randomUUID()}`;
      const input = { lines: [{ productId: p.id, quantity: 1 }], idempotencyKey: key };
      const a = await as(sessionOf(u1)).orders.create(input);
      const b = await as(sessionOf(u2)).orders.create(input);
      const viaKey = await as(apiKeyOf(u1)).orders.create(input);
      expect(new Set([a.id, b.id, viaKey.id]).size).toBe(3);
      expect(await stockOf(t.db, p.id)).toBe(7);
    });

    it('does not burn the key when the order fails', async () => {
      const user = await insertUser(t.db);
      const p = await insertProduct(t.db, { categoryId, stock: 1 });
      const key = randomUUID();
      const input = { lines: [{ productId: p.id, quantity: 2 }], idempotencyKey: key };
      await expect(as(sessionOf(user)).orders.create(input)).rejects.toMatchObject({ code: 'CONFLICT' });
      await t.db.execute(sql`UPDATE products SET stock = 5 WHERE id = ${p.id}`);
      const order = await as(sessionOf(user)).orders.create(input);
      expect(order.totalCents).toBe(2000);
      expect(await stockOf(t.db, p.id)).toBe(3);
    });

    it('treats an expired key as new', async () => {
      const user = await insertUser(t.db);
      const principal = sessionOf(user);
      const p = await insertProduct(t.db, { categoryId, stock: 10 });
      const key = randomUUID();
      const input = { lines: [{ productId: p.id, quantity: 1 }], idempotencyKey: key };
      const first = await as(principal).orders.create(input);
      await t.db
        .update(idempotencyKeys)
        .set({ expiresAt: sql`now() - interval '1 second'` })
        .where(and(eq(idempotencyKeys.scope, `user:${user.id}`), eq(idempotencyKeys.key, key)));
      const second = await as(principal).orders.create(input);
      expect(second.id).not.toBe(first.id);
      expect(await ordersOf(user.id)).toBe(2);
      const [row] = await t.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
      expect(row?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    });

    it('creates one order for concurrent duplicates', async () => {
      const user = await insertUser(t.db);
      const principal = sessionOf(user);
      const p = await insertProduct(t.db, { categoryId, stock: 100 });
      const input = { lines: [{ productId: p.id, quantity: 3 }], idempotencyKey: randomUUID() };
      const results = await Promise.all(Array.from({ length: 20 }, () => as(principal).orders.create(input)));
      expect(new Set(results.map((o) => o.id)).size).toBe(1);
      expect(await ordersOf(user.id)).toBe(1);
      expect(await stockOf(t.db, p.id)).toBe(97);
    });
  });

  it(`never oversells: ${driver === 'postgres' ? 500 : 120} concurrent orders of 1 unit against stock ${driver === 'postgres' ? 50 : 30}`, async () => {
    const [attempts, stock] = driver === 'postgres' ? [500, 50] : [120, 30];
    const p = await insertProduct(t.db, { categoryId, stock });
    const buyers = await Promise.all(Array.from({ length: 10 }, () => insertUser(t.db)));
    const results = await Promise.allSettled(
      Array.from({ length: attempts }, (_, i) =>
        as(sessionOf(buyers[i % buyers.length]!)).orders.create({ lines: [{ productId: p.id, quantity: 1 }] }),
      ),
    );
    const placed = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(placed).toHaveLength(stock);
    expect(refused).toHaveLength(attempts - stock);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'CONFLICT' });
    expect(await stockOf(t.db, p.id)).toBe(0);
    const [sold] = await t.db
      .select({ orders: count(), units: sql<number>`sum(${orderItems.quantity})::int` })
      .from(orderItems)
      .where(eq(orderItems.productId, p.id));
    expect(sold).toEqual({ orders: stock, units: stock });
  });

  describe('get and list', () => {
    it('hides other people’s orders behind NOT_FOUND; admins see them', async () => {
      const p = await insertProduct(t.db, { categoryId, stock: 10 });
      const order = await as(sessionOf(shopperA)).orders.create({ lines: [{ productId: p.id, quantity: 1 }] });
      await expect(as(sessionOf(shopperB)).orders.get({ id: order.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(as(sessionOf(shopperB)).orders.get({ id: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(as(apiKeyOf(shopperB)).orders.get({ id: order.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(as(apiKeyOf(shopperA)).orders.get({ id: order.id })).resolves.toEqual(order);
      await expect(as(sessionOf(admin)).orders.get({ id: order.id })).resolves.toEqual(order);
      await expect(as(sessionOf(shopperB)).orders.get({ id: 'not-a-uuid' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('pages newest first with an opaque cursor, also through equal timestamps', async () => {
      const user = await insertUser(t.db);
      const other = await insertUser(t.db);
      const p = await insertProduct(t.db, { categoryId, stock: 100 });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await as(sessionOf(user)).orders.create({ lines: [{ productId: p.id, quantity: 1 }] })).id);
      }
      await as(sessionOf(other)).orders.create({ lines: [{ productId: p.id, quantity: 1 }] });
      // Three orders sharing one timestamp: only the id tie-breaker keeps pages disjoint.
      const same = new Date('2020-01-01T00:00:00.123456Z');
      const tied = await t.db
        .insert(orders)
        .values([0, 1, 2].map(() => ({ userId: user.id, totalCents: 0, createdAt: same })))
        .returning({ id: orders.id });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await as(sessionOf(user)).orders.list({ limit: 2, cursor });
        seen.push(...page.orders.map((o) => o.id));
        for (const o of page.orders) expect(o.userId).toBe(user.id);
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(4);
      expect(seen).toHaveLength(8);
      expect(seen.slice(0, 5)).toEqual([...ids].reverse());
      expect(seen.slice(5).sort()).toEqual(tied.map((r) => r.id).sort());
      const firstPage = await as(sessionOf(user)).orders.list();
      expect(firstPage.orders.map((o) => o.id)).toEqual(seen);
      expect(firstPage.nextCursor).toBeNull();
    });

    it('lets only admins list another user’s orders', async () => {
      const p = await insertProduct(t.db, { categoryId, stock: 10 });
      const user = await insertUser(t.db);
      const order = await as(sessionOf(user)).orders.create({ lines: [{ productId: p.id, quantity: 1 }] });
      await expect(as(sessionOf(shopperB)).orders.list({ userId: user.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect((await as(sessionOf(shopperB)).orders.list()).orders.map((o) => o.id)).not.toContain(order.id);
      expect((await as(sessionOf(admin)).orders.list({ userId: user.id })).orders.map((o) => o.id)).toEqual([order.id]);
      expect((await as(sessionOf(user)).orders.list({ userId: user.id })).orders.map((o) => o.id)).toEqual([order.id]);
    });

    it.each(['garbage', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('{}').toString('base64url')])(
      'rejects the cursor %s',
      async (cursor) => {
        await expect(as(sessionOf(shopperA)).orders.list({ cursor })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      },
    );
  });

  describe('cancel', () => {
    it('restocks once, is idempotent and hides other people’s orders', async () => {
      const p = await insertProduct(t.db, { categoryId, stock: 10 });
      const q = await insertProduct(t.db, { categoryId, stock: 10 });
      const order = await as(sessionOf(shopperA)).orders.create({
        lines: [{ productId: p.id, quantity: 4 }, { productId: q.id, quantity: 1 }],
      });
      await expect(as(sessionOf(shopperB)).orders.cancel({ id: order.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const cancelled = await as(sessionOf(shopperA)).orders.cancel({ id: order.id });
      expect(cancelled).toMatchObject({ id: order.id, status: 'cancelled', cancellableUntil: null });
      expect(await stockOf(t.db, p.id)).toBe(10);
      expect(await stockOf(t.db, q.id)).toBe(9 + 1);
      const again = await as(sessionOf(shopperA)).orders.cancel({ id: order.id });
      expect(again).toEqual(cancelled);
      expect(await stockOf(t.db, p.id)).toBe(10);
    });

    it('restocks exactly once under concurrent cancels', async () => {
      const p = await insertProduct(t.db, { categoryId, stock: 10 });
      const order = await as(sessionOf(shopperA)).orders.create({ lines: [{ productId: p.id, quantity: 3 }] });
      const results = await Promise.all(Array.from({ length: 10 }, () => as(sessionOf(shopperA)).orders.cancel({ id: order.id })));
      for (const r of results) expect(r.status).toBe('cancelled');
      expect(await stockOf(t.db, p.id)).toBe(10);
    });

    it('refuses after the cancel window and lets admins cancel any order', async () => {
      const p = await insertProduct(t.db, { categoryId, stock: 10 });
      const late = await as(sessionOf(shopperA)).orders.create({ lines: [{ productId: p.id, quantity: 1 }] });
      await t.db.update(orders).set({ createdAt: sql`now() - interval '31 minutes'` }).where(eq(orders.id, late.id));
      await expect(as(sessionOf(shopperA)).orders.cancel({ id: late.id })).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await stockOf(t.db, p.id)).toBe(9);
      const recent = await as(sessionOf(shopperA)).orders.create({ lines: [{ productId: p.id, quantity: 2 }] });
      await expect(as(sessionOf(admin)).orders.cancel({ id: recent.id })).resolves.toMatchObject({ status: 'cancelled' });
      expect(await stockOf(t.db, p.id)).toBe(9);
    });
  });
});
