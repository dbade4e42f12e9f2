import { randomBytes } from 'node:crypto';
import { createDb, type DbHandle, migrate } from '@triport/db';
import postgres from 'postgres';
import { type SeedSample, sampleProducts, seedBench } from './seed.ts';

export const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  name: string;
  sample: SeedSample;
  /** Index scans of `products_pkey` so far (flushed by Postgres when a backend exits or goes idle). */
  productPkScans(): Promise<number>;
  drop(): Promise<void>;
}

/**
 * A throwaway database on the local Postgres server, migrated and seeded; `drop()` removes it.
 *
 * @example
 * const bench = await createBenchDatabase({ products: 10_000 });
 * await bench.drop();
 */
export async function createBenchDatabase({ products }: { products: number }): Promise<BenchDatabase> {
  const name = `triport_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const stats = postgres(url.toString(), { max: 1, onnotice: () => {} });
  let handle: DbHandle | undefined;
  let sample: SeedSample;
  try {
    handle = await createDb({ url: url.toString(), maxConnections: 5 });
    await migrate(handle);
    await seedBench(handle.db, products);
    sample = await sampleProducts(handle.db);
    // Close now: this connection's table statistics must be flushed before the stampede counts scans.
    await handle.close();
  } catch (error) {
    await handle?.close();
    await stats.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    throw error;
  }
  return {
    url: url.toString(),
    name,
    sample,
    async productPkScans() {
      // Each call is its own transaction, so the stats snapshot is fresh.
      const [row] = await stats<{ n: string }[]>`
        select coalesce(sum(idx_scan), 0)::text as n from pg_stat_user_indexes where indexrelname = 'products_pkey'`;
      return Number(row?.n ?? 0);
    },
    async drop() {
      await stats.end();
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
