import type { Metadata } from 'next';
import { SearchResults } from '@/components/search-results';
import { type ApiProblem, describeApiError } from '@/lib/api-error';
import { parseSearchState, searchInput, searchQueryString } from '@/lib/search-state';
import { serverApi } from '@/lib/trpc-server';

type Params = Record<string, string | string[] | undefined>;

export async function generateMetadata({ searchParams }: { searchParams: Promise<Params> }): Promise<Metadata> {
  const { q } = parseSearchState(await searchParams);
  return { title: q ? `“${q}” — search` : 'All products' };
}

/** Server-rendered first page of results; the client takes over for typing, filters and paging. */
export default async function SearchPage({ searchParams }: { searchParams: Promise<Params> }) {
  const state = parseSearchState(await searchParams);
  const { api, retryAfter } = await serverApi();
  let initial: Awaited<ReturnType<typeof api.catalog.search.query>> | null = null;
  let problem: ApiProblem | null = null;
  try {
    initial = await api.catalog.search.query(searchInput(state));
  } catch (error) {
    problem = describeApiError(error, retryAfter());
  }
  return <SearchResults initial={initial} initialKey={searchQueryString(state)} initialProblem={problem} />;
}
