import { type Database, seedDatabase } from '@triport/db';
import { createTestPostgres } from '@triport/db/testing';
import postgres from 'postgres';

export interface ChaosDatabase {
  /** Connection string of the throwaway database (the instances' DATABASE_URL). */
  url: string;
  /** Its name, for `pg_stat_activity` filters. */
  name: string;
  /** A drizzle handle for setup and checks (the harness' own pool, never terminated). */
  db: Database;
  /** A raw postgres.js client on the same database (row locks held by the test). */
  sql: postgres.Sql;
  /**
   * Terminates the backends of API instances (`application_name` = `triport-api-<name>`, set through
   * PGAPPNAME by `startApi`), optionally only those waiting for a lock; returns how many.
   */
  terminateApiBackends(options?: { instance?: string; onlyLockWaiters?: boolean }): Promise<number>;
  /** API backends waiting for a lock right now. */
  lockWaiters(): Promise<number>;
  dispose(): Promise<void>;
}

/**
 * A throwaway database on the shared Postgres (127.0.0.1:5432), migrated and seeded small
 * (default 300 products, the three demo accounts and keys), dropped by `dispose()`.
 *
 * @example
 * const database = await createChaosDatabase();
 * afterAll(() => database.dispose());
 */
export async function createChaosDatabase(options: { products?: number } = {}): Promise<ChaosDatabase> {
  const test = await createTestPostgres();
  const url = test.url!;
  const name = new URL(url).pathname.slice(1);
  await seedDatabase(test.db, { products: options.products ?? 300 });
  const raw = postgres(url, { max: 2, onnotice: () => {} });
  const terminate = async (options: { instance?: string; onlyLockWaiters?: boolean } = {}) => {
    const app = options.instance ? `triport-api-${options.instance}` : 'triport-api-%';
    const rows = await raw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = ${name} AND application_name LIKE ${app}
        AND (${options.onlyLockWaiters === true} = false OR wait_event_type = 'Lock')`;
    return rows.length;
  };
  return {
    url,
    name,
    db: test.db,
    sql: raw,
    terminateApiBackends: terminate,
    async lockWaiters() {
      const [row] = await raw`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = ${name} AND application_name LIKE 'triport-api-%' AND wait_event_type = 'Lock'`;
      return Number(row?.n ?? 0);
    },
    async dispose() {
      await raw.end({ timeout: 5 });
      await test.dispose();
    },
  };
}

/** What the database says about orders and stock: the numbers every fault test reconciles. */
export interface Ledger {
  orders: number;
  placedOrders: number;
  items: number;
  totalCents: number;
  stock: number;
  /** Orders whose total differs from the sum of their lines, or that have no lines. */
  inconsistentOrders: number;
  /** Products whose stock + quantity in placed orders differs from their seeded stock. */
  stockMismatches: number;
}

/**
 * Reads the ledger. `initialStock` (product id → stock before the run) makes `stockMismatches`
 * meaningful: every unit missing from stock must sit in a placed order.
 */
export async function readLedger(raw: postgres.Sql, initialStock?: Map<number, number>): Promise<Ledger> {
  const [sums] = await raw`SELECT
      (SELECT count(*)::int FROM orders) AS orders,
      (SELECT count(*)::int FROM orders WHERE status = 'placed') AS placed_orders,
      (SELECT count(*)::int FROM order_items) AS items,
      (SELECT coalesce(sum(total_cents), 0)::bigint FROM orders WHERE status = 'placed') AS total_cents,
      (SELECT coalesce(sum(stock), 0)::bigint FROM products) AS stock,
      (SELECT count(*)::int FROM orders o WHERE o.total_cents IS DISTINCT FROM
         (SELECT sum(i.quantity * i.unit_price_cents) FROM order_items i WHERE i.order_id = o.id)) AS inconsistent`;
  let stockMismatches = 0;
  if (initialStock) {
    const rows = await raw<{ id: number; stock: number; sold: number }[]>`SELECT p.id, p.stock,
        coalesce((SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
                  WHERE i.product_id = p.id AND o.status = 'placed'), 0)::int AS sold
      FROM products p`;
    for (const r of rows) if (initialStock.get(r.id) !== undefined && r.stock + r.sold !== initialStock.get(r.id)) stockMismatches += 1;
  }
  return {
    orders: Number(sums?.orders),
    placedOrders: Number(sums?.placed_orders),
    items: Number(sums?.items),
    totalCents: Number(sums?.total_cents),
    stock: Number(sums?.stock),
    inconsistentOrders: Number(sums?.inconsistent),
    stockMismatches,
  };
}

/** Product id → stock, to compare against later. */
export async function stockSnapshot(raw: postgres.Sql): Promise<Map<number, number>> {
  const rows = await raw<{ id: number; stock: number }[]>`SELECT id, stock FROM products`;
  return new Map(rows.map((r) => [r.id, r.stock]));
}
