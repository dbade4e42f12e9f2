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

/** The cube as columns, built once per cube object: the per-request pass reads typed arrays. */
interface CubeColumns {
  category: Int32Array;
  brand: Int32Array;
  band: Int32Array;
  floor: Int32Array;
  inStock: Uint8Array;
  n: Float64Array;
  /** Largest category id, band and rating floor (sizes of the count arrays). */
  maxCategory: number;
  maxBand: number;
  maxFloor: number;
  size: number;
}

const columnsOf = new WeakMap<FacetCube, CubeColumns>();

function cubeColumns(cube: FacetCube): CubeColumns {
  const cached = columnsOf.get(cube);
  if (cached) return cached;
  const len = cube.rows.length;
  const c: CubeColumns = {
    category: new Int32Array(len),
    brand: new Int32Array(len),
    band: new Int32Array(len),
    floor: new Int32Array(len),
    inStock: new Uint8Array(len),
    n: new Float64Array(len),
    maxCategory: 0,
    maxBand: 0,
    maxFloor: 0,
    size: 0,
  };
  cube.rows.forEach(([categoryId, brand, band, floor, inStock, n], i) => {
    c.category[i] = categoryId;
    c.brand[i] = brand;
    c.band[i] = band;
    c.floor[i] = floor;
    c.inStock[i] = inStock;
    c.n[i] = n;
    c.maxCategory = Math.max(c.maxCategory, categoryId);
    c.maxBand = Math.max(c.maxBand, band);
    c.maxFloor = Math.max(c.maxFloor, floor);
    c.size += n;
  });
  columnsOf.set(cube, c);
  return c;
}

/** Products counted in the cube (the catalog size when it was loaded). */
export function cubeProducts(cube: FacetCube): number {
  return cubeColumns(cube).size;
}

/**
 * Facet rows in the same shape as the SQL path: ('c' | 'b' | 'p' | 'r' | 't', key, n). One pass over
 * the cube's columns (at 10k products the cube has about as many rows as products: ~0.5 ms as objects
 * and maps, a fraction of that as typed arrays).
 */
export function cubeFacetRows(cube: FacetCube, f: CubeFilters): Array<{ facet: 'c' | 'b' | 'p' | 'r' | 't'; key: string; n: number }> {
  const c = cubeColumns(cube);
  const byCategory = new Float64Array(c.maxCategory + 1);
  const byBrand = new Float64Array(cube.brands.length);
  const byBand = new Float64Array(c.maxBand + 1);
  const byFloor = new Float64Array(c.maxFloor + 1);
  let total = 0;
  const brandOk = f.brands ? Uint8Array.from(cube.brands, (b) => (f.brands?.has(b) ? 1 : 0)) : null;
  const categoryOk = new Uint8Array(c.maxCategory + 1);
  if (f.categoryIds) for (const id of f.categoryIds) if (id <= c.maxCategory) categoryOk[id] = 1;
  const [lo, hi] = f.bandRange;
  for (let i = 0; i < c.n.length; i++) {
    if (f.inStock && c.inStock[i] === 0) continue;
    const categoryId = c.category[i] as number;
    const brand = c.brand[i] as number;
    const band = c.band[i] as number;
    const floor = c.floor[i] as number;
    const n = c.n[i] as number;
    const cat = f.categoryIds === null || categoryOk[categoryId] === 1;
    const br = brandOk === null || brandOk[brand] === 1;
    const pr = band >= lo && band <= hi;
    const ra = floor >= f.minRating;
    if (br && pr && ra) byCategory[categoryId] = (byCategory[categoryId] ?? 0) + n;
    if (cat && pr && ra) byBrand[brand] = (byBrand[brand] ?? 0) + n;
    if (cat && br && ra) byBand[band] = (byBand[band] ?? 0) + n;
    if (cat && br && pr) byFloor[floor] = (byFloor[floor] ?? 0) + n;
    if (cat && br && pr && ra) total += n;
  }
  const rows: Array<{ facet: 'c' | 'b' | 'p' | 'r' | 't'; key: string; n: number }> = [];
  const emit = (facet: 'c' | 'b' | 'p' | 'r', counts: Float64Array, key: (k: number) => string) => {
    counts.forEach((n, k) => {
      if (n > 0) rows.push({ facet, key: key(k), n });
    });
  };
  emit('c', byCategory, String);
  emit('b', byBrand, (k) => cube.brands[k] as string);
  emit('p', byBand, String);
  emit('r', byFloor, String);
  rows.push({ facet: 't', key: '', n: total });
  return rows;
}
