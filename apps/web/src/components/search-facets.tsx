'use client';
import type { SearchState } from '@/lib/search-state';
import type { SearchPage } from './search-results';

type Facets = NonNullable<SearchPage['facets']>;

interface Props {
  facets: Facets;
  state: SearchState;
  onChange(next: SearchState): void;
}

/** Facet filters with counts; real checkboxes and radios, so keyboard and screen readers just work. */
export function SearchFacets({ facets, state, onChange }: Props) {
  const anyFilter =
    state.category !== null || state.brands.length > 0 || state.minPrice !== null || state.maxPrice !== null || state.minRating !== null || state.inStock;
  return (
    <div className="facet-groups">
      <div className="facets-head">
        <h2>Filters</h2>
        {anyFilter && (
          <button
            type="button"
            className="button link"
            onClick={() => onChange({ ...state, category: null, brands: [], minPrice: null, maxPrice: null, minRating: null, inStock: false })}
          >
            Clear all
          </button>
        )}
      </div>

      <fieldset className="facet">
        <legend>Category</legend>
        {state.category && (
          <button type="button" className="facet-back button link" onClick={() => onChange({ ...state, category: null })}>
            ← All categories
          </button>
        )}
        <ul>
          {facets.categories.map((c) => (
            <li key={c.value}>
              <label className="facet-option">
                <input
                  type="radio"
                  name="category"
                  checked={c.selected || state.category === c.value}
                  onChange={() => onChange({ ...state, category: c.value })}
                />
                <span className="facet-label">{c.label}</span>
                <span className="count">{c.count.toLocaleString('en-US')}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>

      {facets.brands.length > 0 && (
        <fieldset className="facet">
          <legend>Brand</legend>
          <ul>
            {facets.brands.map((b) => {
              const checked = state.brands.includes(b.value);
              return (
                <li key={b.value}>
                  <label className="facet-option">
                    <input
                      type="checkbox"
                      checked={checked}
                      onChange={() =>
                        onChange({ ...state, brands: checked ? state.brands.filter((x) => x !== b.value) : [...state.brands, b.value] })
                      }
                    />
                    <span className="facet-label">{b.label}</span>
                    <span className="count">{b.count.toLocaleString('en-US')}</span>
                  </label>
                </li>
              );
            })}
          </ul>
        </fieldset>
      )}

      <fieldset className="facet">
        <legend>Price</legend>
        <ul>
          <li>
            <label className="facet-option">
              <input
                type="radio"
                name="price"
                checked={state.minPrice === null && state.maxPrice === null}
                onChange={() => onChange({ ...state, minPrice: null, maxPrice: null })}
              />
              <span className="facet-label">Any price</span>
            </label>
          </li>
          {facets.priceBands.map((band) => (
            <li key={band.value}>
              <label className="facet-option">
                <input
                  type="radio"
                  name="price"
                  checked={state.minPrice === band.minPrice && state.maxPrice === band.maxPrice}
                  onChange={() => onChange({ ...state, minPrice: band.minPrice, maxPrice: band.maxPrice })}
                />
                <span className="facet-label">{band.label}</span>
                <span className="count">{band.count.toLocaleString('en-US')}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>

      <fieldset className="facet">
        <legend>Rating</legend>
        <ul>
          <li>
            <label className="facet-option">
              <input type="radio" name="rating" checked={state.minRating === null} onChange={() => onChange({ ...state, minRating: null })} />
              <span className="facet-label">Any rating</span>
            </label>
          </li>
          {facets.ratings.map((r) => (
            <li key={r.value}>
              <label className="facet-option">
                <input
                  type="radio"
                  name="rating"
                  checked={state.minRating === Number(r.value)}
                  onChange={() => onChange({ ...state, minRating: Number(r.value) })}
                />
                <span className="facet-label">{r.label}</span>
                <span className="count">{r.count.toLocaleString('en-US')}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>

      <fieldset className="facet">
        <legend>Availability</legend>
        <label className="facet-option">
          <input type="checkbox" checked={state.inStock} onChange={() => onChange({ ...state, inStock: !state.inStock })} />
          <span className="facet-label">In stock only</span>
        </label>
      </fieldset>
    </div>
  );
}
