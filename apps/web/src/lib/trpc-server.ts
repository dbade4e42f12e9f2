import type { AppRouter } from '@triport/core';
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';
import { cache } from 'react';
import { apiUrl } from './api-url';
import { parseRetryAfter } from './rate-limit';

export interface ServerApi {
  api: TRPCClient<AppRouter>;
  /** `Retry-After` (seconds) of the last 429 this client received, for the friendly rate-limit notice. */
  retryAfter(): number | null;
}

/**
 * A tRPC client for server components: plain HTTP to the API, carrying the shopper's cookie and the
 * request id so the API sees the same principal and the logs join up. Memoized per request (React
 * `cache`): the layout and the page share one client, so their calls can share one batch.
 *
 * @example
 * const { api } = await serverApi();
 * const product = await api.catalog.product.query({ id: 1 });
 */
export const serverApi = cache(async (): Promise<ServerApi> => {
  const incoming = await headers();
  const forwarded: Record<string, string> = {};
  // One id for every API call of this page render (layout, metadata, page), so the API's log lines join up.
  forwarded['x-request-id'] = `web-${randomUUID()}`;
  // x-forwarded-for: the API limits anonymous shoppers per address and trusts it from a loopback proxy.
  // server.ts has already replaced whatever the client sent with one address, the shopper's.
  for (const name of ['cookie', 'x-request-id', 'user-agent', 'x-forwarded-for']) {
    const value = incoming.get(name);
    if (value) forwarded[name] = value;
  }
  let retryAfter: number | null = null;
  const api = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${apiUrl()}/trpc`,
        headers: () => forwarded,
        fetch: async (input, init) => {
          const res = await fetch(input, { ...init, cache: 'no-store' });
          if (res.status === 429) retryAfter = parseRetryAfter(res.headers.get('retry-after')) ?? 1;
          return res;
        },
      }),
    ],
  });
  return { api, retryAfter: () => retryAfter };
});
