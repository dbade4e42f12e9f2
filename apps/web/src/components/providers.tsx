'use client';
import type { AppRouter } from '@triport/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import { type ReactNode, useState } from 'react';
import { CartProvider } from '@/lib/cart';
import { type Me, MeContext } from '@/lib/me-context';
import { rateLimitAwareFetch } from '@/lib/rate-limit';
import { TRPCProvider } from '@/lib/trpc';

/** Search-as-you-type calls go unbatched so that aborting a superseded one really cancels its request. */
const UNBATCHED = new Set(['catalog.search', 'catalog.suggest']);

function shouldRetry(failureCount: number, error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  // 4xx (including 429) will not get better by hammering the API again.
  if (status && status < 500) return false;
  return failureCount < 2;
}

export function Providers({ children, me }: { children: ReactNode; me?: Me | undefined }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 30_000, retry: shouldRetry, refetchOnWindowFocus: false },
          mutations: { retry: false },
        },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => UNBATCHED.has(op.path),
          true: httpLink({ url: '/trpc', fetch: rateLimitAwareFetch }),
          false: httpBatchLink({ url: '/trpc', fetch: rateLimitAwareFetch }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <MeContext.Provider value={me}>
          <CartProvider>{children}</CartProvider>
        </MeContext.Provider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
