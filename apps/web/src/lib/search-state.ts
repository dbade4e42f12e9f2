/**
 * Search state ⇄ URL. Every search, filter and sort lives in the query string, so results are
 * shareable and back/forward work; invalid values are dropped rather than failing the page.
 */
export const SORT_OPTIONS = [
  { value: 'relevance', label: 'Best match' },
  { value: 'price_asc', label: 'Price: low to high' },
  { value: 'price_desc', label: 'Price: high to low' },
  { value: 'newest', label: 'Newest' },
  { value: 'rating', label: 'Top rated' },
] as const;
export type Sort = (typeof SORT_OPTIONS)[number]['value'];

export interface SearchState {
  q: string;
  category: string | null;
  brands: string[];
  minPrice: number | null;
  maxPrice: number | null;
  minRating: number | null;
  inStock: boolean;
  sort: Sort;
}

export const PAGE_SIZE = 24;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_PRICE = 1_000_000_000;

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function all(source: ParamSource, name: string): string[] {
  if (source instanceof URLSearchParams) return source.getAll(name);
  const v = source[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function first(source: ParamSource, name: string): string | null {
  return all(source, name)[0] ?? null;
}

function cents(value: string | null): number | null {
  if (value === null || !/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n <= MAX_PRICE ? n : null;
}

/**
 * Reads the state from `?q=…&category=…&brand=…&minPrice=…&maxPrice=…&minRating=…&inStock=1&sort=…`.
 *
 * @example
 * parseSearchState(new URLSearchParams('q=shoe&sort=price_asc')).sort; // "price_asc"
 */
export function parseSearchState(source: ParamSource): SearchState {
  const q = (first(source, 'q') ?? '').slice(0, 200);
  const category = first(source, 'category');
  const sort = first(source, 'sort');
  const rating = first(source, 'minRating');
  const minRating = rating !== null && /^[0-5](\.\d)?$/.test(rating) ? Number(rating) : null;
  let minPrice = cents(first(source, 'minPrice'));
  let maxPrice = cents(first(source, 'maxPrice'));
  if (minPrice !== null && maxPrice !== null && minPrice > maxPrice) [minPrice, maxPrice] = [null, null];
  return {
    q,
    category: category && category.length <= 100 && SLUG.test(category) ? category : null,
    brands: [...new Set(all(source, 'brand').filter((b) => b.length > 0 && b.length <= 100))].slice(0, 20),
    minPrice,
    maxPrice,
    minRating,
    inStock: first(source, 'inStock') === '1',
    sort: SORT_OPTIONS.some((o) => o.value === sort) ? (sort as Sort) : 'relevance',
  };
}

/** The canonical query string for a state (defaults omitted, stable order). */
export function searchQueryString(state: SearchState): string {
  const p = new URLSearchParams();
  if (state.q.trim()) p.set('q', state.q.trim());
  if (state.category) p.set('category', state.category);
  for (const b of [...state.brands].sort()) p.append('brand', b);
  if (state.minPrice !== null) p.set('minPrice', String(state.minPrice));
  if (state.maxPrice !== null) p.set('maxPrice', String(state.maxPrice));
  if (state.minRating !== null) p.set('minRating', String(state.minRating));
  if (state.inStock) p.set('inStock', '1');
  if (state.sort !== 'relevance') p.set('sort', state.sort);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The `catalog.search` input for a state (first page unless a cursor is given). */
export function searchInput(state: SearchState, cursor?: string) {
  return {
    ...(state.q.trim() ? { q: state.q.trim() } : {}),
    ...(state.category ? { category: state.category } : {}),
    ...(state.brands.length ? { brand: [...state.brands].sort() } : {}),
    ...(state.minPrice !== null ? { minPrice: state.minPrice } : {}),
    ...(state.maxPrice !== null ? { maxPrice: state.maxPrice } : {}),
    ...(state.minRating !== null ? { minRating: state.minRating } : {}),
    ...(state.inStock ? { inStock: true } : {}),
    sort: state.sort,
    limit: PAGE_SIZE,
    ...(cursor ? { cursor, facets: false } : { facets: true }),
  };
}

export function hasFilters(state: SearchState): boolean {
  return (
    state.category !== null ||
    state.brands.length > 0 ||
    state.minPrice !== null ||
    state.maxPrice !== null ||
    state.minRating !== null ||
    state.inStock
  );
}
