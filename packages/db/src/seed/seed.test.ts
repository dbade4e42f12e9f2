import { createHash, scryptSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../client.ts';
import { queryRows } from '../rows.ts';
import { testDrivers } from '../testing.ts';
import { demoCredentials } from './demo-accounts.ts';
import { generateProduct, planCatalog } from './generate.ts';
import { createRng } from './prng.ts';
import { isSeeded, seedDatabase } from './seed.ts';

/** md5 over the first `n` products as Postgres prints them: equal on both drivers iff the data is. */
async function checksum(db: Database, n: number): Promise<string> {
  const [row] = await queryRows<{ sum: string }>(
    db,
    sql`SELECT md5(string_agg(concat_ws('|', id, sku, slug, name, description, brand, category_id, category_text,
          price_cents, currency, stock, rating, rating_count, array_to_string(tags, ','),
          to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS'), search_vector::text), E'\n' ORDER BY id)) AS sum
        FROM (SELECT * FROM products ORDER BY id LIMIT ${n}) p`,
  );
  return row?.sum ?? '';
}

function verifyScrypt(password: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  expect(scheme).toBe('scrypt');
  const derived = scryptSync(password, Buffer.from(salt!, 'base64url'), 32, { N: Number(n), r: Number(r), p: Number(p) });
  return derived.toString('base64url') === hash;
}

const checksums = new Map<string, string>();

describe.each(testDrivers)('seedDatabase on %s', (driver, create) => {
  it('seeds a believable catalog and the demo accounts, once', async () => {
    const t = await create();
    try {
      expect(await isSeeded(t.db)).toBe(false);
      const phases = new Set<string>();
      const report = await seedDatabase(t.db, { products: 2_500, seed: 7, batchSize: 1_000, onProgress: (p) => phases.add(p.phase) });
      expect(report).toMatchObject({ skipped: false, products: 2_500, users: 3, apiKeys: 2 });
      expect(phases).toContain('products');
      expect(await isSeeded(t.db)).toBe(true);
      checksums.set(driver, await checksum(t.db, 2_500));

      const [counts] = await queryRows<{ products: number; skus: number; slugs: number; zero_stock: number; unrated: number; min_created: string; max_created: string }>(
        t.db,
        sql`SELECT count(*)::int AS products, count(DISTINCT sku)::int AS skus, count(DISTINCT slug)::int AS slugs,
                   count(*) FILTER (WHERE stock = 0)::int AS zero_stock, count(*) FILTER (WHERE rating_count = 0)::int AS unrated,
                   min(created_at)::text AS min_created, max(created_at)::text AS max_created
            FROM products`,
      );
      expect(counts).toMatchObject({ products: 2_500, skus: 2_500, slugs: 2_500 });
      expect(counts!.zero_stock).toBeGreaterThan(100);
      expect(counts!.unrated).toBeGreaterThan(100);
      expect(counts!.min_created < '2024-11-01').toBe(true);
      expect(counts!.max_created > '2026-06-01').toBe(true);

      // Products sit in leaves; paths are consistent with parents; the tree has ~8 departments.
      const [tree] = await queryRows<{ roots: number; bad_paths: number; non_leaf_products: number; max_depth: number }>(
        t.db,
        sql`SELECT (SELECT count(*)::int FROM categories WHERE parent_id IS NULL) AS roots,
                   (SELECT count(*)::int FROM categories c JOIN categories p ON p.id = c.parent_id
                     WHERE c.path <> p.path || c.id || '/' OR c.depth <> p.depth + 1) AS bad_paths,
                   (SELECT count(*)::int FROM products pr WHERE EXISTS (SELECT 1 FROM categories c WHERE c.parent_id = pr.category_id)) AS non_leaf_products,
                   (SELECT max(depth)::int FROM categories) AS max_depth`,
      );
      expect(tree).toEqual({ roots: 8, bad_paths: 0, non_leaf_products: 0, max_depth: 2 });

      // Words shoppers type exist in the search vector.
      for (const word of ['laptop', 'headphones', 'keyboard', 'monitor', 'phone', 'camera', 'shoes', 'jacket', 'coffee']) {
        const [hit] = await queryRows<{ n: number }>(
          t.db,
          sql`SELECT count(*)::int AS n FROM products WHERE search_vector @@ plainto_tsquery('english', ${word})`,
        );
        expect(hit!.n, word).toBeGreaterThan(5);
      }

      const users = await queryRows<{ email: string; password_hash: string; role: string; plan: string }>(
        t.db,
        sql`SELECT email, password_hash, role::text, plan::text FROM users ORDER BY email`,
      );
      const byEmail = new Map(users.map((u) => [u.email, u]));
      const shopper = byEmail.get(demoCredentials.shopper.email)!;
      const admin = byEmail.get(demoCredentials.admin.email)!;
      expect(shopper.role).toBe('shopper');
      expect(admin.role).toBe('admin');
      expect(verifyScrypt(demoCredentials.shopper.password, shopper.password_hash)).toBe(true);
      expect(verifyScrypt(demoCredentials.admin.password, admin.password_hash)).toBe(true);
      expect(verifyScrypt('wrong-password', admin.password_hash)).toBe(false);
      expect(shopper.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);

      const keys = await queryRows<{ prefix: string; key_hash: string; plan: string; email: string }>(
        t.db,
        sql`SELECT k.prefix, k.key_hash, k.plan::text, u.email FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.plan`,
      );
      const sha = (s: string) => createHash('sha256').update(s).digest('hex');
      expect(keys).toEqual([
        { prefix: 'tp_free_demofree0001', key_hash: sha(demoCredentials.freeApiKey), plan: 'free', email: demoCredentials.shopper.email },
        { prefix: 'tp_premium_demoprem0001', key_hash: sha(demoCredentials.premiumApiKey), plan: 'premium', email: demoCredentials.developer.email },
      ]);

      // Already seeded: a no-op; reset: starts over with another seed.
      expect((await seedDatabase(t.db, { products: 10 })).skipped).toBe(true);
      const again = await seedDatabase(t.db, { products: 300, seed: 8, reset: true });
      expect(again.skipped).toBe(false);
      const [after] = await queryRows<{ n: number; first: string; users: number }>(
        t.db,
        sql`SELECT count(*)::int AS n, (SELECT name FROM products WHERE id = 1) AS first, (SELECT count(*)::int FROM users) AS users FROM products`,
      );
      const expectedFirst = generateProduct(planCatalog(), createRng(8), 1).name;
      expect(after).toEqual({ n: 300, first: expectedFirst, users: 3 });
    } finally {
      await t.dispose();
    }
  });
});

describe.each(testDrivers)('bulk seeding on %s', (_driver, create) => {
  it('drops, clusters and rebuilds the product indexes without changing the data', async () => {
    const plain = await create();
    const bulk = await create();
    try {
      const indexes = async (db: Database) =>
        queryRows<{ def: string }>(db, sql`SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'products' ORDER BY indexname`);
      const before = await indexes(bulk.db);
      await seedDatabase(plain.db, { products: 600, seed: 3 });
      const report = await seedDatabase(bulk.db, { products: 600, seed: 3, bulkFrom: 100, batchSize: 250 });
      expect(report.rebuiltIndexes).toBe(true);
      expect(await indexes(bulk.db)).toEqual(before);
      expect(await checksum(bulk.db, 600)).toBe(await checksum(plain.db, 600));
      // Physically grouped by category now: ctid order follows category_id.
      const rows = await queryRows<{ category_id: number }>(bulk.db, sql`SELECT category_id FROM products ORDER BY ctid`);
      const ids = rows.map((r) => r.category_id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      await plain.dispose();
      await bulk.dispose();
    }
  });
});

describe('determinism', () => {
  it('gives the same rows on PGlite and Postgres for the same seed', () => {
    expect(checksums.size).toBe(2);
    expect(checksums.get('postgres')).toMatch(/^[0-9a-f]{32}$/);
    expect(checksums.get('pglite')).toBe(checksums.get('postgres'));
  });

  it('generates the same products in JS for the same seed, other ones for another seed', () => {
    const plan = planCatalog();
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const run = (rng: ReturnType<typeof createRng>) => Array.from({ length: 200 }, (_, i) => generateProduct(plan, rng, i + 1));
    const first = run(a);
    expect(run(b)).toEqual(first);
    expect(run(c).map((p) => p.name)).not.toEqual(first.map((p) => p.name));
  });
});
