import { type Database, queryRows } from '@triport/db';
import { type SQL, sql } from 'drizzle-orm';
import {
  type BroadMatchOptions,
  type CandidateWindow,
  candidateWindow,
  type EstimateSlice,
  estimateSlice,
  type MatchScope,
} from './broad-match.ts';
import { catalogRows } from './catalog-rows.ts';
import { applyCorrections, completions, correctionCandidates, correctionValues, correctTokens } from './vocabulary.ts';
import { type CategoryNode, type CategoryTree, rollUp, subtreeIds } from './category-tree.ts';
import { cubeBandRange, cubeFacetRows, cubeProducts, type FacetCube, priceBandCase } from './facet-cube.ts';
import { highlightRanges, snippet } from './highlight.ts';
import { type ParsedQuery, parseQuery, prefixQueryOf } from './query-text.ts';
import { type CursorKeyKind, decodeSearchCursor, encodeSearchCursor, type SearchCursor, searchFingerprint } from './search-cursor.ts';
import type { FacetValue, PriceBand, SearchHit, SearchInput, SearchOutput } from './search-schemas.ts';

type Mode = SearchOutput['query']['mode'];

/** How the text part of a search matches and ranks rows. */
interface TextMatch {
  mode: Exclude<Mode, 'browse'>;
  where: SQL;
  rank: SQL;
  /** Words to highlight. */
  tokens: string[];
  correctedQuery: string | null;
}

interface Filters {
  category?: SQL;
  /** The selected category and its descendants (absent without a category filter). */
  categoryIds?: number[];
  /**
   * The categories whose counts the facet shows (`facetLevel`) with their descendants, plus the selected
   * subtree: rows elsewhere can change no count on the page. Absent when that is every category.
   */
  facetScope?: number[];
  brand?: SQL;
  price?: SQL;
  rating?: SQL;
  stock?: SQL;
}

/** Price bands of the facet, in cents: [min, max) with null = open. */
export const priceBands: Array<[number, number | null]> = [
  [0, 2_500],
  [2_500, 5_000],
  [5_000, 10_000],
  [10_000, 25_000],
  [25_000, 50_000],
  [50_000, 100_000],
  [100_000, null],
];

const ratingSteps = [4, 3, 2, 1];
const maxBrandFacets = 20;

function fulltextMatch(q: ParsedQuery): TextMatch {
  const tsq = sql`websearch_to_tsquery('english', ${q.text})`;
  return { mode: 'fulltext', where: sql`p.search_vector @@ ${tsq}`, rank: sql`ts_rank(p.search_vector, ${tsq})`, tokens: q.tokens, correctedQuery: null };
}

function prefixMatch(tokens: string[], mode: 'prefix' | 'corrected', correctedQuery: string | null, completions: string[] = []): TextMatch {
  const tsq = sql`to_tsquery('english', ${prefixQueryOf(tokens, completions)})`;
  return { mode, where: sql`p.search_vector @@ ${tsq}`, rank: sql`ts_rank(p.search_vector, ${tsq})`, tokens, correctedQuery };
}

/** Last resort for misspellings the vocabulary cannot fix: trigram word similarity on the name. */
function fuzzyMatch(q: ParsedQuery): TextMatch {
  const text = q.tokens.join(' ');
  return { mode: 'fuzzy', where: sql`${text} <% p.name`, rank: sql`word_similarity(${text}, p.name)`, tokens: q.tokens, correctedQuery: null };
}

/** The categories the facet lists: the selected one's children, or its siblings for a leaf, or the departments. */
function facetLevel(tree: CategoryTree, selected: CategoryNode | undefined): CategoryNode[] {
  let level = tree.nodes.filter((n) => n.parentId === (selected?.id ?? null));
  if (selected && level.length === 0) level = tree.nodes.filter((n) => n.parentId === selected.parentId);
  return level;
}

function buildFilters(input: SearchInput, tree: CategoryTree): Filters {
  const f: Filters = {};
  if (input.category !== undefined) {
    const node = tree.bySlug.get(input.category);
    f.categoryIds = node ? subtreeIds(tree, node) : [];
    f.category = node ? sql`p.category_id IN (${sql.join(f.categoryIds.map((id) => sql`${id}::int`), sql`, `)})` : sql`false`;
    const level = facetLevel(tree, node);
    if (node && level[0]?.parentId != null) {
      const scope = new Set(f.categoryIds);
      for (const n of level) for (const id of subtreeIds(tree, n)) scope.add(id);
      f.facetScope = [...scope].sort((a, b) => a - b);
    }
  }
  if (input.brand?.length) f.brand = sql`p.brand IN (${sql.join([...new Set(input.brand)].map((b) => sql`${b}::text`), sql`, `)})`;
  const price: SQL[] = [];
  if (input.minPrice !== undefined) price.push(sql`p.price_cents >= ${input.minPrice}::int`);
  if (input.maxPrice !== undefined) price.push(sql`p.price_cents <= ${input.maxPrice}::int`);
  if (price.length) f.price = sql.join(price, sql` AND `);
  if (input.minRating !== undefined && input.minRating > 0) f.rating = sql`p.rating >= ${input.minRating}::real`;
  if (input.inStock) f.stock = sql`p.stock > 0`;
  return f;
}

