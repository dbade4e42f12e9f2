import { describe, expect, it } from 'vitest';
import { parseSearchState, searchInput, searchQueryString } from './search-state';

describe('search state ⇄ URL', () => {
  it('round-trips every field through the query string', () => {
    const url = '?q=trail+shoes&category=running-shoes&brand=Northwind&brand=Acme&minPrice=5000&maxPrice=10000&minRating=4&inStock=1&sort=price_asc';
    const state = parseSearchState(new URLSearchParams(url));
    expect(state).toEqual({
      q: 'trail shoes',
      category: 'running-shoes',
      brands: ['Northwind', 'Acme'],
      minPrice: 5000,
      maxPrice: 10000,
      minRating: 4,
      inStock: true,
      sort: 'price_asc',
    });
    // Canonical form: stable brand order, so equal states share one URL and one cache entry.
    expect(searchQueryString(state)).toBe(
      '?q=trail+shoes&category=running-shoes&brand=Acme&brand=Northwind&minPrice=5000&maxPrice=10000&minRating=4&inStock=1&sort=price_asc',
    );
    expect(parseSearchState(new URLSearchParams(searchQueryString(state)))).toEqual({ ...state, brands: ['Acme', 'Northwind'] });
  });

  it('drops invalid values instead of failing the page', () => {
    const state = parseSearchState({ category: 'Not A Slug!', sort: 'cheapest', minPrice: '-3', maxPrice: 'abc', minRating: '9', inStock: 'yes' });
    expect(state).toEqual({ q: '', category: null, brands: [], minPrice: null, maxPrice: null, minRating: null, inStock: false, sort: 'relevance' });
    expect(searchQueryString(state)).toBe('');
  });

  it('ignores an inverted price range', () => {
    const state = parseSearchState(new URLSearchParams('minPrice=900&maxPrice=100'));
    expect([state.minPrice, state.maxPrice]).toEqual([null, null]);
  });

  it('asks for facets on the first page only', () => {
    const state = parseSearchState(new URLSearchParams('q=lamp'));
    expect(searchInput(state)).toMatchObject({ q: 'lamp', facets: true, sort: 'relevance' });
    expect(searchInput(state, 'abc')).toMatchObject({ q: 'lamp', cursor: 'abc', facets: false });
    expect(searchInput(state)).not.toHaveProperty('cursor');
  });
});
