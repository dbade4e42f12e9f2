import Link from 'next/link';
import { ProblemNotice } from '@/components/problem-notice';
import { ProductCard } from '@/components/product-card';
import { describeApiError } from '@/lib/api-error';
import { serverApi } from '@/lib/trpc-server';

// Rendered per request: the catalog lives in the API, not in the build.
export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const { api, retryAfter } = await serverApi();
  const [top, tree] = await Promise.allSettled([
    api.catalog.search.query({ sort: 'rating', limit: 8, facets: false }),
    api.catalog.categories.query(),
  ]);
  const departments = tree.status === 'fulfilled' ? tree.value.categories.filter((c) => c.depth === 0) : [];

  return (
    <>
      <section className="hero">
        <h1>Everything you need, found fast.</h1>
        <p>Search thousands of products with typo-tolerant instant results — then see how the same API call looks as tRPC, REST and SOAP.</p>
        <p className="hero-actions">
          <Link className="button primary" href="/search">
            Browse all products
          </Link>
          <Link className="button" href="/compare">
            Compare the APIs
          </Link>
        </p>
      </section>

      {departments.length > 0 && (
        <section aria-labelledby="departments-title">
          <h2 id="departments-title">Shop by department</h2>
          <ul className="department-grid">
            {departments.map((d) => (
              <li key={d.id}>
                <Link href={`/search?category=${encodeURIComponent(d.slug)}`} className="department">
                  <span className="department-name">{d.name}</span>
                  <span className="muted small">{d.productCount.toLocaleString('en-US')} products</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="top-title">
        <h2 id="top-title">Top rated</h2>
        {top.status === 'rejected' ? (
          <ProblemNotice problem={describeApiError(top.reason, retryAfter())} />
        ) : top.value.items.length === 0 ? (
          <p className="notice">
            No products yet. Seed the catalog with <code>npm run seed</code>.
          </p>
        ) : (
          <ul className="product-grid" aria-label="Top rated products">
            {top.value.items.map((p) => (
              <li key={p.id}>
                <ProductCard product={p} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
