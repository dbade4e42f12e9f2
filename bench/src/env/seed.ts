import { createApiKey } from '@triport/core';
import { type Database, demoCredentials, queryRows, seedDatabase } from '@triport/db';
import { sql } from 'drizzle-orm';

/** Stock every product gets after seeding: create-order runs must never run out mid-measurement. */
export const BENCH_STOCK = 1_000_000_000;

/**
 * The project's deterministic seed (catalog + demo accounts and API keys), then a large stock so
 * create-order measures the API rather than an empty shelf.
 *
 * @example
 * await seedBench(handle.db, 10_000);
 */
export async function seedBench(db: Database, products: number): Promise<void> {
  await seedDatabase(db, { products });
  await db.execute(sql`update products set stock = ${BENCH_STOCK}`);
}

/** The API's AUTH_SECRET in bench runs (API keys are derived from it; ≥ 32 bytes). */
export const BENCH_AUTH_SECRET = 'bench-only-auth-secret-0123456789abcdef';

export interface SeedSample {
  /** The first products by id with their SKU (bodies are checked against it). */
  products: Array<{ id: number; sku: string }>;
  /** A premium API key issued with core's createApiKey for the seeded premium user. */
  apiKey: string;
}

/** A few seeded products to address in requests, and an API key for authenticated scenarios. */
export async function sampleProducts(db: Database, count = 1000): Promise<SeedSample> {
  const rows = await queryRows<{ id: number; sku: string }>(db, sql`select id, sku from products order by id limit ${count}`);
  const [owner] = await queryRows<{ id: string }>(db, sql`select id from users where email = ${demoCredentials.developer.email}`);
  if (!owner) throw new Error('The seed has no premium demo user');
  const { key } = await createApiKey(db, Buffer.from(BENCH_AUTH_SECRET, 'utf8'), { userId: owner.id, name: 'bench', plan: 'premium' });
  return { products: rows.map((r) => ({ id: Number(r.id), sku: String(r.sku) })), apiKey: key };
}
