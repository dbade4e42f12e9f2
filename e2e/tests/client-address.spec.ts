import { randomInt } from 'node:crypto';
import { type APIRequestContext, type APIResponse, expect, test } from '@playwright/test';
import { apiUrl, trpcQuery } from './helpers';

/**
 * The API limits anonymous shoppers per client address and, behind the storefront, takes that address
 * from the last X-Forwarded-For entry (TRUST_PROXY=loopback, as `npm start` runs it). A shopper who
 * sends their own X-Forwarded-For must not get a bucket of their choosing, neither through the /trpc
 * rewrite nor through the API calls of a server-rendered page.
 *
 * Buckets are compared through the API's `RateLimit` field (`"anonymous";r=<remaining>;t=<s>`): a
 * bucket nobody has used answers its first call with the same `r` as any other unused bucket.
 */

/**
 * An address no other test uses: a random /64 (the API's bucket for IPv6) of the documentation
 * prefix 2001:db8::/32 (RFC 3849).
 */
function freshAddress(): string {
  const group = () => randomInt(0, 0x10000).toString(16);
  return `2001:db8:${group()}:${group()}::1`;
}

function remaining(res: APIResponse): number {
  const field = res.headers().ratelimit ?? '';
  const match = /^"anonymous";r=(\d+);/.exec(field);
  expect(match, `an anonymous RateLimit field, got "${field}"`).not.toBeNull();
  return Number(match?.[1]);
}

/** One anonymous call straight to the API, as a proxy on this host reporting `address` as the client. */
async function remainingFor(request: APIRequestContext, address: string): Promise<number> {
  const res = await request.get(`${apiUrl}/trpc/catalog.categories`, { headers: { 'x-forwarded-for': address } });
  expect(res.ok()).toBe(true);
  return remaining(res);
}

/** What an unused bucket answers to its first call (two of them must agree). */
async function unusedBucketRemaining(request: APIRequestContext): Promise<number> {
  const a = await remainingFor(request, freshAddress());
  const b = await remainingFor(request, freshAddress());
  expect(a, 'unused buckets answer alike: the e2e API must run with TRUST_PROXY=loopback (support/api-server.ts)').toBe(b);
  return a;
}

/** Text as React renders it into HTML. */
function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#x27;');
}

test.describe('client address behind the storefront', () => {
  test('a forged X-Forwarded-For on /trpc lands in the shopper’s own bucket', async ({ playwright, request, baseURL }) => {
    const fresh = await unusedBucketRemaining(request);
    // A fresh context: no session cookie, so the API keys this shopper by address.
    const shopper = await playwright.request.newContext({ baseURL });
    const forged = freshAddress();
    const call = (headers: Record<string, string> = {}) => shopper.get('/trpc/catalog.categories', { headers });

    // Without the header: the shopper's real bucket (127.0.0.1 here), spent a few times.
    for (let i = 0; i < 3; i++) expect((await call()).ok()).toBe(true);
    const withForgery = await call({ 'x-forwarded-for': forged, 'x-forwarded-proto': 'https' });
    expect(withForgery.ok()).toBe(true);
    expect(remaining(withForgery), 'charged to the shopper’s own bucket (already in use), not a fresh one').toBeLessThan(fresh);
    // ...and the forged address's bucket was never touched.
    expect(await remainingFor(request, forged), 'the forged address’s bucket stays unused').toBe(fresh);
    await shopper.dispose();
  });

  test('a forged X-Forwarded-For on a server-rendered page never reaches the API', async ({ playwright, request, baseURL }) => {
    const fresh = await unusedBucketRemaining(request);
    const id = randomInt(1, 500);
    const product = await trpcQuery<{ name: string }>(request, 'catalog.product', { id });
    const forged = freshAddress();

    const shopper = await playwright.request.newContext({ baseURL });
    const page = await shopper.get(`/product/${id}`, { headers: { 'x-forwarded-for': forged } });
    expect(page.status()).toBe(200);
    // The product's name is not in the URL: the server rendered it from API calls made for this request.
    expect(await page.text()).toContain(escapeHtml(product.name));
    expect(await remainingFor(request, forged), 'the page’s API calls leave the forged address’s bucket unused').toBe(fresh);
    await shopper.dispose();
  });
});
