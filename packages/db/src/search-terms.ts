import { sql } from 'drizzle-orm';
import type { Database } from './client.ts';

/**
 * Rebuilds `search_terms` from product names, brands, category names and tags (lower-cased words of
 * 2+ letters or digits, with how often they occur). Call it after bulk catalog changes; a new word
 * that is not in the vocabulary yet is still found by exact search, only typo correction misses it.
 *
 * @example
 * await refreshSearchTerms(db);
 */
export async function refreshSearchTerms(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`DELETE FROM search_terms`);
    await tx.execute(sql`
      INSERT INTO search_terms (term, doc_count)
      SELECT w, count(*)::int
      FROM products p,
           regexp_split_to_table(lower(p.name || ' ' || p.brand || ' ' || p.category_text || ' ' || tags_text(p.tags)), '[^[:alnum:]]+') AS w
      WHERE length(w) BETWEEN 2 AND 40
      GROUP BY w`);
  });
  await db.execute(sql`ANALYZE search_terms`);
}
