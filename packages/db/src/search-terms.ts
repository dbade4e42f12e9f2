import { type SQL, sql } from 'drizzle-orm';
import type { Database } from './client.ts';

/**
 * The vocabulary's words of the products matching `where` (alias `p`), with how often each occurs:
 * lower-cased runs of letters/digits of 2–40 characters from the name, brand, category path and tags.
 * One definition for the full rebuild and the per-product updates, so both count the same way.
 */
function productWords(where: SQL): SQL {
  return sql`SELECT w, count(*)::int AS n
    FROM products p,
         regexp_split_to_table(lower(p.name || ' ' || p.brand || ' ' || p.category_text || ' ' || tags_text(p.tags)), '[^[:alnum:]]+') AS w
    WHERE ${where} AND length(w) BETWEEN 2 AND 40
    GROUP BY w`;
}

/**
 * Rebuilds `search_terms` from product names, brands, category names and tags (lower-cased words of
 * 2+ letters or digits, with how often they occur). Call it after bulk catalog changes; single
 * product writes keep it current with `addProductTerms` / `removeProductTerms`.
 *
 * @example
 * await refreshSearchTerms(db);
 */
export async function refreshSearchTerms(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`DELETE FROM search_terms`);
    await tx.execute(sql`INSERT INTO search_terms (term, doc_count) ${productWords(sql`true`)}`);
  });
  await db.execute(sql`ANALYZE search_terms`);
}

/**
 * Adds (`sign` 1) or takes away (-1) one product's words. Rows are upserted in term order, so two
 * writers touching the same words lock them in the same order (no deadlock); words whose count
 * reaches zero leave the vocabulary.
 */
async function changeProductTerms(db: Database, productId: number, sign: 1 | -1): Promise<void> {
  const words = productWords(sql`p.id = ${productId}::int`);
  await db.execute(sql`
    INSERT INTO search_terms (term, doc_count)
    SELECT w, ${sign}::int * n FROM (${words}) words ORDER BY w
    ON CONFLICT (term) DO UPDATE SET doc_count = search_terms.doc_count + EXCLUDED.doc_count`);
  if (sign < 0) await db.execute(sql`DELETE FROM search_terms WHERE doc_count <= 0 AND term IN (SELECT w FROM (${words}) words)`);
}

/**
 * Counts a product's words into the vocabulary (after it was created or edited), so typo correction
 * and short-prefix completion know its new words without a full refresh. Run it in the transaction
 * that wrote the product.
 *
 * @example
 * await db.transaction(async (tx) => { const id = await insertProduct(tx); await addProductTerms(tx, id); });
 */
export function addProductTerms(db: Database, productId: number): Promise<void> {
  return changeProductTerms(db, productId, 1);
}

/**
 * Takes a product's current words out of the vocabulary counts (before it is edited or deleted).
 *
 * @example
 * await removeProductTerms(tx, id); await updateProduct(tx, ...); await addProductTerms(tx, id);
 */
export function removeProductTerms(db: Database, productId: number): Promise<void> {
  return changeProductTerms(db, productId, -1);
}
