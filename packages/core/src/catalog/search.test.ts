import { products, seedDatabase, type Database } from '@triport/db';
import { type TestDb, testDrivers } from '@triport/db/testing';
import { TRPCError } from '@trpc/server';
import { ilike, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../cache/types.ts';
import { internalContext } from '../context.ts';
import { createCaller } from '../router.ts';
import { loadCategoryTree } from './category-tree.ts';
import { loadFacetCube } from './facet-cube.ts';
import { relevanceCases } from './relevance-cases.ts';
import { priceBands, searchProducts } from './search.ts';
import { searchInputSchema } from './search-schemas.ts';
import type { SearchOutput } from './search-schemas.ts';

/** No caching: every call reaches the database (the cache has its own tests). */
const passThrough: Cache = { getOrLoad: (_key, load) => load(), invalidateTags: async () => {} };

const seedProducts = 3_000;

/** Strings that must give a result or a validation error, never anything else. */
const hostile = [
  "'; DROP TABLE products; --",
  "' OR 1=1 --",
  'laptop\' AND pg_sleep(1) --',
  '"unterminated quote',
  '""',
  '"',
  '-',
  '--',
  '- - -',
  '-laptop',
  'laptop -',
  'OR',
  'or or or',
  '!',
  '!!!',
  '& | ! ( ) : * <->',
  'laptop & monitor',
  'laptop:*',
  "laptop:A | 'x'",
  '(((',
  ')))',
  '\\',
  '\\\\\\',
  "\\'",
  '%',
  '%%%',
  '_',
  '100%',
  'a_b%c',
  '😀',
  '😀 laptop 🚀',
  'ノートパソコン',
  'Kopfhörer',
  'café crème',
  '\u0000',
  'laptop\u0000monitor',
  '\u200b\u200b',
  '\ud800',
  'x'.repeat(200),
  'x'.repeat(201),
  'laptop '.repeat(28),
  'a'.repeat(10_240),
  '<script>alert(1)</script>',
  '$1',
  '$' + '{q}',
  '?',
  'null',
  'undefined',
  '   ',
  '',
];

describe.each(testDrivers)('catalog search on %s', (_driver, create) => {
  let t: TestDb;
  let caller: ReturnType<typeof createCaller>;

  beforeAll(async () => {
    t = await create();
    await seedDatabase(t.db, { products: seedProducts, seed: 42 });
    caller = createCaller(internalContext({ db: t.db, cache: passThrough }));
  }, 180_000);
  afterAll(() => t?.dispose());

  async function all(input: Parameters<typeof caller.catalog.search>[0]): Promise<SearchOutput['items']> {
    const items: SearchOutput['items'] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 200; page++) {
      const r = await caller.catalog.search({ ...input, cursor, facets: false });
      items.push(...r.items);
      if (!r.nextCursor) return items;
      cursor = r.nextCursor;
    }
    throw new Error('too many pages');
  }

  it.each(relevanceCases)('relevance: "$q"', async ({ q, mustMatch, mustNotMatch, mode, corrected }) => {
    const r = await caller.catalog.search({ q, limit: 5 });
    expect(r.items.length, q).toBe(5);
    for (const item of r.items) {
      expect(item.name, q).toMatch(mustMatch);
      if (mustNotMatch) expect(item.name, q).not.toMatch(mustNotMatch);
    }
    if (mode) expect(r.query.mode).toBe(mode);
    if (corrected) expect(r.query.correctedQuery).toBe(corrected);
    if (mode !== 'corrected') expect(r.query.correctedQuery).toBeNull();
  });

  it('finds a product by its exact name first, and a near-miss via trigram similarity', async () => {
    const [p] = await t.db.select({ id: products.id, name: products.name }).from(products).orderBy(products.id).limit(1);
    const exact = await caller.catalog.search({ q: p!.name, limit: 5 });
    expect(exact.items.map((i) => i.id)).toContain(p!.id);
    // Misspelled words that no single vocabulary correction fixes still reach the name by trigrams.
    const fuzzy = await caller.catalog.search({ q: 'hedphnes wirless', limit: 5 });
    expect(fuzzy.items.length).toBeGreaterThan(0);
    expect(['corrected', 'fuzzy']).toContain(fuzzy.query.mode);
    for (const item of fuzzy.items) expect(item.name).toMatch(/headphones|wireless/i);
  });

  it('highlights matching words with ranges over plain text', async () => {
    const r = await caller.catalog.search({ q: 'wireless headphones', limit: 10 });
    for (const item of r.items) {
      const marked = item.highlight.name.map((x) => item.name.slice(x.start, x.end).toLowerCase());
      expect(marked).toContain('headphones');
      for (const range of item.highlight.snippetRanges) {
        expect(item.highlight.snippet.slice(range.start, range.end).toLowerCase()).toMatch(/^(wireless|headphone)/);
      }
    }
  });

  it('filters by category (with descendants), brands, price, rating and stock', async () => {
    const input = { category: 'audio', brand: ['Sonora', 'Voltix'], minPrice: 5_000, maxPrice: 30_000, minRating: 3.5, inStock: true };
    const items = await all({ ...input, limit: 50 });
    expect(items.length).toBeGreaterThan(3);
    for (const i of items) {
      expect(['headphones', 'earbuds', 'speakers']).toContain(i.category.slug);
      expect(['Sonora', 'Voltix']).toContain(i.brand);
      expect(i.priceCents).toBeGreaterThanOrEqual(5_000);
      expect(i.priceCents).toBeLessThanOrEqual(30_000);
      expect(i.rating).toBeGreaterThanOrEqual(3.5);
      expect(i.stock).toBeGreaterThan(0);
    }
    const r = await caller.catalog.search({ ...input, limit: 1 });
    expect(r.total).toBe(items.length);
    expect((await caller.catalog.search({ category: 'no-such-category' })).total).toBe(0);
  });

  it('computes facet counts that reflect the other filters', async () => {
    const base = { q: 'wireless', category: 'electronics', brand: ['Sonora'], minRating: 3 };
    const r = await caller.catalog.search(base);
    const facets = r.facets!;
    expect(r.total).toBe((await all(base)).length);

    // Each brand's count = the total if the shopper picked that brand instead.
    for (const b of facets.brands.slice(0, 3)) {
      const alt = await caller.catalog.search({ ...base, brand: [b.value], limit: 1 });
      expect(b.count, b.value).toBe(alt.total);
      expect(b.selected).toBe(b.value === 'Sonora');
    }
    // Category facet lists the children of the selected category, counted without the category filter.
    expect(facets.categories.map((c) => c.value)).toEqual(expect.arrayContaining(['audio']));
    for (const c of facets.categories.slice(0, 3)) {
      expect(c.count, c.value).toBe((await caller.catalog.search({ ...base, category: c.value, limit: 1 })).total);
    }
    // Ratings are cumulative and ignore the rating filter.
    for (const rating of facets.ratings) {
      const alt = await caller.catalog.search({ ...base, minRating: Number(rating.value), limit: 1 });
      expect(rating.count, rating.value).toBe(alt.total);
    }
    for (const band of facets.priceBands) {
      const alt = await caller.catalog.search({ ...base, minPrice: band.minPrice, maxPrice: band.maxPrice ?? undefined, limit: 1 });
      expect(band.count, band.value).toBe(alt.total);
    }
    expect(facets.priceBands.reduce((s, b) => s + b.count, 0)).toBe(r.total);
  });

  it('browses without text with facets from the catalog-wide counts, equal to the rows it pages through', async () => {
    // Price and rating on facet edges: answered from the facet cube, not counted per request.
    const base = { category: 'audio', brand: ['Sonora', 'Lumen'], minPrice: 5_000, maxPrice: 9_999, minRating: 3, inStock: true };
    const r = await caller.catalog.search(base);
    expect(r.query.mode).toBe('browse');
    expect(r.total).toBe((await all(base)).length);
    const f = r.facets!;
    for (const b of f.brands.slice(0, 4)) expect(b.count, b.value).toBe((await all({ ...base, brand: [b.value] })).length);
    for (const c of f.categories) expect(c.count, c.value).toBe((await all({ ...base, category: c.value })).length);
    for (const band of f.priceBands.slice(0, 4)) {
      expect(band.count, band.value).toBe((await all({ ...base, minPrice: band.minPrice, maxPrice: band.maxPrice ?? undefined })).length);
    }
    for (const rating of f.ratings) expect(rating.count, rating.value).toBe((await all({ ...base, minRating: Number(rating.value) })).length);
    // Off-edge filters take the exact SQL path and agree with it too.
    const odd = { ...base, minPrice: 5_001, minRating: 3.5 };
    const exact = await caller.catalog.search(odd);
    expect(exact.countsApproximate).toBe(false);
    expect(exact.total).toBe((await all(odd)).length);
    // On a large catalog the same filters are answered from the enclosing bands: an upper bound, flagged.
    const tree = await loadCategoryTree(t.db);
    const approx = await searchProducts(t.db, tree, searchInputSchema.parse(odd), {
      facetCube: () => loadFacetCube(t.db, priceBands),
      exactCountLimit: 0,
    });
    expect(approx.countsApproximate).toBe(true);
    expect(approx.total).toBe(r.total);
    expect(approx.total!).toBeGreaterThanOrEqual(exact.total!);
    expect(approx.items.map((i) => i.id)).toEqual(exact.items.map((i) => i.id));
    const whole = await caller.catalog.search({ limit: 1 });
    expect(whole.facets!.categories.reduce((s, c) => s + c.count, 0)).toBe(whole.total);
  });

  it('answers the same with the statements of a large catalog (estimate, UNION department pages, JIT-off transactions)', async () => {
    const tree = await loadCategoryTree(t.db);
    const facetCube = () => loadFacetCube(t.db, priceBands);
    for (const input of [
      { category: 'electronics', sort: 'price_asc', brand: ['Sonora', 'Voltix'] },
      { category: 'audio', minRating: 3.5, limit: 7 },
      { q: 'headphones', category: 'audio', minPrice: 1_234 },
      { q: 'hedphones' },
      { q: 'coffee', sort: 'price_desc', facets: false },
      { q: 'wireless', facets: false, limit: 5 },
    ]) {
      const parsed = searchInputSchema.parse(input);
      const small = await searchProducts(t.db, tree, parsed, { facetCube, smallCatalog: true });
      const large = await searchProducts(t.db, tree, parsed, { facetCube, smallCatalog: false });
      expect(large, JSON.stringify(input)).toEqual(small);
      if (small.nextCursor) {
        const next = searchInputSchema.parse({ ...input, cursor: small.nextCursor });
        expect(await searchProducts(t.db, tree, next, { facetCube, smallCatalog: false })).toEqual(await searchProducts(t.db, tree, next, { facetCube }));
      }
    }
  });

  it('counts the listed categories exactly when only their part of the catalog is read (a leaf: its siblings)', async () => {
    // Off the cube's edges, so the counts come from SQL, which reads only the listed categories' subtrees.
    for (const base of [
      { category: 'headphones', minPrice: 1_234, maxPrice: 43_210 },
      { category: 'electronics', minPrice: 1_234, minRating: 2.5 },
      { q: 'wireless', category: 'speakers', minPrice: 1_234 },
    ]) {
      const r = await caller.catalog.search(base);
      expect(r.countsApproximate, base.category).toBe(false);
      const listed = r.facets!.categories;
      expect(listed.length, base.category).toBeGreaterThan(1);
      for (const c of listed) expect(c.count, `${base.category} → ${c.value}`).toBe((await all({ ...base, category: c.value })).length);
    }
    // A broad word whose narrow filter widens the window to the whole catalog: the exact statement
    // without the small-catalog count (it reads the listed subtrees only) gives the same page and facets.
    const tree = await loadCategoryTree(t.db);
    const input = searchInputSchema.parse({ q: 'headphones', category: 'earbuds', minRating: 2 });
    const gated = await searchProducts(t.db, tree, input);
    const widened = await searchProducts(t.db, tree, input, { broadMatch: { threshold: 5, minFiltered: 1_000_000 } });
    expect(widened.countsApproximate).toBe(false);
    expect(widened.facets!.categories.length).toBeGreaterThan(1);
    expect(widened.facets).toEqual(gated.facets);
    expect(widened.items.map((i) => i.id)).toEqual(gated.items.map((i) => i.id));
  });

  it('sorts by price, newest and rating, and by relevance without a query falls back to newest', async () => {
    const check = async (sort: 'price_asc' | 'price_desc' | 'newest' | 'rating' | 'relevance', key: (i: SearchOutput['items'][number]) => number | string, dir: 1 | -1) => {
      const items = await all({ category: 'computers', sort, limit: 37 });
      // Several categories: merged per-category ranges; every product of the subtree, once.
      const { categories } = await caller.catalog.categories();
      expect(items.length).toBe(categories.find((c) => c.slug === 'computers')!.productCount);
      expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
      for (let i = 1; i < items.length; i++) {
        const a = key(items[i - 1]!);
        const b = key(items[i]!);
        expect(dir === 1 ? a <= b : a >= b, `${sort} at ${i}`).toBe(true);
      }
    };
    await check('price_asc', (i) => i.priceCents, 1);
    await check('price_desc', (i) => i.priceCents, -1);
    await check('newest', (i) => i.createdAt, -1);
    await check('rating', (i) => i.rating, -1);
    await check('relevance', (i) => i.createdAt, -1);
  });

  it('pages the same with and without facets (one statement ranks, pages and counts)', async () => {
    for (const sort of ['relevance', 'price_asc', 'price_desc', 'newest', 'rating'] as const) {
      const input = { q: 'coffee', category: 'grocery-gourmet', minRating: 2, sort, limit: 11 };
      let withFacets = await caller.catalog.search(input);
      let without = await caller.catalog.search({ ...input, facets: false });
      for (let page = 0; page < 3; page++) {
        // Whole items: with facets the rows come as JSON from the match statement, without from columns.
        expect(withFacets.items, sort).toEqual(without.items);
        expect(withFacets.nextCursor).toBe(without.nextCursor);
        if (!withFacets.nextCursor) break;
        withFacets = await caller.catalog.search({ ...input, cursor: withFacets.nextCursor });
        without = await caller.catalog.search({ ...input, facets: false, cursor: without.nextCursor! });
      }
    }
  });

  it('pages through every match exactly once, even with inserts between pages', async () => {
    const input = { q: 'headphones', sort: 'relevance', limit: 9, facets: false } as const;
    const expected = (await all({ ...input, limit: 100 })).map((i) => i.id);
    expect(expected.length).toBeGreaterThan(20);

    const seen: number[] = [];
    let cursor: string | undefined;
    let inserted = 0;
    do {
      const r = await caller.catalog.search({ ...input, cursor });
      seen.push(...r.items.map((i) => i.id));
      cursor = r.nextCursor ?? undefined;
      // Someone adds matching products that rank everywhere in the list while we page.
      await insertHeadphones(t.db, inserted++);
    } while (cursor);
    const original = seen.filter((id) => expected.includes(id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(original).toEqual(expected);
  });

  it('ranks and counts a window of the newest candidates when the words match many products', async () => {
    // Thresholds scaled down so the 3,000-product catalog has a "broad" word (defaults: 2,000 matches).
    const tree = await loadCategoryTree(t.db);
    const broadMatch = { threshold: 50, target: 60, minFiltered: 20 };
    const search = (input: Record<string, unknown>) => searchProducts(t.db, tree, searchInputSchema.parse(input), { broadMatch });
    const allOf = async (input: Record<string, unknown>) => {
      const items: SearchOutput['items'] = [];
      let r = await search({ ...input, facets: false });
      items.push(...r.items);
      while (r.nextCursor) {
        r = await search({ ...input, facets: false, cursor: r.nextCursor });
        items.push(...r.items);
      }
      return items;
    };
    const input = { q: 'headphones', limit: 7 };
    const exact = await caller.catalog.search(input);
    expect(exact.countsApproximate).toBe(false);
    const every = (await all(input)).map((i) => i.id);
    expect(every.length).toBeGreaterThan(broadMatch.threshold);

    const broad = await search(input);
    expect(broad.countsApproximate).toBe(true);
    // Relevance pages list the matches of the window [fromId, max id] in the exact order, once each.
    const windowed = (await allOf(input)).map((i) => i.id);
    expect(windowed.length).toBeGreaterThan(0);
    expect(windowed.length).toBeLessThan(every.length);
    const fromId = Math.min(...windowed);
    expect(windowed).toEqual(every.filter((id) => id >= fromId));
    expect(broad.items.map((i) => i.id)).toEqual(windowed.slice(0, 7));
    // Counts are the window's, scaled to the catalog: estimates near the exact ones, consistent among themselves.
    expect(broad.total!).toBeGreaterThan(exact.total! / 2);
    expect(broad.total!).toBeLessThan(exact.total! * 2);
    const bandSum = broad.facets!.priceBands.reduce((s, b) => s + b.count, 0);
    expect(Math.abs(bandSum - broad.total!)).toBeLessThanOrEqual(broad.facets!.priceBands.length);
    // Other sorts walk their index over every match: items exact, only the counts are estimates.
    const byPrice = { ...input, sort: 'price_asc' as const };
    const priced = await search(byPrice);
    expect(priced.countsApproximate).toBe(true);
    const exactByPrice = (await caller.catalog.search(byPrice)).items.map((i) => i.id);
    expect(priced.items.map((i) => i.id)).toEqual(exactByPrice);
    // Walking 3 index entries cannot fill a page: every match is sorted instead, same page.
    const sorted = await searchProducts(t.db, tree, searchInputSchema.parse(byPrice), { broadMatch: { ...broadMatch, sortWalkRows: 3 } });
    expect(sorted.items.map((i) => i.id)).toEqual(exactByPrice);
    expect(sorted.nextCursor).toBe(priced.nextCursor);
    expect((await allOf(byPrice)).length).toBe(every.length);
    // A narrow filter widens the window until enough rows pass it (here: the whole catalog, exact).
    const narrow = { ...input, brand: [broad.facets!.brands.at(-1)!.value], minRating: 4.5 };
    const narrowed = await search(narrow);
    expect(narrowed.countsApproximate).toBe(false);
    expect(narrowed.total).toBe((await all(narrow)).length);
  });

  it('rejects malformed cursors and cursors of another search', async () => {
    const first = await caller.catalog.search({ q: 'coffee', limit: 2 });
    expect(first.nextCursor).toBeTruthy();
    await expectValidationError(caller.catalog.search({ q: 'tea', limit: 2, cursor: first.nextCursor! }));
    await expectValidationError(caller.catalog.search({ q: 'coffee', limit: 2, sort: 'price_asc', cursor: first.nextCursor! }));
    for (const bad of ['x', 'eyJ', '!!!', Buffer.from('[1,"a","1",1]').toString('base64url'), Buffer.from('[1,"a","1",1,0]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url'), 'A'.repeat(512)]) {
      await expectValidationError(caller.catalog.search({ q: 'coffee', cursor: bad }));
    }
    // Same search, limit changed: still valid (the cursor is a position, not a page number).
    const next = await caller.catalog.search({ q: 'coffee', limit: 3, cursor: first.nextCursor! });
    expect(next.items[0]?.id).not.toBe(first.items[1]?.id);
  });

  it('validates bounds', async () => {
    await expectValidationError(caller.catalog.search({ limit: 0 }));
    await expectValidationError(caller.catalog.search({ limit: 101 }));
    await expectValidationError(caller.catalog.search({ minPrice: -1 }));
    await expectValidationError(caller.catalog.search({ minPrice: 500, maxPrice: 100 }));
    await expectValidationError(caller.catalog.search({ minRating: 6 }));
    await expectValidationError(caller.catalog.search({ brand: Array.from({ length: 21 }, (_, i) => `b${i}`) }));
    await expectValidationError(caller.catalog.search({ brand: ['a\u0000b'] }));
    await expectValidationError(caller.catalog.search({ category: "'; drop" }));
    await expectValidationError(caller.catalog.search({ sort: 'name' as never }));
    expect((await caller.catalog.search({ limit: 100 })).items).toHaveLength(100);
  });

  it.each(hostile.map((q) => [q.length > 40 ? `${q.slice(0, 40)}… (${q.length})` : JSON.stringify(q), q]))(
    'hostile q %s gives a result or a validation error',
    async (_label, q) => {
      for (const sort of ['relevance', 'price_asc'] as const) {
        try {
          const r = await caller.catalog.search({ q, sort, limit: 5 });
          expect(Array.isArray(r.items)).toBe(true);
          expect(r.total).toBeGreaterThanOrEqual(r.items.length);
        } catch (error) {
          expect(error).toBeInstanceOf(TRPCError);
          expect((error as TRPCError).code).toBe('BAD_REQUEST');
        }
      }
      try {
        const s = await caller.catalog.suggest({ q: q.slice(0, 150) });
        expect(Array.isArray(s.suggestions)).toBe(true);
      } catch (error) {
        expect((error as TRPCError).code).toBe('BAD_REQUEST');
      }
      try {
        await caller.catalog.search({ brand: [q.slice(0, 150) || 'x'], limit: 1 });
      } catch (error) {
        expect((error as TRPCError).code).toBe('BAD_REQUEST');
      }
    },
  );

  it('suggests completions, categories and brands for a prefix', async () => {
    const s = await caller.catalog.suggest({ q: 'headp' });
    expect(s.suggestions[0]).toMatchObject({ kind: 'query', value: 'headphones' });
    const two = await caller.catalog.suggest({ q: 'wireless hea' });
    expect(two.suggestions.map((x) => x.value)).toContain('wireless headphones');
    const cat = await caller.catalog.suggest({ q: 'lapt' });
    expect(cat.suggestions).toContainEqual(expect.objectContaining({ kind: 'category', value: 'laptops' }));
    const brand = await caller.catalog.suggest({ q: 'sono' });
    expect(brand.suggestions).toContainEqual(expect.objectContaining({ kind: 'brand', value: 'Sonora' }));
    expect((await caller.catalog.suggest({ q: '%%' })).suggestions).toEqual([]);
  });

  it('lists the category tree with rolled-up counts', async () => {
    const { categories } = await caller.catalog.categories();
    const roots = categories.filter((c) => c.parentId === null);
    expect(roots).toHaveLength(8);
    const [count] = await t.db.select({ n: sql<number>`count(*)::int` }).from(products);
    expect(count!.n).toBeGreaterThanOrEqual(seedProducts);
    expect(roots.reduce((s, c) => s + c.productCount, 0)).toBe(count!.n);
    const seen = new Set<number>();
    for (const c of categories) {
      if (c.parentId !== null) expect(seen.has(c.parentId)).toBe(true);
      seen.add(c.id);
      const children = categories.filter((x) => x.parentId === c.id);
      if (children.length) expect(children.reduce((s, x) => s + x.productCount, 0)).toBe(c.productCount);
    }
  });

  it('reads a product by id, slug and sku', async () => {
    const byId = await caller.catalog.product({ id: 17 });
    expect(await caller.catalog.productBySlug({ slug: byId.slug })).toEqual(byId);
    expect(await caller.catalog.productBySku({ sku: byId.sku })).toEqual(byId);
    await expect(caller.catalog.productBySlug({ slug: 'no-such-product' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(caller.catalog.productBySku({ sku: 'NOPE-1' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expectValidationError(caller.catalog.productBySlug({ slug: '../etc' }));
  });
});

async function expectValidationError(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code: 'BAD_REQUEST' });
}

/** Adds headphones with ranks spread over the list (short names rank high, long descriptions low). */
async function insertHeadphones(db: Database, n: number): Promise<void> {
  const [cat] = await db.select({ id: products.categoryId }).from(products).where(ilike(products.name, '%Headphones%')).limit(1);
  await db.insert(products).values(
    [0, 1, 2].map((k) => ({
      sku: `NEW-${n}-${k}`,
      slug: `new-headphones-${n}-${k}`,
      name: k === 0 ? 'Headphones' : k === 1 ? `Studio ${n} Headphones` : `Zed ${n} Cable`,
      description: k === 2 ? 'Works with headphones.' : 'New headphones.',
      brand: 'Newco',
      categoryId: cat!.id,
      categoryText: 'Electronics Audio Headphones',
      priceCents: 1000 + n,
      stock: 1,
    })),
  );
}

describe.each(testDrivers)('statements per search on %s', (_driver, create) => {
  let t: TestDb;
  let statements: string[] = [];

  beforeAll(async () => {
    t = await create({ onQuery: (q) => statements.push(q) });
    await seedDatabase(t.db, { products: 400, seed: 7 });
  }, 120_000);
  afterAll(() => t?.dispose());

  it('answers a small catalog in one statement per text search (two for a typo), each reported to the query logger', async () => {
    const tree = await loadCategoryTree(t.db);
    const search = async (input: Record<string, unknown>) => {
      statements = [];
      const r = await searchProducts(t.db, tree, searchInputSchema.parse(input));
      return { r, n: statements.length };
    };
    await search({ q: 'warm up the id range' });
    const words = await search({ q: 'headphones', brand: ['Sonora'] });
    expect(words.r.items.length).toBeGreaterThan(0);
    expect(words.n).toBe(1);
    // The same statement again (prepared on postgres.js): still reported.
    expect((await search({ q: 'headphones', brand: ['Sonora'] })).n).toBe(1);
    const typo = await search({ q: 'hedphones' });
    expect(typo.r.query.mode).toBe('corrected');
    expect(typo.n).toBe(2);
    const next = await search({ q: 'headphones', facets: false, limit: 2, cursor: words.r.nextCursor ?? undefined, brand: ['Sonora'] });
    expect(next.n).toBe(1);
  });
});
