import type { AppRouter } from '@triport/core';
import type { inferRouterOutputs } from '@trpc/server';
import { ProductCard } from '@/components/product-card';
import { serverApi } from '@/lib/trpc-server';

type Product = inferRouterOutputs<AppRouter>['catalog']['product'];

// Rendered per request: the catalog lives in the API, not in the build.
export const dynamic = 'force-dynamic';

const FEATURED_IDS = Array.from({ length: 12 }, (_, i) => i + 1);

export default async function HomePage() {
  const { api } = await serverApi();
  // One batched HTTP request for all ids; a missing id is simply not shown.
  const results = await Promise.allSettled(FEATURED_IDS.map((id) => api.catalog.product.query({ id })));
  const products = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])) satisfies Product[];
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !isNotFound(r.reason));

  return (
    <>
      <h1>Featured products</h1>
      {failed && products.length === 0 ? (
        <p className="notice error" role="alert">
          The catalog is unavailable right now. Please try again in a moment.
        </p>
      ) : products.length === 0 ? (
        <p className="notice">No products yet. Seed the catalog with <code>npm run seed</code>.</p>
      ) : (
        <ul className="product-grid" aria-label="Products">
          {products.map((p) => (
            <li key={p.id}>
              <ProductCard product={p} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'data' in error && (error as { data?: { code?: string } }).data?.code === 'NOT_FOUND';
}
