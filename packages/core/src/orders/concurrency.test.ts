import { orderItems, orders } from '@triport/db';
import { testDrivers, type TestDb } from '@triport/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalContext } from '../context.ts';
import { createCaller } from '../router.ts';
import { insertCategory, insertProduct, insertUser, sessionOf, stockOf, testServices } from './testing/fixtures.ts';

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe.each(testDrivers)('orders under contention on %s', (driver, createTestDb) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t?.dispose());

  it('multi-line orders in every line order plus cancels: no deadlock, no oversell, stock adds up', async () => {
    const services = testServices(t.db);
    const categoryId = (await insertCategory(t.db)).id;
    const initial = [40, 25, 60, 10];
    const products = await Promise.all(initial.map((stock) => insertProduct(t.db, { categoryId, stock })));
    const buyers = await Promise.all(Array.from({ length: 8 }, () => insertUser(t.db)));
    const random = rng(42);
    const attempts = driver === 'postgres' ? 300 : 80;

    const outcomes = await Promise.allSettled(
      Array.from({ length: attempts }, async (_, i) => {
        const caller = createCaller(internalContext(services, sessionOf(buyers[i % buyers.length]!)));
        // 1-4 distinct products in a shuffled order, so concurrent orders name rows in opposite orders.
        const chosen = products.filter(() => random() < 0.6);
        if (chosen.length === 0) chosen.push(products[i % products.length]!);
        chosen.sort(() => random() - 0.5);
        const order = await caller.orders.create({
          lines: chosen.map((p) => ({ productId: p.id, quantity: 1 + Math.floor(random() * 3) })),
        });
        if (random() < 0.3) await caller.orders.cancel({ id: order.id });
        return order;
      }),
    );

    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    for (const f of failures) expect(f.reason).toMatchObject({ code: 'CONFLICT' });
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThan(0);

    for (const [i, p] of products.entries()) {
      const [row] = await t.db
        .select({ units: sql<number>`coalesce(sum(${orderItems.quantity}), 0)::int` })
        .from(orderItems)
        .innerJoin(orders, eq(orders.id, orderItems.orderId))
        .where(sql`${orderItems.productId} = ${p.id} AND ${orders.status} = 'placed'`);
      const stock = await stockOf(t.db, p.id);
      expect(stock).toBeGreaterThanOrEqual(0);
      expect(stock + (row?.units ?? 0)).toBe(initial[i]);
    }
  });
});