/** Rows of a broad match's candidate window (broad-match.ts). */
function inWindow(window: CandidateWindow | null | undefined): SQL | undefined {
  return window ? sql`p.id >= ${window.fromId}::int` : undefined;
}

/** An int[] parameter as an array literal: one bound value, the same text for both drivers. */
function intArray(ids: number[]): string {
  return `{${ids.map((id) => Math.trunc(id)).join(',')}}`;
}

function and(parts: Array<SQL | undefined>): SQL {
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length ? sql.join(present, sql` AND `) : sql`true`;
}

/**
 * Runs a statement with JIT off. Broad text matches and facet counts cross `jit_above_cost`, and the
 * server then spent ~150 ms compiling for a query that runs in tens of milliseconds
 * (bench/results/search-plans.md). `SET LOCAL` keeps the setting inside this transaction.
 */
function withoutJit<T>(db: Database, run: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Database;
    await tx.execute(sql`SET LOCAL jit = off`);
    return run(tx);
  });
}

/** Sort key (printed exactly as text for the cursor), ORDER BY and the "after the cursor" condition. */
interface SortPlan {
  kind: CursorKeyKind;
  /** 1 ascending, -1 descending: for the sort key, then for the id. */
  direction: [1 | -1, 1 | -1];
  keyText: SQL;
  orderBy: SQL;
  after(cursor: SearchCursor): SQL;
}

function sortPlan(input: SearchInput, text: TextMatch | null): SortPlan {
  switch (input.sort) {
    case 'price_asc':
      return {
        kind: 'int',
        direction: [1, 1],
        keyText: sql`p.price_cents::text`,
        orderBy: sql`p.price_cents ASC, p.id ASC`,
        after: (c) => sql`(p.price_cents, p.id) > (${c.key}::int, ${c.id}::int)`,
      };
    case 'price_desc':
      return {
        kind: 'int',
        direction: [-1, -1],
        keyText: sql`p.price_cents::text`,
        orderBy: sql`p.price_cents DESC, p.id DESC`,
        after: (c) => sql`(p.price_cents, p.id) < (${c.key}::int, ${c.id}::int)`,
      };
    case 'rating':
      return {
        kind: 'float',
        direction: [-1, -1],
        keyText: sql`p.rating::text`,
        orderBy: sql`p.rating DESC, p.id DESC`,
        after: (c) => sql`(p.rating, p.id) < (${c.key}::real, ${c.id}::int)`,
      };
    case 'relevance':
      if (text) {
        return {
          kind: 'float',
          direction: [-1, 1],
          keyText: sql`(${text.rank})::real::text`,
          orderBy: sql`${text.rank} DESC, p.id ASC`,
          after: (c) => sql`((${text.rank})::real < ${c.key}::real OR ((${text.rank})::real = ${c.key}::real AND p.id > ${c.id}::int))`,
        };
      }
      return newest;
    case 'newest':
      return newest;
  }
}

/** Microseconds since the epoch: exact, unlike a JS Date. */
const newest: SortPlan = {
  kind: 'int',
  direction: [-1, -1],
  keyText: sql`(extract(epoch FROM p.created_at) * 1000000)::bigint::text`,
  orderBy: sql`p.created_at DESC, p.id DESC`,
  after: (c) => sql`(p.created_at, p.id) < (timestamptz 'epoch' + ${c.key}::bigint * interval '1 microsecond', ${c.id}::int)`,
};

interface PageRow extends Record<string, unknown> {
  id: number;
  sku: string;
  slug: string;
  name: string;
  description: string;
  brand: string;
  category_id: number;
  category_slug: string;
  category_name: string;
  price_cents: number;
  currency: string;
  stock: number;
  rating: number;
  rating_count: number;
  /** From `selectPage` as JSON text; from `readMatches` parsed already (`tags`). */
  tags_json?: string;
  tags?: string[];
  created_at: string;
  sort_key: string;
}

const pageColumns = sql`p.id, p.sku, p.slug, p.name, p.description, p.brand, p.category_id, p.price_cents, p.currency, p.stock,
  p.rating, p.rating_count, p.tags, p.created_at`;

