import { randomUUID } from 'node:crypto';
import { type APIRequestContext, type APIResponse, expect, test } from '@playwright/test';
import { apiUrl } from './helpers';

/**
 * The three API styles of the API server this suite starts (support/api-server.ts, seeded PGlite),
 * called the way third-party clients call them: tRPC's batch wire format, REST with conditional
 * requests and Link pagination, SOAP 1.1 and 1.2 envelopes; plus the docs page in Chromium, the
 * metrics, and the request id end to end. Every test reads only what it made or fixed seed data.
 */

const NS = 'urn:triport:soap:v1';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

/** A caller-chosen request id the gateway accepts (8–128 of `[A-Za-z0-9._:-]`). */
function requestId(tag: string): string {
  return `e2e-apis-${tag}-${randomUUID()}`;
}

function soapRequest(request: APIRequestContext, version: '1.1' | '1.2', operation: string, body: string, headers: Record<string, string> = {}) {
  const action = `${NS}#${operation}`;
  const envelope =
    `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${version === '1.1' ? SOAP11 : SOAP12}" xmlns:t="${NS}">` +
    `<env:Body>${body}</env:Body></env:Envelope>`;
  return request.post(`${apiUrl}/soap`, {
    headers: {
      ...(version === '1.1'
        ? { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` }
        : { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` }),
      ...headers,
    },
    data: envelope,
  });
}

/** Text of the first element with this local name (any prefix). */
function xmlText(xml: string, localName: string): string | undefined {
  return new RegExp(`<(?:[\\w-]+:)?${localName}(?:\\s[^>]*)?>([^<]*)</(?:[\\w-]+:)?${localName}>`).exec(xml)?.[1];
}

/** Sum of `triport_requests_total` samples with exactly these label values. */
function requestCount(metrics: string, style: string, procedure: string, outcome: string): number {
  const line = `triport_requests_total{style="${style}",procedure="${procedure}",outcome="${outcome}"} `;
  const found = metrics.split('\n').find((l) => l.startsWith(line));
  return found ? Number(found.slice(line.length)) : 0;
}

test.describe('tRPC', () => {
  test('GET with ?batch=1&input= answers each call in order, errors inline with the request id', async ({ request }) => {
    const id = requestId('trpc');
    const input = { 0: { id: 1 }, 1: { q: 'wireless', limit: 2, facets: false }, 2: { id: 2_147_483_647 } };
    const res = await request.get(
      `${apiUrl}/trpc/catalog.product,catalog.search,catalog.product?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`,
      { headers: { 'x-request-id': id } },
    );
    // One call failed: tRPC answers a mixed batch with 207 Multi-Status.
    expect(res.status()).toBe(207);
    expect(res.headers()['x-request-id']).toBe(id);
    const [product, search, missing] = (await res.json()) as [
      { result: { data: { id: number; name: string } } },
      { result: { data: { items: { id: number }[] } } },
      { error: { data: { code: string; httpStatus: number; requestId: string } } },
    ];
    expect(product.result.data.id).toBe(1);
    expect(search.result.data.items).toHaveLength(2);
    expect(missing.error.data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, requestId: id });
  });
});

