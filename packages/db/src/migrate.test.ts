import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { migrate } from './migrate.ts';
import { queryRows } from './rows.ts';
import { categories, products } from './schema.ts';
import { testDrivers } from './testing.ts';

describe.each(testDrivers)('migrations on %s', (_driver, create) => {
  it('applies the schema, is idempotent and builds the weighted search vector', async () => {
    const t = await create();
    try {
      await migrate(t); // second run: nothing to do, no error
      const [cat] = await t.db.insert(categories).values({ slug: 'audio', name: 'Audio', path: '/', depth: 0 }).returning();
      await t.db.insert(products).values({
        sku: 'SKU-1',
        slug: 'aurora-wireless-headphones',
        name: 'Aurora Wireless Headphones',
        description: 'Closed-back over-ear headphones with a long battery life.',
        brand: 'Sonora',
        categoryId: cat!.id,
        categoryText: 'Audio',
        priceCents: 12999,
        stock: 5,
        rating: 4.5,
        tags: ['bluetooth', 'noise-cancelling'],
      });
      const [row] = await queryRows<{ v: string; sim: number }>(
        t.db,
        sql`SELECT search_vector::text AS v, similarity(name, 'hedphones') AS sim FROM products`,
      );
      expect(row?.v).toContain("'headphon':3A");
      expect(row?.v).toContain("'bluetooth':");
      expect(row?.v).toMatch(/'sonora':\d+B/);
      expect(Number(row?.sim)).toBeGreaterThan(0.2);
      await expect(
        t.db.insert(products).values({
          sku: 'SKU-2', slug: 'x', name: 'x', description: '', brand: 'b', categoryId: cat!.id, priceCents: 1, stock: -1,
        }),
      ).rejects.toThrow();
    } finally {
      await t.dispose();
    }
  });
});