async function fetchPage(
  db: Database,
  text: TextMatch | null,
  filters: Filters,
  plan: SortPlan,
  cursor: SearchCursor | null,
  limit: number,
  window: CandidateWindow | null = null,
  /** Index entries to walk before sorting every match (a broad word in price/newest/rating order); 0 = let the planner choose. */
  walkRows = 0,
  /** Small catalog: a prepared statement (catalog-rows.ts), departments as one lateral subquery. */
  prepare = false,
): Promise<PageRow[]> {
  const after = cursor ? plan.after(cursor) : undefined;
  const rest = [filters.brand, filters.price, filters.rating, filters.stock, after, inWindow(window)];
  let source = sql`products p`;
  let where = and([text?.where, filters.category, ...rest]);
  if (walkRows > 0 && text) {
    // A broad word in price/newest/rating order. The planner walks the sort index and filters by the
    // words, which is instant unless the sort key and the words disagree: "coffee" by price
    // descending skipped 35k pricier products first (67 ms). So: walk at most `walkRows` index
    // entries; if that did not fill the page, sort every match's (key, id) instead (bitmap scan +
    // top-N sort; OFFSET 0 keeps the planner from walking the index again), then read the page's rows.
    const filtersAndText = and([text.where, filters.category, filters.brand, filters.price, filters.rating, filters.stock]);
    const walked = await selectPage(db, sql`(SELECT ${pageColumns}, p.search_vector FROM products p WHERE ${and([after])} ORDER BY ${plan.orderBy} LIMIT ${walkRows}) p`, filtersAndText, plan, limit, prepare);
    if (walked.length > limit) return walked;
    const keys = sql`SELECT p.id FROM (SELECT p.id, p.price_cents, p.created_at, p.rating FROM products p WHERE ${where} OFFSET 0) p ORDER BY ${plan.orderBy} LIMIT ${limit + 1}`;
    return selectPage(db, sql`(SELECT ${pageColumns} FROM products p WHERE p.id IN (${keys})) p`, sql`true`, plan, limit, prepare);
  }
  // Browsing several categories in a sort order: one ordered range per category on the
  // (category_id, sort key, id) indexes, merged, instead of walking the global sort index past every
  // other category or sorting the whole department (bench/results/search-plans.md).
  const ids = filters.categoryIds;
  if (!text && ids && ids.length > 1) {
    const range = (category: SQL) =>
      sql`SELECT ${pageColumns} FROM products p WHERE ${and([sql`p.category_id = ${category}`, ...rest])} ORDER BY ${plan.orderBy} LIMIT ${limit + 1}`;
    // Small catalogs: one lateral subquery over the ids, planned once (a UNION ALL of one branch per
    // category took 1–5 ms to plan for a department, more than running it). Large ones keep the UNION:
    // each branch is planned for its own category, and a lateral plan made for the average category
    // intersected a 49k-entry brand bitmap once per category (20 ms each at 1M products).
    source = prepare
      ? sql`(SELECT p.* FROM unnest(${intArray(ids)}::int[]) AS cat(id) CROSS JOIN LATERAL (${range(sql`cat.id`)}) p) p`
      : sql`(${sql.join(
          ids.map((id) => sql`(${range(sql`${id}::int`)})`),
          sql` UNION ALL `,
        )}) p`;
    where = sql`true`;
  }
  return selectPage(db, source, where, plan, limit, prepare);
}

function selectPage(db: Database, source: SQL, where: SQL, plan: SortPlan, limit: number, prepare: boolean): Promise<PageRow[]> {
  return catalogRows<PageRow>(
    db,
    sql`SELECT p.id, p.sku, p.slug, p.name, p.description, p.brand, p.category_id, c.slug AS category_slug, c.name AS category_name,
               p.price_cents, p.currency, p.stock, p.rating, p.rating_count, array_to_json(p.tags)::text AS tags_json,
               to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
               ${plan.keyText} AS sort_key
        FROM ${source} JOIN categories c ON c.id = p.category_id
        WHERE ${where}
        ORDER BY ${plan.orderBy}
        LIMIT ${limit + 1}`,
    prepare,
  );
}

interface FacetRow extends Record<string, unknown> {
  facet: 'c' | 'b' | 'p' | 'r' | 't';
  key: string;
  n: number;
}

/** A row of the match statement (`readMatches`): one kind per `k`. */
interface MatchRow extends Record<string, unknown> {
  /** e: estimate counts; i: a page row; c/b/p/r/t: facet counts and the total; x: a typo correction. */
  k: 'e' | 'i' | 'x' | FacetRow['facet'];
  key: string;
  n: number;
  /** i: the sort key; x: the closest vocabulary word. */
  sk: string | null;
  /** i: the whole row as JSON. */
  doc: string | null;
}

/** Sort plan over `m`'s columns (rank precomputed as `p.rank`). */
interface PageSpec {
  plan: SortPlan;
  /** The plan sorts by `p.rank` (relevance with text). */
  ranked: boolean;
  cursor: SearchCursor | null;
  limit: number;
}

/**
 * Small catalogs (the estimate slice is every id): `m` reads at most `maxMatches + 1` matches and
 * counts them; more means the words are broad and the caller starts over with a window (broad-match.ts).
 */
interface Gate {
  slice: EstimateSlice;
  /** Tokens to correct in the same statement when the words match nothing (only without an in-stock filter). */
  corrections: Array<{ i: number; t: string }>;
}

interface MatchSpec {
  /** As a prepared statement (small catalogs, catalog-rows.ts). */
  prepare?: boolean;
  text: TextMatch | null;
  filters: Filters;
  page?: PageSpec;
  facets: boolean;
  window?: CandidateWindow | null;
  gate?: Gate;
}