test.describe('REST', () => {
  test('ETag + If-None-Match → 304 without a body; a changed tag gets the full body', async ({ request }) => {
    const first = await request.get(`${apiUrl}/rest/v1/products/1`);
    expect(first.status()).toBe(200);
    const etag = first.headers().etag;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers()['cache-control']).toBe('public, max-age=30');

    const again = await request.get(`${apiUrl}/rest/v1/products/1`, { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status()).toBe(304);
    expect(again.headers().etag).toBe(etag);
    expect((await again.body()).length).toBe(0);

    const weakList = await request.get(`${apiUrl}/rest/v1/products/1`, { headers: { 'if-none-match': `"other", W/${etag}` } });
    expect(weakList.status()).toBe(304);
    const stale = await request.get(`${apiUrl}/rest/v1/products/1`, { headers: { 'if-none-match': '"not-the-tag"' } });
    expect(stale.status()).toBe(200);
    expect(((await stale.json()) as { id: number }).id).toBe(1);
  });

  test('Link rel="next" walks the pages of a search like the tRPC cursor does', async ({ request }) => {
    const seen: number[] = [];
    let url: string | undefined = `${apiUrl}/rest/v1/products?sort=price_asc&limit=5&facets=false&category=electronics`;
    for (let page = 0; page < 3 && url; page++) {
      const res: APIResponse = await request.get(url);
      expect(res.status(), url).toBe(200);
      const body = (await res.json()) as { items: { id: number; priceCents: number }[]; nextCursor: string | null };
      seen.push(...body.items.map((i) => i.id));
      const link: string | undefined = res.headers().link;
      if (body.nextCursor === null) {
        expect(link).toBeUndefined();
        url = undefined;
      } else {
        const target: string | undefined = /^<([^>]+)>; rel="next"$/.exec(link ?? '')?.[1];
        expect(target, `Link: ${link}`).toBeDefined();
        expect(new URL(target ?? '', apiUrl).searchParams.get('cursor')).toBe(body.nextCursor);
        url = new URL(target ?? '', apiUrl).toString();
      }
    }
    // The same 15 rows, in the same order, as one tRPC page of 15.
    const reference = await request.get(
      `${apiUrl}/trpc/catalog.search?input=${encodeURIComponent(JSON.stringify({ category: 'electronics', sort: 'price_asc', limit: 15, facets: false }))}`,
    );
    const expected = ((await reference.json()) as { result: { data: { items: { id: number }[] } } }).result.data.items.map((i) => i.id);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

test.describe('SOAP', () => {
  for (const version of ['1.1', '1.2'] as const) {
    test(`SOAP ${version}: GetProduct and SearchProducts envelopes`, async ({ request }) => {
      const product = await soapRequest(request, version, 'GetProduct', '<t:GetProduct><t:id>1</t:id></t:GetProduct>');
      expect(product.status()).toBe(200);
      expect(product.headers()['content-type']).toBe(version === '1.1' ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8');
      const xml = await product.text();
      expect(xml).toContain(`xmlns:${version === '1.1' ? 'soap' : 'env'}="${version === '1.1' ? SOAP11 : SOAP12}"`);
      expect(xml).toMatch(/<tns:GetProductResponse>/);
      expect(xmlText(xml, 'id')).toBe('1');

      const rest = (await (await request.get(`${apiUrl}/rest/v1/products/1`)).json()) as { sku: string; priceCents: number };
      expect(xmlText(xml, 'sku')).toBe(rest.sku);
      expect(xmlText(xml, 'priceCents')).toBe(String(rest.priceCents));

      const search = await soapRequest(request, version, 'SearchProducts', '<t:SearchProducts><t:q>wireless</t:q><t:limit>3</t:limit><t:facets>false</t:facets></t:SearchProducts>');
      expect(search.status()).toBe(200);
      expect((await search.text()).match(/<tns:items>/g)).toHaveLength(3);
    });
  }

  test('faults: SOAP 1.1 Client + HTTP 500, SOAP 1.2 Sender/Subcode + HTTP 404, both with the request id', async ({ request }) => {
    const body = '<t:GetProduct><t:id>2147483647</t:id></t:GetProduct>';
    const id11 = requestId('soap11');
    const v11 = await soapRequest(request, '1.1', 'GetProduct', body, { 'x-request-id': id11 });
    expect(v11.status()).toBe(500);
    const fault11 = await v11.text();
    expect(xmlText(fault11, 'faultcode')).toBe('soap:Client');
    expect(xmlText(fault11, 'code')).toBe('NOT_FOUND');
    expect(xmlText(fault11, 'requestId')).toBe(id11);
    expect(v11.headers()['x-request-id']).toBe(id11);

    const id12 = requestId('soap12');
    const v12 = await soapRequest(request, '1.2', 'GetProduct', body, { 'x-request-id': id12 });
    expect(v12.status()).toBe(404);
    const fault12 = await v12.text();
    expect(fault12).toMatch(/<env:Code><env:Value>env:Sender<\/env:Value><env:Subcode><env:Value>tns:NOT_FOUND<\/env:Value>/);
    expect(xmlText(fault12, 'requestId')).toBe(id12);

    // A SOAPAction that names another operation than the body is refused, never dispatched.
    const mismatch = await soapRequest(request, '1.1', 'SearchProducts', '<t:GetProduct><t:id>1</t:id></t:GetProduct>');
    expect(mismatch.status()).toBe(500);
    expect(xmlText(await mismatch.text(), 'faultcode')).toBe('soap:Client');
  });
});

test('/rest/docs renders every operation in Chromium under its CSP, and Try it out works', async ({ page, request }) => {
  // Chromium start + the 1.5 MB Swagger UI bundle: ~8 s idle, ~20 s while the storefront builds on 2 cores.
  test.setTimeout(60_000);
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Content Security Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));

  const document = (await (await request.get(`${apiUrl}/rest/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { tags?: string[] }>>;
  };
  // Swagger UI lists an operation once under each of its tags.
  const operations = Object.values(document.paths)
    .flatMap((item) => Object.values(item))
    .reduce((n, op) => n + Math.max(1, op.tags?.length ?? 0), 0);
  expect(operations).toBeGreaterThan(10);

  const response = await page.goto(`${apiUrl}/rest/docs`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.locator('.opblock')).toHaveCount(operations);
  await expect(page.getByText('Triport REST API', { exact: false }).first()).toBeVisible();

  // One real call from the page (connect-src 'self' must allow it).
  const getProduct = page.locator('.opblock-get').filter({ has: page.locator('[data-path="/rest/v1/products/{id}"]') });
  await getProduct.locator('.opblock-summary').click();
  await getProduct.getByRole('button', { name: 'Try it out' }).click();
  await getProduct.locator('input[placeholder="id"]').fill('1');
  await getProduct.getByRole('button', { name: 'Execute' }).click();
  await expect(getProduct.locator('.live-responses-table tr.response .response-col_status')).toHaveText('200');

  expect(problems).toEqual([]);
});

test('/metrics counts requests by style, procedure and outcome', async ({ request }) => {
  const before = await (await request.get(`${apiUrl}/metrics`)).text();
  const calls = 2;
  for (let i = 0; i < calls; i++) {
    expect((await request.get(`${apiUrl}/trpc/catalog.product?input=${encodeURIComponent('{"id":1}')}`)).status()).toBe(200);
    expect((await request.get(`${apiUrl}/rest/v1/products/2147483647`)).status()).toBe(404);
    expect((await soapRequest(request, '1.2', 'GetProduct', '<t:GetProduct><t:id>1</t:id></t:GetProduct>')).status()).toBe(200);
  }
  const res = await request.get(`${apiUrl}/metrics`);
  expect(res.headers()['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const after = await res.text();
  expect(after).toContain('# TYPE triport_requests_total counter');
  // Other tests share this server: counters only grow, so this test's calls are a lower bound.
  for (const [style, outcome] of [
    ['trpc', 'ok'],
    ['rest', 'NOT_FOUND'],
    ['soap', 'ok'],
  ] as const) {
    const grew = requestCount(after, style, 'catalog.product', outcome) - requestCount(before, style, 'catalog.product', outcome);
    expect(grew, `${style} catalog.product ${outcome}`).toBeGreaterThanOrEqual(calls);
  }
  expect(after).toMatch(/triport_request_duration_seconds_bucket\{le="[^"]+",style="soap",procedure="catalog.product",outcome="ok"\}/);
});

test('X-Request-Id: a sane id is echoed and lands in every style’s error body; anything else is replaced', async ({ request }) => {
  const id = requestId('echo');
  const rest = await request.get(`${apiUrl}/rest/v1/products/2147483647`, { headers: { 'x-request-id': id } });
  expect(rest.headers()['x-request-id']).toBe(id);
  expect(rest.headers()['content-type']).toMatch(/^application\/problem\+json/);
  expect(await rest.json()).toMatchObject({ status: 404, requestId: id });

  const invalid = await request.get(`${apiUrl}/rest/v1/products?limit=0`, { headers: { 'x-request-id': id } });
  expect(invalid.status()).toBe(422);
  expect(await invalid.json()).toMatchObject({ requestId: id, errors: [{ pointer: '/limit', in: 'query' }] });

  const trpc = await request.get(`${apiUrl}/trpc/catalog.product?input=${encodeURIComponent('{"id":0}')}`, { headers: { 'x-request-id': id } });
  expect(trpc.status()).toBe(400);
  expect(trpc.headers()['x-request-id']).toBe(id);
  expect(((await trpc.json()) as { error: { data: { requestId: string } } }).error.data.requestId).toBe(id);

  const soap = await soapRequest(request, '1.1', 'GetProduct', '<t:GetProduct><t:id>0</t:id></t:GetProduct>', { 'x-request-id': id });
  expect(xmlText(await soap.text(), 'requestId')).toBe(id);

  const unknownRoute = await request.get(`${apiUrl}/nowhere`, { headers: { 'x-request-id': id } });
  expect(unknownRoute.status()).toBe(404);
  expect(await unknownRoute.json()).toMatchObject({ error: { requestId: id } });

  // Too short, or with characters that could forge log lines: the gateway makes its own id.
  for (const bad of ['short', 'has space in it', 'x'.repeat(200)]) {
    const res = await request.get(`${apiUrl}/rest/v1/products/2147483647`, { headers: { 'x-request-id': bad } });
    const made = res.headers()['x-request-id'];
    expect(made).not.toBe(bad);
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as { requestId: string }).requestId).toBe(made);
  }
});
