import type { Auth, Call } from './scenarios.ts';

/**
 * `catalog.product` for one id: tRPC query, `GET /rest/v1/products/{id}`, SOAP `GetProduct`.
 *
 * @example
 * productCall(1, 'SKU-1');
 */
export function productCall(id: number, sku: string): Call {
  return {
    procedure: 'catalog.product',
    kind: 'query',
    input: () => ({ id }),
    rest: () => ({ method: 'GET', path: `/rest/v1/products/${id}` }),
    soapOperation: 'GetProduct',
    expectBody: (body) => body.includes(sku),
  };
}

/**
 * `orders.create` with one line per request, cycling over `productIds` (spreads row locks the way real
 * carts do) and a unique idempotency key per request (`[<id>]`, filled by autocannon): tRPC mutation,
 * `POST /rest/v1/orders` with `Idempotency-Key`, SOAP `CreateOrder`.
 */
export function createOrderCall(productIds: readonly number[]): Call {
  const line = (n: number) => ({ productId: productIds[n % productIds.length]!, quantity: 1 });
  return {
    procedure: 'orders.create',
    kind: 'mutation',
    input: (n) => ({ lines: [line(n)], idempotencyKey: '[<id>]' }),
    rest: (input) => ({
      method: 'POST',
      path: '/rest/v1/orders',
      headers: { 'Idempotency-Key': String(input.idempotencyKey) },
      body: JSON.stringify({ lines: input.lines }),
    }),
    soapOperation: 'CreateOrder',
    expectBody: (body) => body.includes('placed'),
  };
}

/**
 * `catalog.search` with a text query: the same words every time (cached) or a different page of
 * filters per request (uncached: each request is a distinct cache key, so each one reaches Postgres).
 */
export function searchCall(varying: boolean): Call {
  // Words of the seeded catalog (the same vocabulary as bench/src/search/query-mix.ts). Keys follow the
  // input schema's order, which SOAP requires.
  const words = ['laptop', 'headphones', 'espresso', 'running shoes', 'yoga mat', 'keyboard', 'coffee', 'jacket', 'monitor', 'tent'];
  const input = (n: number): Record<string, unknown> =>
    varying ? { q: words[n % words.length], minPrice: n % 5000, limit: 24 } : { q: 'wireless headphones', limit: 24 };
  return {
    procedure: 'catalog.search',
    kind: 'query',
    input,
    rest: (i) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(i)) params.set(k, String(v));
      return { method: 'GET', path: `/rest/v1/products?${params.toString()}` };
    },
    soapOperation: 'SearchProducts',
    expectBody: (body) => body.includes('items') && body.includes('nextCursor'),
  };
}

/** Credentials of the seeded premium API key in every style's own place. */
export function apiKeyAuth(key: string): Auth {
  return { httpHeaders: { Authorization: `Bearer ${key}` }, soapHeader: `<t:ApiKey>${key}</t:ApiKey>` };
}