/** What a match statement found. `estimate` and `corrections` only with a gate. */
interface Matches {
  rows: PageRow[];
  facetRows: FacetRow[];
  /** Matches of the words (and in-stock filter), up to the gate's maximum + 1, and how many pass every filter. */
  estimate: { n: number; filtered: number } | null;
  corrections: Map<number, { known: boolean; best: string | null }>;
}

/** The page's rows as JSON: same values as the columns of `selectPage` (tags as an array). */
const rowJson = sql`json_build_object('id', p.id, 'sku', p.sku, 'slug', p.slug, 'name', p.name, 'description', p.description,
  'brand', p.brand, 'category_id', p.category_id, 'category_slug', c.slug, 'category_name', c.name, 'price_cents', p.price_cents,
  'currency', p.currency, 'stock', p.stock, 'rating', p.rating, 'rating_count', p.rating_count, 'tags', p.tags,
  'created_at', to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text`;

/**
 * One statement for a text search: the matches are read once into `m` with one flag per filter; the
 * page (ranked or sorted, then its whole rows by primary key) and each facet (rows passing every
 * filter but its own) come from `m`, the total too. Every row kind shares the columns of `MatchRow`.
 *
 * With a gate, the statement first counts the words in the estimate slice (`est`) and reads `m` only
 * when they are not broad (an uncorrelated condition: a one-time filter, so a broad word costs just
 * the count); when they match nothing at all it also looks up corrections for the tokens. A small
 * catalog's text search is then one round trip (docs/search.md).
 */
async function readMatches(db: Database, spec: MatchSpec): Promise<Matches> {
  const { text, filters: f, page, gate } = spec;
  const flag = (cond: SQL | undefined) => cond ?? sql`true`;
  const filterCount = [f.category, f.brand, f.price, f.rating].filter(Boolean).length;
  // With a gate `m` holds every match (the count needs them); otherwise, without facets, only rows
  // passing every filter matter, and with facets a row can only count somewhere if it fails at most
  // one filter.
  const flagged = spec.facets || gate !== undefined;
  const narrow = gate
    ? undefined
    : spec.facets
      ? filterCount > 1
        ? sql`(${flag(f.category)})::int + (${flag(f.brand)})::int + (${flag(f.price)})::int + (${flag(f.rating)})::int >= 3`
        : undefined
      : and([f.category, f.brand, f.price, f.rating]);
  const parts: SQL[] = [];
  const ctes: SQL[] = [];
  // Relevance is the only sort that needs the rank of every match.
  const rankColumn = text && page?.ranked ? sql`, (${text.rank})::real AS rank` : sql``;
  ctes.push(sql`m AS MATERIALIZED (
    SELECT p.id, p.category_id, p.brand, p.price_cents, p.rating, p.created_at,
           ${flagged ? flag(f.category) : sql`true`} AS f_cat, ${flagged ? flag(f.brand) : sql`true`} AS f_brand,
           ${flagged ? flag(f.price) : sql`true`} AS f_price, ${flagged ? flag(f.rating) : sql`true`} AS f_rating
           ${rankColumn}
    FROM products p
    WHERE ${and([text?.where, f.stock, inWindow(spec.window), narrow, spec.facets && !gate && f.facetScope ? sql`p.category_id = ANY(${intArray(f.facetScope)}::int[])` : undefined])}
    ${gate ? sql`LIMIT ${gate.slice.maxMatches + 1}` : sql``})`);
  if (gate) {
    parts.push(sql`SELECT 'e'::text AS k, x.key, x.n, NULL::text AS sk, NULL::text AS doc
      FROM (SELECT count(*)::int AS n, (count(*) FILTER (WHERE f_cat AND f_brand AND f_price AND f_rating))::int AS f FROM m) est,
           LATERAL (VALUES ('stock', est.n), ('filtered', est.f)) AS x(key, n)`);
  }
  if (page) {
    parts.push(sql`SELECT 'i'::text AS k, pg.id::text AS key, 0 AS n, pg.sk, ${rowJson} AS doc
      FROM (SELECT p.id, ${page.plan.keyText} AS sk FROM m p
            WHERE ${and([sql`f_cat AND f_brand AND f_price AND f_rating`, page.cursor ? page.plan.after(page.cursor) : undefined])}
            ORDER BY ${page.plan.orderBy} LIMIT ${page.limit + 1}) pg
      JOIN products p ON p.id = pg.id JOIN categories c ON c.id = p.category_id`);
  }
  if (spec.facets) {
    parts.push(
      sql`SELECT 'c'::text AS k, category_id::text AS key, count(*)::int AS n, NULL::text AS sk, NULL::text AS doc FROM m WHERE f_brand AND f_price AND f_rating GROUP BY category_id`,
      sql`SELECT 'b', brand, count(*)::int, NULL, NULL FROM m WHERE f_cat AND f_price AND f_rating GROUP BY brand`,
      sql`SELECT 'p', (${priceBandCase(priceBands)})::text, count(*)::int, NULL, NULL FROM m WHERE f_cat AND f_brand AND f_rating GROUP BY 2`,
      sql`SELECT 'r', floor(rating)::int::text, count(*)::int, NULL, NULL FROM m WHERE f_cat AND f_brand AND f_price GROUP BY 2`,
      sql`SELECT 't', '', count(*)::int, NULL, NULL FROM m WHERE f_cat AND f_brand AND f_price AND f_rating`,
    );
  }
  if (gate?.corrections.length) {
    // Evaluated only when the words match nothing (a one-time filter): the typo fallback needs no
    // statement of its own. Without an in-stock filter `m` holds every match of the words.
    parts.push(sql`SELECT 'x'::text AS k, v.i::text AS key,
        (EXISTS (SELECT 1 FROM search_terms s WHERE s.term = v.tok))::int AS n,
        (SELECT s.term FROM search_terms s WHERE s.term % v.tok ORDER BY similarity(s.term, v.tok) DESC, s.doc_count DESC, s.term LIMIT 1) AS sk,
        NULL::text AS doc
      FROM (VALUES ${correctionValues(gate.corrections)}) AS v(i, tok)
      WHERE NOT EXISTS (SELECT 1 FROM m)`);
  }
  const rows = await catalogRows<MatchRow>(db, sql`WITH ${sql.join(ctes, sql`, `)} ${sql.join(parts, sql` UNION ALL `)}`, spec.prepare === true);
  const items: MatchRow[] = [];
  const facetRows: FacetRow[] = [];
  const counts = new Map<string, number>();
  const corrections = new Map<number, { known: boolean; best: string | null }>();
  for (const r of rows) {
    if (r.k === 'i') items.push(r);
    else if (r.k === 'e') counts.set(r.key, Number(r.n));
    else if (r.k === 'x') corrections.set(Number(r.key), { known: Number(r.n) === 1, best: r.sk });
    else facetRows.push({ facet: r.k, key: r.key, n: Number(r.n) });
  }
  return {
    rows: page ? pageRowsInOrder(items, page.plan) : [],
    facetRows,
    estimate: gate ? { n: counts.get('stock') ?? 0, filtered: counts.get('filtered') ?? 0 } : null,
    corrections,
  };
}

