'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { navigateSearch } from '@/lib/search-nav';
import { parseSearchState, type SearchState, searchQueryString } from '@/lib/search-state';
import { useTRPC } from '@/lib/trpc';
import { useDebounced } from '@/lib/use-debounced';

type Suggestion = { kind: 'query' | 'category' | 'brand'; value: string; label: string; count: number };

const KIND_LABEL: Record<Suggestion['kind'], string> = { query: 'Search', category: 'Category', brand: 'Brand' };

/**
 * The header search: an ARIA 1.2 combobox with suggestions from `catalog.suggest`. On /search every
 * pause in typing updates the results instantly (the URL's `q` is replaced, older requests aborted);
 * elsewhere Enter opens the results page.
 */
export function SearchBox() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const onSearchPage = pathname === '/search';
  const urlQ = onSearchPage ? (params.get('q') ?? '') : '';
  const [text, setText] = useState(urlQ);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const lastSent = useRef(urlQ);
  const inputId = useId();
  const listId = useId();
  const trpc = useTRPC();

  // Back/forward or a link changed the query: show it in the box.
  useEffect(() => {
    if (urlQ !== lastSent.current) {
      lastSent.current = urlQ;
      setText(urlQ);
    }
  }, [urlQ]);

  const typed = text.trim();
  const debounced = useDebounced(typed, 200);
  const suggest = useQuery(
    trpc.catalog.suggest.queryOptions(
      { q: debounced, limit: 8 },
      { enabled: open && debounced.length > 0, placeholderData: keepPreviousData, staleTime: 60_000, trpc: { abortOnUnmount: true } },
    ),
  );
  const suggestions: Suggestion[] = open && typed.length > 0 ? (suggest.data?.suggestions ?? []) : [];
  const expanded = suggestions.length > 0;

  // Instant results while typing on the search page.
  useEffect(() => {
    if (!onSearchPage || debounced === lastSent.current) return;
    lastSent.current = debounced;
    const current = parseSearchState(new URLSearchParams(window.location.search));
    navigateSearch({ ...current, q: debounced }, 'replace');
  }, [debounced, onSearchPage]);

  const goTo = (next: SearchState) => {
    lastSent.current = next.q;
    if (onSearchPage) navigateSearch(next, 'push');
    else router.push(`/search${searchQueryString(next)}`);
  };
  const baseState = (): SearchState =>
    onSearchPage
      ? parseSearchState(new URLSearchParams(window.location.search))
      : parseSearchState(new URLSearchParams());

  const choose = (s: Suggestion) => {
    setOpen(false);
    setActive(-1);
    const base = baseState();
    if (s.kind === 'query') {
      setText(s.value);
      goTo({ ...base, q: s.value });
    } else if (s.kind === 'category') {
      setText('');
      goTo({ ...parseSearchState(new URLSearchParams()), category: s.value });
    } else {
      setText('');
      goTo({ ...parseSearchState(new URLSearchParams()), brands: [s.value] });
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const picked = active >= 0 ? suggestions[active] : undefined;
    if (picked) return choose(picked);
    setOpen(false);
    // Already showing this query (typing updated the URL): no duplicate history entry.
    if (onSearchPage && typed === (new URLSearchParams(window.location.search).get('q') ?? '')) return;
    goTo({ ...baseState(), q: typed });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      if (suggestions.length) setActive((i) => (i + 1) % suggestions.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (suggestions.length) setActive((i) => (i <= 0 ? suggestions.length - 1 : i - 1));
    } else if (e.key === 'Escape') {
      if (expanded) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (text) {
        setText('');
      }
    }
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: a form with role=search is the landmark every AT knows
    <form role="search" className="search-box" onSubmit={submit} action="/search" aria-label="Products">
      <label htmlFor={inputId} className="visually-hidden">
        Search products
      </label>
      <input
        id={inputId}
        name="q"
        type="search"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        placeholder="Search products, brands, categories…"
        value={text}
        maxLength={200}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
      />
      <div id={listId} role="listbox" aria-label="Suggestions" className="suggestions" hidden={!expanded}>
        {suggestions.map((s, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard selection happens on the combobox input (aria-activedescendant)
          <div
            key={`${s.kind}:${s.value}`}
            id={`${listId}-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(s)}
          >
            <span>{s.label}</span>
            <span className="kind">
              {KIND_LABEL[s.kind]} · {s.count.toLocaleString('en-US')}
            </span>
          </div>
        ))}
      </div>
      <button type="submit" className="search-submit">
        Search
      </button>
    </form>
  );
}
