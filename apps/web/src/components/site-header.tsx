import Link from 'next/link';
import { Suspense } from 'react';
import { AccountLink } from './account-link';
import { CartLink } from './cart-link';
import { SearchBox } from './search-box';

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link className="brand" href="/">
          <span aria-hidden="true" className="brand-mark">
            ◆
          </span>
          Triport
        </Link>
        {/* useSearchParams needs a boundary so static pages can still prerender */}
        <Suspense fallback={<div className="search-box" />}>
          <SearchBox />
        </Suspense>
        <nav aria-label="Main" className="main-nav">
          <Link href="/compare">Compare APIs</Link>
          <AccountLink />
          <CartLink />
        </nav>
      </div>
    </header>
  );
}
