import { sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { queryRows } from '../rows.ts';
import { refreshSearchTerms } from '../search-terms.ts';
import { demoAccounts, demoCredentials } from './demo-accounts.ts';
import { generateProduct, planCatalog, type SeedProduct } from './generate.ts';
import { createRng } from './prng.ts';

export interface SeedProgress {
  phase: 'categories' | 'products' | 'indexes' | 'accounts' | 'terms' | 'analyze';
  done: number;
  total: number;
}

export interface SeedOptions {
  /** Number of products (default 10,000). */
  products?: number;
  /** PRNG seed (default 42): same seed → same catalog, on Postgres and PGlite. */
  seed?: number;
  /** Truncate every seeded table (and what references it) first. Without it a seeded database is left alone. */
  reset?: boolean;
  /**
   * From this many products into an empty table, drop the secondary indexes, load, CLUSTER by category and
   * rebuild them (default 50,000).
   */
  bulkFrom?: number;
  /** Rows per INSERT (default 5,000). Each batch is one JSON parameter, so the 65,535-parameter limit never applies. */
  batchSize?: number;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedReport {
  /** True when the database was already seeded and nothing was written. */
  skipped: boolean;
  seed: number;
  products: number;
  categories: number;
  users: number;
  apiKeys: number;
  /** Secondary product indexes were dropped and rebuilt after the load (large loads into an empty table). */
  rebuiltIndexes: boolean;
  ms: number;
  credentials: typeof demoCredentials;
}

/** Above this many products into an empty table, building indexes once beats maintaining them per row. */
const rebuildIndexesFrom = 50_000;

/**
 * True when the catalog already has products or the demo shopper exists.
 *
 * @example
 * if (!(await isSeeded(db))) await seedDatabase(db);
 */
export async function isSeeded(db: Database): Promise<boolean> {
  const [row] = await queryRows<{ seeded: boolean }>(
    db,
    sql`SELECT (EXISTS (SELECT 1 FROM products) OR EXISTS (SELECT 1 FROM users WHERE email = ${demoCredentials.shopper.email})) AS seeded`,
  );
  return row?.seeded === true;
}

/**
 * Fills the catalog (category tree, products) and the demo accounts deterministically, in one
 * transaction: the database is either fully seeded or untouched.
 *
 * @example
 * const { db } = await createDb();
 * await migrate(handle);
 * const report = await seedDatabase(db, { products: 10_000, seed: 42 });
 */
export async function seedDatabase(db: Database, options: SeedOptions = {}): Promise<SeedReport> {
  const started = performance.now();
  const total = options.products ?? 10_000;
  const seed = options.seed ?? 42;
  const batchSize = options.batchSize ?? 5_000;
  if (!Number.isInteger(total) || total < 0 || total > 50_000_000) throw new RangeError('products must be an integer in 0..50,000,000');
  if (!Number.isInteger(seed)) throw new RangeError('seed must be an integer');
  const progress = options.onProgress ?? (() => {});

  const report = (skipped: boolean, counts: Partial<SeedReport> = {}): SeedReport => ({
    skipped,
    seed,
    products: 0,
    categories: 0,
    users: 0,
    apiKeys: 0,
    rebuiltIndexes: false,
    ms: Math.round(performance.now() - started),
    credentials: demoCredentials,
    ...counts,
  });

  if (!options.reset && (await isSeeded(db))) return report(true);

  const plan = planCatalog();
  // Separate streams: the accounts never shift the products, whatever the product count.
  const productRng = createRng(seed);
  const accountRng = createRng(seed ^ 0x5eed);
  const accounts = demoAccounts(accountRng);
  let rebuiltIndexes = false;

  await db.transaction(async (txn) => {
    const tx = txn as unknown as Database;
    if (options.reset) {
      await tx.execute(
        sql`TRUNCATE products, categories, search_terms, users, api_keys, sessions, orders, order_items, idempotency_keys RESTART IDENTITY CASCADE`,
      );
    }

    progress({ phase: 'categories', done: 0, total: plan.categories.length });
    await tx.execute(sql`
      INSERT INTO categories (id, slug, name, parent_id, path, depth) OVERRIDING SYSTEM VALUE
      SELECT id, slug, name, parent_id, path, depth
      FROM json_to_recordset(${JSON.stringify(plan.categories.map((c) => ({ ...c, parent_id: c.parentId })))}::json)
        AS x(id int, slug text, name text, parent_id int, path text, depth smallint)
      ORDER BY id`);
    await tx.execute(sql`SELECT setval(pg_get_serial_sequence('categories', 'id'), (SELECT max(id) FROM categories))`);
    progress({ phase: 'categories', done: plan.categories.length, total: plan.categories.length });

    const dropped = total >= (options.bulkFrom ?? rebuildIndexesFrom) ? await dropSecondaryIndexes(tx) : [];
    rebuiltIndexes = dropped.length > 0;

    for (let start = 1; start <= total; start += batchSize) {
      const end = Math.min(total, start + batchSize - 1);
      const batch: SeedProduct[] = [];
      for (let id = start; id <= end; id++) batch.push(generateProduct(plan, productRng, id));
      await insertProducts(tx, batch);
      progress({ phase: 'products', done: end, total });
    }
    if (total > 0) await tx.execute(sql`SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products))`);

    // More memory makes the GIN builds much faster; SET LOCAL ends with the transaction.
    if (dropped.length) await tx.execute(sql`SET LOCAL maintenance_work_mem = '256MB'`);
    // Physical order by category: a broad word ("laptop", "wireless") then lives in a few thousand
    // adjacent pages instead of one page per match (docs/search.md). CLUSTER rewrites the table once.
    const categoryIndex = dropped.find((d) => d.name === 'products_category_idx');
    if (categoryIndex) {
      progress({ phase: 'indexes', done: 0, total: dropped.length });
      await tx.execute(sql.raw(categoryIndex.def));
      await tx.execute(sql`CLUSTER products USING products_category_idx`);
    }
    const rest = dropped.filter((d) => d !== categoryIndex);
    for (let i = 0; i < rest.length; i++) {
      progress({ phase: 'indexes', done: i + (categoryIndex ? 1 : 0), total: dropped.length });
      await tx.execute(sql.raw((rest[i] as { def: string }).def));
    }
    if (dropped.length) progress({ phase: 'indexes', done: dropped.length, total: dropped.length });

    progress({ phase: 'accounts', done: 0, total: accounts.users.length });
    await tx.execute(sql`
      INSERT INTO users (id, email, name, password_hash, role, plan)
      SELECT id, email, name, password_hash, role::user_role, plan::plan
      FROM json_to_recordset(${JSON.stringify(accounts.users.map((u) => ({ ...u, password_hash: u.passwordHash })))}::json)
        AS x(id uuid, email text, name text, password_hash text, role text, plan text)
      ON CONFLICT (email) DO NOTHING`);
    await tx.execute(sql`
      INSERT INTO api_keys (id, user_id, name, prefix, key_hash, plan)
      SELECT x.id, x.user_id, x.name, x.prefix, x.key_hash, x.plan::plan
      FROM json_to_recordset(${JSON.stringify(accounts.apiKeys.map((k) => ({ ...k, user_id: k.userId, key_hash: k.keyHash })))}::json)
        AS x(id uuid, user_id uuid, name text, prefix text, key_hash text, plan text)
      JOIN users u ON u.id = x.user_id
      ON CONFLICT (prefix) DO NOTHING`);
    progress({ phase: 'accounts', done: accounts.users.length, total: accounts.users.length });
  });

  progress({ phase: 'terms', done: 0, total: 1 });
  await refreshSearchTerms(db);
  progress({ phase: 'terms', done: 1, total: 1 });
  // Fresh statistics: the planner's choices for search depend on them (see docs/search.md).
  progress({ phase: 'analyze', done: 0, total: 1 });
  await db.execute(sql`ANALYZE categories`);
  await db.execute(sql`ANALYZE products`);
  progress({ phase: 'analyze', done: 1, total: 1 });

  return report(false, {
    products: total,
    categories: plan.categories.length,
    users: accounts.users.length,
    apiKeys: accounts.apiKeys.length,
    rebuiltIndexes,
  });
}

async function insertProducts(db: Database, batch: SeedProduct[]): Promise<void> {
  // One JSON parameter per batch: fast on both drivers and far below the bind-parameter limit.
  const json = JSON.stringify(
    batch.map((p) => ({
      id: p.id,
      sku: p.sku,
      slug: p.slug,
      name: p.name,
      description: p.description,
      brand: p.brand,
      category_id: p.categoryId,
      category_text: p.categoryText,
      price_cents: p.priceCents,
      stock: p.stock,
      rating: p.rating,
      rating_count: p.ratingCount,
      tags: p.tags,
      created_at: p.createdAt,
    })),
  );
  await db.execute(sql`
    INSERT INTO products (id, sku, slug, name, description, brand, category_id, category_text, price_cents,
                          stock, rating, rating_count, tags, created_at, updated_at) OVERRIDING SYSTEM VALUE
    SELECT id, sku, slug, name, description, brand, category_id, category_text, price_cents,
           stock, rating, rating_count, tags, created_at, created_at
    FROM json_to_recordset(${json}::json)
      AS x(id int, sku text, slug text, name text, description text, brand text, category_id int, category_text text,
           price_cents int, stock int, rating real, rating_count int, tags text[], created_at timestamptz)`);
}

/**
 * Drops the product indexes that do not back a constraint and returns the statements that recreate
 * them (exact definitions from the catalog, so indexes added by later migrations are kept too).
 * Only when the table is empty: then one bulk build per index is much cheaper than per-row upkeep.
 */
async function dropSecondaryIndexes(db: Database): Promise<Array<{ name: string; def: string }>> {
  const [empty] = await queryRows<{ empty: boolean }>(db, sql`SELECT NOT EXISTS (SELECT 1 FROM products) AS empty`);
  if (!empty?.empty) return [];
  const rows = await queryRows<{ name: string; def: string }>(
    db,
    sql`SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = 'products'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        ORDER BY i.relname`,
  );
  for (const row of rows) await db.execute(sql`DROP INDEX ${sql.identifier(row.name)}`);
  return rows.map((r) => ({ name: r.name, def: r.def }));
}
