'use client';
import { type SearchState, searchQueryString } from './search-state';

/**
 * Moves the search to a new state without a server round trip: Next.js syncs `useSearchParams` with
 * the native history API, so results update client-side and back/forward restore earlier states.
 * Typing replaces the entry (no history spam); filters, sort and new searches push one.
 */
export function navigateSearch(state: SearchState, mode: 'push' | 'replace'): void {
  const url = `/search${searchQueryString(state)}`;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}
