import { addProductTerms, categories, type Database, orderItems, products, removeProductTerms } from '@triport/db';
import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import { findProductById } from '../catalog/product.ts';
import { forgetCompletions } from '../catalog/vocabulary.ts';
import type { Product } from '../catalog/schemas.ts';
import { appError } from '../errors.ts';
import { pgCodes, pgConstraint, pgErrorCode } from './pg-errors.ts';
import type { CreateProductInput, UpdateProductInput } from './schemas.ts';

/**
 * Names of the categories on the path to `categoryId`, root first, space separated: the text the
 * stored search vector weights (a generated column cannot read the categories table).
 */
export async function categoryTextFor(db: Database, categoryId: number): Promise<string> {
  const [category] = await db
    .select({ path: categories.path })
    .from(categories)
    .where(eq(categories.id, categoryId))
    .limit(1);
  if (!category) throw appError('VALIDATION', `Category ${categoryId} does not exist`);
  const ids = category.path.split('/').filter(Boolean).map(Number).filter(Number.isSafeInteger);
  if (!ids.includes(categoryId)) ids.push(categoryId);
  const rows = await db
    .select({ name: categories.name, depth: categories.depth })
    .from(categories)
    .where(inArray(categories.id, ids));
  return rows
    .sort((a, b) => a.depth - b.depth)
    .map((r) => r.name)
    .join(' ');
}

/**
 * URL slug from a name and SKU (the SKU keeps it unique).
 *
 * @example
 * slugFor('Café Crème 500 g', 'CC-500') // 'cafe-creme-500-g-cc-500'
 */
export function slugFor(name: string, sku: string): string {
  const words = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const base = words(name).slice(0, 150).replace(/-+$/, '') || 'product';
  return `${base}-${words(sku)}`.replace(/-+$/, '');
}

/** A transaction that changes `search_terms`; the search's cached short-prefix completions are dropped after it. */
async function vocabularyChanging<T>(db: Database, run: (tx: Database) => Promise<T>): Promise<T> {
  const result = await db.transaction((tx) => run(tx as unknown as Database));
  forgetCompletions(db);
  return result;
}

function conflictFromUnique(err: unknown): never {
  if (pgErrorCode(err) === pgCodes.uniqueViolation) {
    const which = { products_sku_key: 'SKU', products_slug_key: 'slug' }[pgConstraint(err) ?? ''];
    if (which) throw appError('CONFLICT', `Another product already uses this ${which}`);
  }
  throw err;
}

/**
 * Creates a product (version 1) and returns it as `catalog.product` shows it.
 *
 * @example
 * const p = await createProduct(db, { sku: 'A-1', name: 'Kettle', ... });
 */
export async function createProduct(db: Database, input: CreateProductInput): Promise<Product> {
  try {
    return await vocabularyChanging(db, async (tx) => {
      const categoryText = await categoryTextFor(tx, input.categoryId);
      const [row] = await tx
        .insert(products)
        .values({
          sku: input.sku,
          slug: input.slug ?? slugFor(input.name, input.sku),
          name: input.name,
          description: input.description,
          brand: input.brand,
          categoryId: input.categoryId,
          categoryText,
          priceCents: input.priceCents,
          currency: input.currency,
          stock: input.stock,
          tags: input.tags,
        })
        .returning({ id: products.id });
      // Its words join the vocabulary now (typo correction, short-prefix completion), not at the next refresh.
      if (row) await addProductTerms(tx, row.id);
      const product = row && (await findProductById(tx, row.id));
      if (!product) throw appError('INTERNAL', 'Created product not found');
      return product;
    });
  } catch (err) {
    conflictFromUnique(err);
  }
}

async function staleOrMissing(db: Database, id: number, expected: number): Promise<never> {
  const [current] = await db.select({ version: products.version }).from(products).where(eq(products.id, id));
  if (!current) throw appError('NOT_FOUND', `No product with id ${id}`);
  throw appError(
    'CONFLICT',
    `Product ${id} has changed since version ${expected} (now ${current.version}); reload it and retry`,
  );
}

/**
 * Replaces a product's editable fields if `version` is still current (optimistic concurrency), bumps
 * the version and re-derives the category search text.
 *
 * @example
 * const p2 = await updateProduct(db, { ...p1Fields, id: p1.id, version: p1.version, stockDelta: 0 });
 */
export async function updateProduct(db: Database, input: UpdateProductInput): Promise<Product> {
  try {
    return await vocabularyChanging(db, async (tx) => {
      const categoryText = await categoryTextFor(tx, input.categoryId);
      // The vocabulary counts the product's words: its old words out, the new ones in (a stale version
      // rolls both back).
      await removeProductTerms(tx, input.id);
      const [row] = await tx
        .update(products)
        .set({
          sku: input.sku,
          ...(input.slug === undefined ? {} : { slug: input.slug }),
          name: input.name,
          description: input.description,
          brand: input.brand,
          categoryId: input.categoryId,
          categoryText,
          priceCents: input.priceCents,
          currency: input.currency,
          tags: input.tags,
          stock: sql`${products.stock} + ${input.stockDelta}::int`,
          version: sql`${products.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(products.id, input.id), eq(products.version, input.version)))
        .returning({ id: products.id });
      if (!row) return staleOrMissing(tx, input.id, input.version);
      await addProductTerms(tx, row.id);
      const product = await findProductById(tx, row.id);
      if (!product) throw appError('INTERNAL', 'Updated product not found');
      return product;
    });
  } catch (err) {
    if (pgErrorCode(err) === pgCodes.checkViolation) {
      throw appError('CONFLICT', 'Stock cannot go below zero: orders took some of it since your read');
    }
    conflictFromUnique(err);
  }
}

/**
 * Deletes a product at `version`. A product that appears in any order is kept (order history points
 * at it): that is a CONFLICT; set its stock to 0 to stop selling it instead.
 *
 * @example
 * await deleteProduct(db, { id: p.id, version: p.version });
 */
export async function deleteProduct(db: Database, input: { id: number; version: number }): Promise<void> {
  try {
    await vocabularyChanging(db, async (tx) => {
      // Its words leave the vocabulary counts (rolled back if the product stays).
      await removeProductTerms(tx, input.id);
      const [row] = await tx
        .delete(products)
        .where(
          and(
            eq(products.id, input.id),
            eq(products.version, input.version),
            notExists(tx.select({ one: sql`1` }).from(orderItems).where(eq(orderItems.productId, input.id))),
          ),
        )
        .returning({ id: products.id });
      if (row) return;
      const [current] = await tx.select({ version: products.version }).from(products).where(eq(products.id, input.id));
      if (current && current.version === input.version) throw hasOrders(input.id);
      await staleOrMissing(tx, input.id, input.version);
    });
  } catch (err) {
    // An order committed between the NOT EXISTS check and the delete: the foreign key catches it.
    if (pgErrorCode(err) === pgCodes.foreignKeyViolation) throw hasOrders(input.id);
    throw err;
  }
}

function hasOrders(id: number) {
  return appError('CONFLICT', `Product ${id} appears in orders and cannot be deleted; set its stock to 0 instead`);
}
