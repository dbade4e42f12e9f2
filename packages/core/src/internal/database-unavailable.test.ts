import { createDb, queryRows } from '@triport/db';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalContext } from '../context.ts';
import { insertCategory, insertProduct, insertUser, sessionOf, testServices } from '../orders/testing/fixtures.ts';
import { createCaller } from '../router.ts';
import { isDatabaseUnavailable } from './database-unavailable.ts';

/*
 * A backend terminated in the middle of an order is provoked end to end in e2e/chaos/postgres-loss
 * (in an API process: postgres.js 3.4.9 may throw an uncatchable error there, which the API guards
 * against). Here the same mapping is checked with a database that refuses connections.
 */
let t: TestDb;
beforeAll(async () => {
  t = await createTestPostgres();
});
afterAll(() => t?.dispose());

describe('a database that cannot be reached', () => {
  it('makes procedures answer UNAVAILABLE with Retry-After, not INTERNAL', async () => {
    const down = await createDb({ url: 'postgres://postgres@127.0.0.1:1/none', maxConnections: 1 });
    const user = await insertUser(t.db);
    const product = await insertProduct(t.db, { categoryId: (await insertCategory(t.db)).id });
    try {
      for (const call of [
        (c: ReturnType<typeof createCaller>) => c.catalog.product({ id: product.id }),
        (c: ReturnType<typeof createCaller>) => c.orders.create({ lines: [{ productId: product.id, quantity: 1 }] }),
      ]) {
        const headers = new Map<string, string>();
        const context = { ...internalContext(testServices(down.db), sessionOf(user)), setHeader: (name: string, value: string | string[]) => void headers.set(name, String(value)) };
        const error = await call(createCaller(context)).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code).toBe('SERVICE_UNAVAILABLE');
        expect((error as TRPCError).message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
        expect(headers.get('Retry-After')).toBe('1');
      }
    } finally {
      await down.close();
    }
  });

  it('is told apart from ordinary query errors', async () => {
    const syntax = await queryRows(t.db, sql`SELEC 1`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(syntax).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(syntax)).toBe(false);
    expect(isDatabaseUnavailable(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: syntax }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    // SQLSTATE 57P01 is what a terminated backend reports.
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
  });
});