/** Page rows in the plan's order. */
function pageRowsInOrder(items: MatchRow[], plan: SortPlan): PageRow[] {
  // Keys are exact numbers (float4 text, cents, microseconds < 2^53): comparing them in JS is exact.
  const [keyDir, idDir] = plan.direction;
  return items
    .sort((a, b) => keyDir * (Number(a.sk) - Number(b.sk)) || idDir * (Number(a.key) - Number(b.key)))
    .map((i) => {
      const row = JSON.parse(i.doc ?? '{}') as PageRow;
      row.sort_key = i.sk ?? '';
      return row;
    });
}

/** Built once: `toLocaleString` builds a formatter per call (~50 µs); the band labels are built once too. */
const wholeDollars = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function dollars(cents: number): string {
  return `$${wholeDollars.format(cents / 100)}`;
}

const priceBandLabels = priceBands.map(([min, max]) => (max === null ? `${dollars(min)} and up` : `${dollars(min)} – ${dollars(max)}`));

/** `scale` > 1: counts of a candidate window, scaled up to estimates for the whole catalog. */
function buildFacets(rows: FacetRow[], input: SearchInput, tree: CategoryTree, scale = 1): { total: number; facets: NonNullable<SearchOutput['facets']> } {
  const own = new Map<number, number>();
  const brands: Array<[string, number]> = [];
  const bands = new Map<number, number>();
  const floors = new Map<number, number>();
  let total = 0;
  for (const r of rows) {
    const n = Math.round(r.n * scale);
    if (r.facet === 'c') own.set(Number(r.key), n);
    else if (r.facet === 'b') brands.push([r.key, n]);
    else if (r.facet === 'p') bands.set(Number(r.key), n);
    else if (r.facet === 'r') floors.set(Number(r.key), n);
    else total = n;
  }

  const totals = rollUp(tree, own);
  const selected = input.category === undefined ? undefined : tree.bySlug.get(input.category);
  const level = facetLevel(tree, selected);
  const categories: FacetValue[] = level
    .map((n) => ({ value: n.slug, label: n.name, count: totals.get(n.id) ?? 0, selected: n.id === selected?.id }))
    .filter((v) => v.count > 0 || v.selected);

  const chosen = new Set(input.brand ?? []);
  brands.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const brandFacets: FacetValue[] = brands.slice(0, maxBrandFacets).map(([value, count]) => ({ value, label: value, count, selected: chosen.has(value) }));
  for (const b of chosen) if (!brandFacets.some((f) => f.value === b)) brandFacets.push({ value: b, label: b, count: brands.find(([v]) => v === b)?.[1] ?? 0, selected: true });

  const priceFacets: PriceBand[] = priceBands.map(([min, max], i) => ({
    value: `${min}-${max ?? ''}`,
    label: priceBandLabels[i] as string,
    count: bands.get(i) ?? 0,
    selected: input.minPrice === min && (max === null ? input.maxPrice === undefined : input.maxPrice === max - 1),
    minPrice: min,
    maxPrice: max === null ? null : max - 1,
  }));

  const ratings: FacetValue[] = ratingSteps.map((step) => {
    let count = 0;
    for (const [floor, n] of floors) if (floor >= step) count += n;
    return { value: String(step), label: `${step}★ & up`, count, selected: input.minRating === step };
  });

  return { total, facets: { categories, brands: brandFacets, priceBands: priceFacets, ratings } };
}

