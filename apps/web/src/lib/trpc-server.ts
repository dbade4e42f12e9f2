import type { AppRouter } from '@triport/core';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { headers } from 'next/headers';
import { apiUrl } from './api-url';

/**
 * A tRPC client for server components: plain HTTP to the API, carrying the shopper's cookie and the
 * request id so the API sees the same principal and the logs join up.
 *
 * @example
 * const api = await serverApi();
 * const product = await api.catalog.product.query({ id: 1 });
 */
export async function serverApi() {
  const incoming = await headers();
  const forwarded: Record<string, string> = {};
  const cookie = incoming.get('cookie');
  if (cookie) forwarded.cookie = cookie;
  const requestId = incoming.get('x-request-id');
  if (requestId) forwarded['x-request-id'] = requestId;
  const userAgent = incoming.get('user-agent');
  if (userAgent) forwarded['user-agent'] = userAgent;
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${apiUrl()}/trpc`, headers: () => forwarded })],
  });
}
