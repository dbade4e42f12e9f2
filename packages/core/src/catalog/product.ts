import { categories, type Database, products } from '@triport/db';
import { eq, type SQL } from 'drizzle-orm';
import type { Product } from './schemas.ts';

type ProductRow = typeof products.$inferSelect;
type CategoryRow = typeof categories.$inferSelect;

/** Row → API shape (dates as ISO strings: the three styles all speak JSON/XML text). */
export function toProduct(p: ProductRow, c: Pick<CategoryRow, 'id' | 'slug' | 'name'>): Product {
  return {
    id: p.id,
    sku: p.sku,
    slug: p.slug,
    name: p.name,
    description: p.description,
    brand: p.brand,
    category: { id: c.id, slug: c.slug, name: c.name },
    priceCents: p.priceCents,
    currency: p.currency,
    stock: p.stock,
    rating: p.rating,
    ratingCount: p.ratingCount,
    tags: p.tags,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    version: p.version,
  };
}

/** One product by id with its category, or null. */
export function findProductById(db: Database, id: number): Promise<Product | null> {
  return findProductWhere(db, eq(products.id, id));
}

/** One product by its URL slug, or null. */
export function findProductBySlug(db: Database, slug: string): Promise<Product | null> {
  return findProductWhere(db, eq(products.slug, slug));
}

/** One product by SKU, or null. */
export function findProductBySku(db: Database, sku: string): Promise<Product | null> {
  return findProductWhere(db, eq(products.sku, sku));
}

async function findProductWhere(db: Database, where: SQL): Promise<Product | null> {
  const [row] = await db
    .select({ p: products, c: { id: categories.id, slug: categories.slug, name: categories.name } })
    .from(products)
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .where(where)
    .limit(1);
  return row ? toProduct(row.p, row.c) : null;
}
