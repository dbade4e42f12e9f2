'use client';
import type { AppRouter } from '@triport/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type ApiProblem, describeApiError } from '@/lib/api-error';
import { navigateSearch } from '@/lib/search-nav';
import { hasFilters, parseSearchState, type SearchState, searchInput, searchQueryString } from '@/lib/search-state';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { ProblemNotice } from './problem-notice';
import { ProductCard } from './product-card';
import { SearchFacets } from './search-facets';
import { ResultSkeletons } from './skeletons';
import { SortSelect } from './sort-select';

export type SearchPage = inferRouterOutputs<AppRouter>['catalog']['search'];

interface Props {
  initial: SearchPage | null;
  /** Query string the server rendered `initial` for. */
  initialKey: string;
  initialProblem: ApiProblem | null;
}

export function SearchResults({ initial, initialKey, initialProblem }: Props) {
  const params = useSearchParams();
  const urlState = useMemo(() => parseSearchState(new URLSearchParams(params.toString())), [params]);
  // Next.js applies a pushState to useSearchParams in a transition: show the new state at once so a
  // checkbox never flickers back, and let the URL win again as soon as it changes (incl. back/forward).
  const urlKey = searchQueryString(urlState);
  const [optimistic, setOptimistic] = useState<SearchState | null>(null);
  const [seenUrl, setSeenUrl] = useState(urlKey);
  if (seenUrl !== urlKey) {
    // The URL moved (our push landed, or back/forward): from now on it is the truth.
    setSeenUrl(urlKey);
    setOptimistic(null);
  }
  const state = (seenUrl === urlKey ? optimistic : null) ?? urlState;
  const key = searchQueryString(state);
  const trpc = useTRPC();
  const client = useTRPCClient();
  const results = useInfiniteQuery({
    queryKey: [...trpc.catalog.search.pathKey(), key],
    // The signal aborts the HTTP request when this key is superseded (the shopper typed on).
    queryFn: ({ pageParam, signal }) => client.catalog.search.query(searchInput(state, pageParam ?? undefined), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: initial && key === initialKey ? { pages: [initial], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

  const firstPage = results.data?.pages[0];
  const items = results.data?.pages.flatMap((p) => p.items) ?? [];
  const showingStale = results.isPlaceholderData;
  const problem = results.error ? describeApiError(results.error) : !results.data && key === initialKey ? initialProblem : null;

  const filtersRef = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (filtersRef.current && window.matchMedia('(max-width: 860px)').matches) filtersRef.current.open = false;
  }, []);

  // Keyboard users land on the first newly loaded result after "Load more".
  const focusIndex = useRef<number | null>(null);
  const firstNewLink = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (focusIndex.current !== null && items.length > focusIndex.current) {
      firstNewLink.current?.focus();
      focusIndex.current = null;
    }
  }, [items.length]);

  const go = (next: SearchState) => {
    setOptimistic(next);
    navigateSearch(next, 'push');
  };
  const total = firstPage?.total ?? null;
  const corrected = firstPage?.query.correctedQuery ?? null;

  return (
    <div className="search-layout">
      <aside className="facets" aria-label="Filters">
        {/* Open on wide screens (summary hidden by CSS); a collapsed disclosure on phones. */}
        <details ref={filtersRef} open className="facets-toggle">
          <summary>Filters{hasFilters(state) ? ' (active)' : ''}</summary>
          {firstPage?.facets ? (
            <SearchFacets facets={firstPage.facets} state={state} onChange={go} />
          ) : problem ? null : (
            <div className="skeleton skeleton-block" aria-hidden="true" />
          )}
        </details>
      </aside>
      <section className="results" aria-labelledby="results-title" aria-busy={results.isFetching}>
        <div className="results-head">
          <div>
            <h1 id="results-title">{state.q ? <>Results for “{state.q}”</> : 'All products'}</h1>
            <p role="status" className="result-count" data-testid="result-count">
              {problem
                ? ''
                : !firstPage || showingStale
                  ? 'Searching…'
                  : `${(total ?? items.length).toLocaleString('en-US')} ${total === 1 ? 'result' : 'results'}${state.q ? ` for “${state.q}”` : ''}`}
            </p>
            {corrected && !showingStale && (
              <p className="corrected" data-testid="corrected-query">
                Showing results for <strong>{corrected}</strong>.
              </p>
            )}
          </div>
          <SortSelect value={state.sort} onChange={(sort) => go({ ...state, sort })} />
        </div>

        {problem ? (
          <ProblemNotice
            problem={problem}
            action={
              <button type="button" className="button" onClick={() => void results.refetch()}>
                Try again
              </button>
            }
          />
        ) : !results.data ? (
          <ResultSkeletons />
        ) : items.length === 0 ? (
          <div className="empty-state" data-testid="empty-results">
            <p>
              <strong>No products match{state.q ? ` “${state.q}”` : ''}.</strong>
            </p>
            <p className="muted">Check the spelling, use fewer words, or remove a filter.</p>
            {hasFilters(state) && (
              <button
                type="button"
                className="button"
                onClick={() => go({ ...state, category: null, brands: [], minPrice: null, maxPrice: null, minRating: null, inStock: false })}
              >
                Clear all filters
              </button>
            )}
          </div>
        ) : (
          <>
            <ul className={`product-grid${showingStale ? ' stale' : ''}`} aria-label="Search results">
              {items.map((item, i) => (
                <li key={item.id}>
                  <ProductCard product={item} linkRef={i === focusIndex.current ? firstNewLink : undefined} />
                </li>
              ))}
            </ul>
            <div className="load-more">
              {results.hasNextPage ? (
                <button
                  type="button"
                  className="button"
                  disabled={results.isFetchingNextPage}
                  onClick={() => {
                    focusIndex.current = items.length;
                    void results.fetchNextPage();
                  }}
                >
                  {results.isFetchingNextPage ? 'Loading…' : 'Load more'}
                </button>
              ) : (
                <p className="muted small">You’ve seen all {items.length.toLocaleString('en-US')} results.</p>
              )}
            </div>
          </>
        )}
      </section>
    </div>
  );
}
