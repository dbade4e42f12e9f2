'use client';
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useEffect, useId, useState } from 'react';

/** Header search: submits to /search?q=… (the combobox with suggestions arrives with catalog.suggest). */
export function SearchBox() {
  const router = useRouter();
  const params = useSearchParams();
  const [value, setValue] = useState(params.get('q') ?? '');
  const id = useId();
  useEffect(() => setValue(params.get('q') ?? ''), [params]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = value.trim();
    router.push(q ? `/search?q=${encodeURIComponent(q)}` : '/search');
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a form with role=search is the landmark every AT knows
    <form role="search" className="search-box" onSubmit={submit} action="/search">
      <label htmlFor={id} className="visually-hidden">
        Search products
      </label>
      <input id={id} name="q" type="search" placeholder="Search products…" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" />
      <button type="submit">Search</button>
    </form>
  );
}
