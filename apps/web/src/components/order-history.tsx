'use client';
import type { AppRouter } from '@triport/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { describeApiError } from '@/lib/api-error';
import { formatPrice } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { formatOrderDate } from './order-summary';
import { ProblemNotice } from './problem-notice';

type OrderPage = inferRouterOutputs<AppRouter>['orders']['list'];

/** Order history, newest first; the first page comes server-rendered, "Load more" follows the cursor. */
export function OrderHistory({ first, pageSize }: { first: OrderPage; pageSize: number }) {
  const trpc = useTRPC();
  const pages = useInfiniteQuery(
    trpc.orders.list.infiniteQueryOptions(
      { limit: pageSize },
      {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
        initialData: { pages: [first], pageParams: [null] },
        staleTime: 0,
      },
    ),
  );
  const orders = pages.data?.pages.flatMap((p) => p.orders) ?? [];
  if (orders.length === 0) {
    return (
      <div className="empty-state">
        <p>No orders yet.</p>
        <Link className="button primary" href="/search">
          Start shopping
        </Link>
      </div>
    );
  }
  return (
    <>
      <ul className="order-list" aria-label="Orders">
        {orders.map((o) => (
          <li key={o.id} className="order-row" data-testid="order-row">
            <div>
              <Link href={`/orders/${o.id}`} className="order-link">
                Order {o.id.slice(0, 8)}
              </Link>
              <p className="muted small">
                {formatOrderDate(o.createdAt)} UTC · {o.lines.length} item{o.lines.length === 1 ? '' : 's'}:{' '}
                {o.lines
                  .slice(0, 3)
                  .map((l) => l.name)
                  .join(', ')}
                {o.lines.length > 3 ? '…' : ''}
              </p>
            </div>
            <span className={`status status-${o.status}`}>{o.status}</span>
            <strong>{formatPrice(o.totalCents, o.currency)}</strong>
          </li>
        ))}
      </ul>
      {pages.error && <ProblemNotice problem={describeApiError(pages.error)} />}
      {pages.hasNextPage && (
        <button type="button" className="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          {pages.isFetchingNextPage ? 'Loading…' : 'Load more orders'}
        </button>
      )}
    </>
  );
}
