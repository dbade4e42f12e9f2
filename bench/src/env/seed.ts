import type { Database } from '@triport/db';
import { sql } from 'drizzle-orm';

/**
 * Seeds `count` products in one category with set-based SQL (works on Postgres and PGlite).
 * Stock is large so create-order runs never run out. Replace with @triport/db's `seedDatabase` once it
 * is exported.
 */
export async function seedProducts(db: Database, count: number): Promise<void> {
  await db.execute(sql`insert into categories (slug, name, path, depth) values ('bench', 'Bench', '/', 0)`);
  await db.execute(sql`update categories set path = '/' || id || '/' where slug = 'bench'`);
  await db.execute(sql`
    insert into products (sku, slug, name, description, brand, category_id, category_text, price_cents, stock, rating, rating_count, tags)
    select 'SKU-' || g, 'product-' || g,
      (array['Steel','Bamboo','Compact','Wireless','Classic'])[1 + g % 5] || ' ' || (array['kettle','lamp','chair','phone','laptop','backpack','speaker'])[1 + g % 7] || ' ' || g,
      'A dependable product for everyday use, number ' || g || '.',
      (array['Acme','Globex','Initech','Umbrella'])[1 + g % 4],
      (select id from categories where slug = 'bench'), 'Bench',
      500 + (g * 37) % 20000, 1000000000, ((g % 50) / 10.0)::real, g % 500,
      array['tag' || (g % 10), 'bench']
    from generate_series(1, ${count}) as g`);
}
