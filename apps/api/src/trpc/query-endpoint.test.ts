import type { AppRouter } from '@triport/core';
import { seedDatabase } from '@triport/db';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, type TestInstance } from '../internal/testing/harness.ts';
import { request } from '../internal/testing/http.ts';

/** Request ids differ between two calls; everything else must be identical. */
function withoutRequestIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRequestIds);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => key !== 'requestId')
        .map(([key, v]) => [key, withoutRequestIds(v)]),
    );
  }
  return value;
}

const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));

describe('/trpc GET queries: the direct endpoint answers exactly like tRPC’s own handler', () => {
  let db: TestDb;
  let lean: TestInstance;
  let stock: TestInstance;

  beforeAll(async () => {
    db = await createTestPostgres();
    await seedDatabase(db.db, { products: 200, seed: 3 });
    lean = await startInstance(db);
    stock = await startInstance(db, { TRPC_HANDLER: 'stock' });
  });
  afterAll(async () => {
    await lean?.close();
    await stock?.close();
    await db?.dispose();
  });

  // [name, path, served by the direct endpoint]
  const cases: Array<[string, string, boolean]> = [
    ['a product', `/trpc/catalog.product?input=${q({ id: 1 })}`, true],
    ['a missing product (404)', `/trpc/catalog.product?input=${q({ id: 999_999 })}`, true],
    ['invalid input (400 with issues)', `/trpc/catalog.product?input=${q({ id: -1 })}`, true],
    ['a search', `/trpc/catalog.search?input=${q({ q: 'laptop', limit: 2 })}`, true],
    ['no input where none is needed', '/trpc/catalog.categories', true],
    ['a batch', `/trpc/catalog.product,catalog.categories?batch=1&input=${q({ 0: { id: 2 } })}`, true],
    ['a batch with one failure (207)', `/trpc/catalog.product,catalog.product?batch=1&input=${q({ 0: { id: 3 }, 1: { id: 999_999 } })}`, true],
    ['a batch failing alike (404)', `/trpc/catalog.product,catalog.product?batch=1&input=${q({ 0: { id: 999_998 }, 1: { id: 999_999 } })}`, true],
    ['an authenticated query, anonymously (401)', '/trpc/orders.list', true],
    // The direct endpoint declines these; the stock handler answers both instances alike.
    ['an unknown procedure', `/trpc/catalog.nope?input=${q({})}`, false],
    ['a prototype key as path', '/trpc/__proto__', false],
    ['malformed JSON input', '/trpc/catalog.product?input=%7Bbad', false],
    ['a mutation over GET', `/trpc/orders.create?input=${q({ lines: [] })}`, false],
    ['a batch input that is not an object', `/trpc/catalog.product?batch=1&input=${q([{ id: 1 }])}`, false],
    ['a batch over the size limit', `/trpc/${Array.from({ length: 21 }, () => 'catalog.categories').join(',')}?batch=1`, false],
  ];

  it.each(cases)('%s', async (_name, path, direct) => {
    const [a, b] = await Promise.all([request(`${lean.url}${path}`), request(`${stock.url}${path}`)]);
    expect(a.status).toBe(b.status);
    expect(a.headers.get('content-type')).toBe(b.headers.get('content-type'));
    expect(a.headers.get('vary')).toBe(b.headers.get('vary'));
    expect(a.headers.get('ratelimit-policy')).toBe(b.headers.get('ratelimit-policy'));
    expect(withoutRequestIds(a.json())).toEqual(withoutRequestIds(b.json()));
    // Errors of calls carry the request id (the stock handler's request-level errors come before a context).
    const body = JSON.stringify(a.json());
    if (direct && body.includes('"error"')) expect(body).toContain(a.headers.get('x-request-id')!);
  });

  it('takes the hot path itself (one log line, a Content-Length) and declines what it does not handle', async () => {
    const ok = await request(`${lean.url}/trpc/catalog.product?input=${q({ id: 1 })}`);
    expect(ok.headers.get('content-length')).toBe(String(Buffer.byteLength(ok.body)));
    const stockReply = await request(`${stock.url}/trpc/catalog.product?input=${q({ id: 1 })}`);
    expect(stockReply.headers.get('content-length')).toBeNull(); // the stock handler streams its body
    const line = lean.logs.find((l) => l.requestId === ok.headers.get('x-request-id'));
    expect(line).toMatchObject({ style: 'trpc', procedure: 'catalog.product', status: 200, outcome: 'ok' });
  });

  it('serves @trpc/client (httpBatchLink) queries and leaves mutations to the stock handler', async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${lean.url}/trpc` })] });
    const [product, categories] = await Promise.all([client.catalog.product.query({ id: 5 }), client.catalog.categories.query()]);
    expect(product.id).toBe(5);
    expect(categories.categories.length).toBeGreaterThan(0);
    const missing = await client.catalog.product.query({ id: 999_999 }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(TRPCClientError);
    expect((missing as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
    const login = await client.auth.login.mutate({ email: 'nobody@example.com', password: 'wrong-password-123' }).catch((e: unknown) => e);
    expect((login as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED');
  });
});
