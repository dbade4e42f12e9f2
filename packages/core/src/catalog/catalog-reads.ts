import { type Database, queryRows } from '@triport/db';
import { sql } from 'drizzle-orm';
import { type CategoryTree, rollUp } from './category-tree.ts';
import { normalizeText, tokenize } from './query-text.ts';
import type { CategoriesOutput, SuggestOutput } from './search-schemas.ts';

/** Product counts per category, rolled up to every ancestor. One index-only pass; callers cache it. */
export async function categoriesWithCounts(db: Database, tree: CategoryTree): Promise<CategoriesOutput> {
  const rows = await queryRows<{ category_id: number; n: number }>(
    db,
    sql`SELECT category_id, count(*)::int AS n FROM products GROUP BY category_id`,
  );
  const totals = rollUp(tree, new Map(rows.map((r) => [r.category_id, r.n])));
  return { categories: tree.nodes.map((n) => ({ ...n, productCount: totals.get(n.id) ?? 0 })) };
}

/** Every brand with its product count (a few dozen); callers cache it. */
export async function brandCounts(db: Database): Promise<Array<{ brand: string; count: number }>> {
  const rows = await queryRows<{ brand: string; n: number }>(db, sql`SELECT brand, count(*)::int AS n FROM products GROUP BY brand`);
  return rows.map((r) => ({ brand: r.brand, count: r.n })).sort((a, b) => b.count - a.count || (a.brand < b.brand ? -1 : 1));
}

/** Escapes LIKE wildcards so user text is matched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/**
 * Autocomplete: completions of the last word from the vocabulary (most used first, keeping the words
 * before it), then categories and brands whose name contains a word starting with the text.
 *
 * @example
 * await suggest(db, tree, brands, 'wireless hea', 8) // [{ kind: 'query', value: 'wireless headphones', ... }, ...]
 */
export async function suggest(
  db: Database,
  tree: CategoryTree,
  brands: Array<{ brand: string; count: number }>,
  rawQ: string,
  limit: number,
  categoryCounts: Map<number, number>,
): Promise<SuggestOutput> {
  const text = normalizeText(rawQ);
  const tokens = tokenize(text);
  const last = tokens[tokens.length - 1];
  if (!last) return { suggestions: [] };
  const head = tokens.slice(0, -1).join(' ');
  const suggestions: SuggestOutput['suggestions'] = [];

  const terms = await queryRows<{ term: string; doc_count: number }>(
    db,
    sql`SELECT term, doc_count FROM search_terms WHERE term LIKE ${`${escapeLike(last)}%`} AND length(term) >= 3
        ORDER BY doc_count DESC, term LIMIT ${limit}`,
  );
  for (const t of terms) {
    const value = head ? `${head} ${t.term}` : t.term;
    suggestions.push({ kind: 'query', value, label: value, count: t.doc_count });
  }

  const lowered = text.toLowerCase();
  const wordStarts = (name: string) => {
    const n = name.toLowerCase();
    return n.startsWith(lowered) || n.includes(` ${lowered}`) || (head === '' && n.split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(last)));
  };
  for (const node of tree.nodes) {
    if (wordStarts(node.name)) suggestions.push({ kind: 'category', value: node.slug, label: node.name, count: categoryCounts.get(node.id) ?? 0 });
  }
  for (const b of brands) if (wordStarts(b.brand)) suggestions.push({ kind: 'brand', value: b.brand, label: b.brand, count: b.count });

  // Queries first (what the shopper is typing), then the most populated categories and brands.
  const queries = suggestions.filter((s) => s.kind === 'query');
  const others = suggestions.filter((s) => s.kind !== 'query').sort((a, b) => b.count - a.count);
  const half = Math.max(1, Math.ceil(limit / 2));
  const picked = [...queries.slice(0, Math.max(limit - Math.min(others.length, half), half)), ...others];
  return { suggestions: picked.slice(0, limit) };
}