function toHit(r: PageRow, tokens: string[]): SearchHit {
  const snip = snippet(r.description, tokens);
  return {
    id: r.id,
    sku: r.sku,
    slug: r.slug,
    name: r.name,
    brand: r.brand,
    category: { id: r.category_id, slug: r.category_slug, name: r.category_name },
    priceCents: r.price_cents,
    currency: r.currency,
    stock: r.stock,
    inStock: r.stock > 0,
    rating: Number(r.rating),
    ratingCount: r.rating_count,
    tags: r.tags ?? (JSON.parse(r.tags_json ?? '[]') as string[]),
    createdAt: r.created_at.replace(/\.(\d{3})\d{3}Z$/, '.$1Z'),
    highlight: { name: highlightRanges(r.name, tokens), snippet: snip.text, snippetRanges: snip.ranges },
  };
}

/**
 * Whether the words match anything at all, filters aside. Deliberately a count, not EXISTS: for an
 * unknown word the planner expects an early hit and picks a sequential scan for EXISTS (3 s on 1M
 * rows, see bench/results/search-plans.md), while the count goes through the GIN index.
 */
async function textMatches(db: Database, text: TextMatch): Promise<boolean> {
  return (await textMatchesOrCorrections(db, text, [])).matched;
}

/**
 * `textMatches`, and in the same statement (evaluated only when the count is 0) the corrections of
 * `candidates`: the typo path of a large catalog saves a round trip.
 */
async function textMatchesOrCorrections(
  db: Database,
  text: TextMatch,
  candidates: Array<{ i: number; t: string }>,
): Promise<{ matched: boolean; corrections: Map<number, { known: boolean; best: string | null }> }> {
  const lookups = candidates.length
    ? sql` UNION ALL SELECT v.i, (EXISTS (SELECT 1 FROM search_terms s WHERE s.term = v.tok))::int,
          (SELECT s.term FROM search_terms s WHERE s.term % v.tok ORDER BY similarity(s.term, v.tok) DESC, s.doc_count DESC, s.term LIMIT 1)
        FROM (VALUES ${correctionValues(candidates)}) AS v(i, tok) WHERE (SELECT n FROM c) = 0`
    : sql``;
  const rows = await queryRows<{ i: number; n: number; best: string | null }>(
    db,
    sql`WITH c AS (SELECT count(*)::int AS n FROM products p WHERE ${text.where})
        SELECT -1 AS i, n, NULL::text AS best FROM c${lookups}`,
  );
  const corrections = new Map<number, { known: boolean; best: string | null }>();
  let matched = false;
  for (const r of rows) {
    if (Number(r.i) < 0) matched = Number(r.n) > 0;
    else corrections.set(Number(r.i), { known: Number(r.n) === 1, best: r.best });
  }
  return { matched, corrections };
}

/**
 * The whole search: text matching with typo fallbacks, filters, keyset page, facets and highlights.
 *
 * @example
 * const result = await searchProducts(db, tree, searchInputSchema.parse({ q: 'hedphones', limit: 10 }));
 * result.query.correctedQuery; // 'headphones'
 */
export interface SearchOptions {
  /** Cached catalog-wide counts; when given, browsing without text takes its facets from them. */
  facetCube?: () => Promise<FacetCube>;
  /** Catalog size up to which off-edge browse filters are counted exactly in SQL (default 20,000). */
  exactCountLimit?: number;
  /** When a text search counts and ranks a window of candidates instead of every match (broad-match.ts). */
  broadMatch?: BroadMatchOptions;
  /**
   * Treat the catalog as small (≤ 20,000 ids: prepared statements, no JIT transactions, lateral
   * department pages) or not; default: decided from the id range. Tests run both ways.
   */
  smallCatalog?: boolean;
}

const defaultExactCountLimit = 20_000;
/** Index entries a broad word's price/newest/rating page walks before sorting every match instead. */
const defaultSortWalkRows = 2_000;
/** Text matches below which the exact statements stay far below jit_above_cost (plans: ~15k cost per 5k rows). */
const jitFreeMatches = 5_000;
/** Catalog size up to which a statement over every product stays below jit_above_cost (~60k cost for 20k rows). */
const jitFreeProducts = 20_000;

