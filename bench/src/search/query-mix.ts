/**
 * The committed query mix of the search benchmark, by shape. Inputs are what a client sends to
 * `catalog.search` (zod fills the defaults: limit 24, facets on, sort relevance).
 */
export interface SearchCase {
  input: Record<string, unknown>;
  /** For `deep`: follow nextCursor this many pages first, then time the request for the page after. */
  depth?: number;
}

export const searchShapes = ['exact', 'typo', 'prefix', 'filters', 'facets', 'deep'] as const;
export type SearchShape = (typeof searchShapes)[number];

export const queryMix: Record<SearchShape, SearchCase[]> = {
  /** Whole words as typed into the search box (first page: facets and total included). */
  exact: [
    { input: { q: 'laptop' } },
    { input: { q: 'wireless headphones' } },
    { input: { q: 'espresso machine' } },
    { input: { q: 'running shoes' } },
    { input: { q: 'yoga mat' } },
    { input: { q: 'mechanical keyboard' } },
    { input: { q: 'dark roast coffee' } },
    { input: { q: '"board game" -party' } },
  ],
  /** Misspellings: corrected against the vocabulary (or trigram similarity on names). */
  typo: [
    { input: { q: 'hedphones' } },
    { input: { q: 'keybord' } },
    { input: { q: 'monitr' } },
    { input: { q: 'cofee grinder' } },
    { input: { q: 'jackt' } },
    { input: { q: 'espreso' } },
    { input: { q: 'camra lens' } },
  ],
  /** Search-as-you-type: the last word is a prefix. */
  prefix: [
    { input: { q: 'lap' } },
    { input: { q: 'head' } },
    { input: { q: 'wirel' } },
    { input: { q: 'mechanical key' } },
    { input: { q: 'runn' } },
    { input: { q: 'coff' } },
    { input: { q: 'standing d' } },
  ],
  /** Category pages: no text, filters and sorts, facets on (the storefront's first page). */
  filters: [
    { input: { category: 'electronics' } },
    { input: { category: 'laptops', sort: 'price_asc' } },
    { input: { category: 'fashion', inStock: true, sort: 'newest' } },
    { input: { category: 'audio', brand: ['Sonora', 'Voltix'], minRating: 4 } },
    { input: { brand: ['Hearthstone'], minPrice: 10_000, maxPrice: 24_999, sort: 'rating' } },
    { input: { minPrice: 100_000, sort: 'price_desc' } },
    { input: { category: 'coffee', minPrice: 1_234, maxPrice: 4_321 } },
    { input: { sort: 'newest', facets: false } },
  ],
  /** Text plus filters: facet counts that reflect the other filters. */
  facets: [
    { input: { q: 'headphones', brand: ['Sonora'], minRating: 4 } },
    { input: { q: 'jacket', category: 'fashion', inStock: true } },
    { input: { q: 'coffee', minPrice: 1_000, maxPrice: 2_999 } },
    { input: { q: 'monitor', category: 'computers', brand: ['Pixela', 'Lumen'], sort: 'price_asc' } },
    { input: { q: 'tent', minRating: 3, inStock: true } },
    { input: { q: 'smartwatch', sort: 'rating' } },
  ],
  /** Page 21 (after 20 pages of 24) of long lists, facets off as the storefront asks for next pages. */
  deep: [
    { input: { q: 'headphones', facets: false }, depth: 20 },
    { input: { category: 'electronics', sort: 'price_asc', facets: false }, depth: 20 },
    { input: { sort: 'newest', facets: false }, depth: 20 },
    { input: { q: 'coffee', sort: 'price_desc', facets: false }, depth: 20 },
    { input: { category: 'fashion', sort: 'rating', inStock: true, facets: false }, depth: 20 },
  ],
};
