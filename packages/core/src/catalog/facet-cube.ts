import { type Database, queryRows } from '@triport/db';
import { type SQL, sql } from 'drizzle-orm';
import type { SearchInput } from './search-schemas.ts';

/**
 * Product counts per (category, brand, price band, rating floor, in stock): a few thousand rows however
 * large the catalog. Browsing without text (the storefront's category pages) computes facets and the
 * total from it instead of counting up to every product on each request. Plain JSON so the two-tier
 * cache can share it; rows are `[categoryId, brandIndex, band, ratingFloor, inStock 0|1, count]`.
 */
export interface FacetCube {
  brands: string[];
  rows: Array<[number, number, number, number, number, number]>;
}

/** Same bands as the facet (search.ts), as one SQL CASE over `price_cents`. */
export function priceBandCase(bands: ReadonlyArray<readonly [number, number | null]>): SQL {
  const cases = bands
    .map(([, max], i) => (max === null ? null : sql`WHEN price_cents < ${max}::int THEN ${i}::int`))
    .filter((c): c is SQL => c !== null);
  return sql`CASE ${sql.join(cases, sql` `)} ELSE ${bands.length - 1}::int END`;
}

/** One sequential pass over products; callers cache the result (see router.ts). */
export async function loadFacetCube(db: Database, bands: ReadonlyArray<readonly [number, number | null]>): Promise<FacetCube> {
  const rows = await queryRows<{ category_id: number; brand: string; band: number; rf: number; in_stock: boolean; n: number }>(
    db,
    sql`SELECT category_id, brand, (${priceBandCase(bands)}) AS band, floor(rating)::int AS rf, stock > 0 AS in_stock, count(*)::int AS n
        FROM products GROUP BY 1, 2, 3, 4, 5`,
  );
  const brands: string[] = [];
  const index = new Map<string, number>();
  const out: FacetCube['rows'] = [];
  for (const r of rows) {
    let b = index.get(r.brand);
    if (b === undefined) {
      b = brands.push(r.brand) - 1;
      index.set(r.brand, b);
    }
    out.push([r.category_id, b, r.band, r.rf, r.in_stock ? 1 : 0, r.n]);
  }
  return { brands, rows: out };
}

/**
 * The cube answers a search when there is no text and the price/rating filters fall on its bucket
 * edges (what the facet links produce); other searches count exactly in SQL.
 */
export function cubeBandRange(
  input: Pick<SearchInput, 'minPrice' | 'maxPrice' | 'minRating'>,
  bands: ReadonlyArray<readonly [number, number | null]>,
): [number, number] | null {
  if (input.minRating !== undefined && !Number.isInteger(input.minRating)) return null;
  let lo = 0;
  let hi = bands.length - 1;
  if (input.minPrice !== undefined) {
    lo = bands.findIndex(([min]) => min === input.minPrice);
    if (lo === -1) return null;
  }
  if (input.maxPrice !== undefined) {
    hi = bands.findIndex(([, max]) => max !== null && max - 1 === input.maxPrice);
    if (hi === -1) return null;
  }
  return lo <= hi ? [lo, hi] : null;
}

export interface CubeFilters {
  categoryIds: Set<number> | null;
  brands: Set<string> | null;
  bandRange: [number, number];
  minRating: number;
  inStock: boolean;
}

/** Facet rows in the same shape as the SQL path: ('c' | 'b' | 'p' | 'r' | 't', key, n). */
export function cubeFacetRows(cube: FacetCube, f: CubeFilters): Array<{ facet: 'c' | 'b' | 'p' | 'r' | 't'; key: string; n: number }> {
  const byCategory = new Map<number, number>();
  const byBrand = new Map<number, number>();
  const byBand = new Map<number, number>();
  const byFloor = new Map<number, number>();
  let total = 0;
  const brandOk = f.brands ? cube.brands.map((b) => f.brands?.has(b) ?? true) : null;
  const add = (m: Map<number, number>, k: number, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const [categoryId, brand, band, floor, inStock, n] of cube.rows) {
    if (f.inStock && !inStock) continue;
    const cat = f.categoryIds === null || f.categoryIds.has(categoryId);
    const br = brandOk === null || brandOk[brand] === true;
    const pr = band >= f.bandRange[0] && band <= f.bandRange[1];
    const ra = floor >= f.minRating;
    if (br && pr && ra) add(byCategory, categoryId, n);
    if (cat && pr && ra) add(byBrand, brand, n);
    if (cat && br && ra) add(byBand, band, n);
    if (cat && br && pr) add(byFloor, floor, n);
    if (cat && br && pr && ra) total += n;
  }
  const rows: Array<{ facet: 'c' | 'b' | 'p' | 'r' | 't'; key: string; n: number }> = [];
  for (const [k, n] of byCategory) rows.push({ facet: 'c', key: String(k), n });
  for (const [k, n] of byBrand) rows.push({ facet: 'b', key: cube.brands[k] as string, n });
  for (const [k, n] of byBand) rows.push({ facet: 'p', key: String(k), n });
  for (const [k, n] of byFloor) rows.push({ facet: 'r', key: String(k), n });
  rows.push({ facet: 't', key: '', n: total });
  return rows;
}