/** Band indexes covering [minPrice, maxPrice]. */
function enclosingBands(input: SearchInput): [number, number] {
  const inBand = (cents: number) => priceBands.findIndex(([min, max]) => cents >= min && (max === null || cents < max));
  return [input.minPrice === undefined ? 0 : inBand(input.minPrice), input.maxPrice === undefined ? priceBands.length - 1 : inBand(input.maxPrice)];
}

export async function searchProducts(db: Database, tree: CategoryTree, input: SearchInput, options: SearchOptions = {}): Promise<SearchOutput> {
  const q = parseQuery(input.q);
  const fingerprint = searchFingerprint(input, q.text);
  const filters = buildFilters(input, tree);

  let text: TextMatch | null = null;
  if (q.text) text = q.operators ? fulltextMatch(q) : q.tokens.length ? prefixMatch(q.tokens, 'prefix', null, await completions(db, q.tokens)) : null;
  const query = (t: TextMatch | null): SearchOutput['query'] => ({
    q: q.text || null,
    mode: t?.mode ?? (q.text ? (q.operators ? 'fulltext' : 'prefix') : 'browse'),
    correctedQuery: t?.correctedQuery ?? null,
  });

  // Text without a single word (emoji, punctuation only): nothing can match.
  if (q.text && !text) {
    return {
      items: [],
      nextCursor: null,
      total: input.facets ? 0 : null,
      countsApproximate: false,
      query: query(null),
      facets: input.facets ? buildFacets([], input, tree).facets : null,
    };
  }

  // Catalogs of up to 20,000 ids: the estimate is an exact count, read in the same statement as the
  // page and the facets, and no statement gets near jit_above_cost (no transaction to turn JIT off).
  // Their statements are also prepared (catalog-rows.ts).
  const slice = await estimateSlice(db, options.broadMatch);
  const small = options.smallCatalog ?? (slice === null || slice.whole);
  const prepare = small;
  const exactFacets = (t: TextMatch | null, bounded: boolean) =>
    bounded ? readMatches(db, { text: t, filters, facets: true, prepare }) : withoutJit(db, (tx) => readMatches(tx, { text: t, filters, facets: true }));

  let approximate = false;
  const facetsFor = async (t: TextMatch | null, window: CandidateWindow | null, few: boolean): Promise<FacetRow[]> => {
    if (window || (t && few)) return (await readMatches(db, { text: t, filters, facets: true, window, prepare })).facetRows;
    if (t !== null || !options.facetCube) return (await exactFacets(t, small)).facetRows;
    const cube = await options.facetCube();
    let bandRange = cubeBandRange(input, priceBands);
    if (!bandRange) {
      // Price or rating off the cube's edges: exact SQL on small catalogs; on large ones the enclosing
      // bands and rating step (counts can only be higher), flagged as approximate.
      const size = cubeProducts(cube);
      if (size <= (options.exactCountLimit ?? defaultExactCountLimit)) return (await exactFacets(t, size <= jitFreeProducts)).facetRows;
      bandRange = enclosingBands(input);
      approximate = true;
    }
    const node = input.category === undefined ? undefined : tree.bySlug.get(input.category);
    return cubeFacetRows(cube, {
      categoryIds: input.category === undefined ? null : new Set(node ? subtreeIds(tree, node) : []),
      brands: input.brand?.length ? new Set(input.brand) : null,
      bandRange,
      minRating: Math.floor(input.minRating ?? 0),
      inStock: input.inStock === true,
    });
  };

  interface RunResult {
    rows: PageRow[];
    facetRows: FacetRow[] | null;
    window: CandidateWindow | null;
    pageWindow: CandidateWindow | null;
    /** Whether the words match anything, filters aside, when the run counted it (null: unknown). */
    textMatched: boolean | null;
    /** Corrections of the tokens, looked up in the same statement when the words matched nothing. */
    corrections?: Matches['corrections'];
  }

  const run = async (t: TextMatch | null, withCorrections = false): Promise<RunResult> => {
    const plan = sortPlan(input, t);
    const cursor = input.cursor ? decodeSearchCursor(input.cursor, fingerprint, plan.kind) : null;
    const relevance = t !== null && input.sort === 'relevance';
    // The page picked inside the match statement sorts `m`, where the rank is a column.
    const mPlan = t ? sortPlan(input, { ...t, rank: sql`p.rank` }) : plan;
    const pageSpec = { plan: mPlan, ranked: relevance, cursor, limit: input.limit };
    // Broad words: rank (relevance) and count (facets) a window of candidates, not every match. Other
    // sorts walk their btree index with the words as a filter, exact. A relevance cursor keeps the
    // window of its first page; one without a window pages every match.
    let scope: MatchScope = { window: null, estimatedMatches: null, exact: false };
    const scoped = t !== null && t.mode !== 'fuzzy' && (input.facets || relevance);
    const filtered = and([filters.category, filters.brand, filters.price, filters.rating]);
    const where = and([t?.where, filters.stock]);
    if (t && t.mode !== 'fuzzy' && small && slice?.whole && cursor?.fromId === undefined) {
      // Small catalog: count, page and facets in one statement, for every sort and page (the matches
      // are few, so sorting them beats walking a sort index that the words may disagree with: `coffee`
      // by price descending walked 10k rows at 10k products). Only broad words need more.
      const gate = { slice, corrections: withCorrections && !filters.stock ? correctionCandidates(q.tokens) : [] };
      const found = await readMatches(db, { text: t, filters, page: pageSpec, facets: input.facets, gate, prepare });
      const est = found.estimate ?? { n: 0, filtered: 0 };
      if (est.n <= slice.maxMatches) {
        return {
          rows: found.rows,
          facetRows: input.facets ? found.facetRows : null,
          window: null,
          pageWindow: null,
          textMatched: est.n > 0 ? true : filters.stock ? null : false,
          corrections: est.n === 0 && !filters.stock ? found.corrections : undefined,
        };
      }
      if (scoped && !(cursor && relevance)) scope = await candidateWindow(db, where, filtered, options.broadMatch);
    } else if (scoped) {
      if (cursor && relevance) {
        if (cursor.fromId !== undefined) scope = await candidateWindow(db, where, filtered, { ...options.broadMatch, fromId: cursor.fromId });
      } else scope = await candidateWindow(db, where, filtered, options.broadMatch);
    }
    const window = scope.window;
    // Counted exactly just now and nothing matched: the statements below would find nothing either.
    if (scope.exact && scope.estimatedMatches === 0) {
      return { rows: [], facetRows: input.facets ? [] : null, window, pageWindow: null, textMatched: filters.stock === undefined ? false : null };
    }
    // A window, or few matches, keeps a statement far below jit_above_cost: no transaction to turn JIT off.
    const few = small || (scope.estimatedMatches !== null && scope.estimatedMatches <= jitFreeMatches);
    const maybeWithoutJit = <T>(bounded: boolean, run: (tx: Database) => Promise<T>): Promise<T> => (bounded || few ? run(db) : withoutJit(db, run));
    if (t && input.facets && (relevance || !window)) {
      // Text and facets: one pass over the matches ranks, pages and counts (the heavy part once).
      const found = await maybeWithoutJit(window !== null, (tx) => readMatches(tx, { text: t, filters, page: pageSpec, facets: true, window, prepare }));
      return { rows: found.rows, facetRows: found.facetRows, window, pageWindow: window, textMatched: null };
    }
    const pageWindow = relevance ? window : null;
    const [rows, facetRows] = await Promise.all([
      t
        ? maybeWithoutJit(pageWindow !== null, (tx) =>
            fetchPage(tx, t, filters, plan, cursor, input.limit, pageWindow, window !== null && !relevance ? (options.broadMatch?.sortWalkRows ?? defaultSortWalkRows) : 0, prepare),
          )
        : fetchPage(db, t, filters, plan, cursor, input.limit, null, 0, prepare),
      input.facets ? facetsFor(t, window, few) : Promise.resolve(null),
    ]);
    return { rows, facetRows, window, pageWindow, textMatched: null };
  };

  const matchesAtAll = async (r: RunResult, t: TextMatch) => r.textMatched ?? (await textMatches(db, t));
  let result = await run(text, true);
  // Nothing found for the words as typed (not merely filtered away): correct typos, then try fuzzy names.
  if (text && result.rows.length === 0 && q.tokens.length > 0) {
    // Whether the words match at all, and if not their corrections: known from the run on a small
    // catalog, else one statement for both.
    let checked: { matched: boolean; corrections?: Matches['corrections'] };
    if (result.textMatched === null) checked = await textMatchesOrCorrections(db, text, correctionCandidates(q.tokens));
    else checked = { matched: result.textMatched, corrections: result.corrections };
    if (!checked.matched) {
      const corrected = checked.corrections ? applyCorrections(q.tokens, checked.corrections) : await correctTokens(db, q.tokens);
      if (corrected) {
        text = prefixMatch(corrected, 'corrected', corrected.join(' '));
        result = await run(text);
      }
      if (!corrected || (result.rows.length === 0 && !(await matchesAtAll(result, text)))) {
        text = fuzzyMatch(q);
        result = await run(text);
      }
    }
  }

  const hasMore = result.rows.length > input.limit;
  const rows = hasMore ? result.rows.slice(0, input.limit) : result.rows;
  const last = rows[rows.length - 1];
  const highlightTokens = text ? [...new Set([...q.tokens, ...text.tokens])] : [];
  const facets = result.facetRows ? buildFacets(result.facetRows, input, tree, result.window?.scale ?? 1) : null;
  const position: SearchCursor = last ? { key: last.sort_key, id: last.id } : { key: '', id: 0 };
  if (result.pageWindow) position.fromId = result.pageWindow.fromId;
  return {
    items: rows.map((r) => toHit(r, highlightTokens)),
    nextCursor: hasMore && last ? encodeSearchCursor(position, fingerprint) : null,
    total: facets?.total ?? null,
    countsApproximate: approximate || (facets !== null && result.window !== null),
    query: query(text),
    facets: facets?.facets ?? null,
  };
}
