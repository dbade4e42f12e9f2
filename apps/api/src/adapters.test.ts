import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCredentials, seedDatabase } from '@triport/db';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import type { OpenAPI3 } from 'openapi-typescript';
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyElement, extractSchema, hasBinary, type ResponseSample, runTool, validateResponseSamples, validateXml } from './internal/testing/external-tools.ts';
import { startInstance, type TestInstance } from './internal/testing/harness.ts';
import { request } from './internal/testing/http.ts';
import { alignToShape, normalizeInstants } from './internal/testing/parity.ts';
import { buildTypedClient, type TypedClient } from './internal/testing/typed-rest-client.ts';

/**
 * The REAL app's REST and SOAP surfaces, proven with independent tools against one running API
 * (createServices + createApiServer on 127.0.0.1:0, a throwaway Postgres seeded small): the OpenAPI
 * document validates and generates a typed client that compiles and works; the WSDL's schema accepts
 * real responses; node-soap, python3-zeep and PHP's SoapClient call it; and tRPC, REST and SOAP return
 * the same data for the same input. The adapter packages test themselves on toy routers; this file is
 * about the documents and behaviour the app's own procedures produce.
 */

const NS = 'urn:triport:soap:v1';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

let db: TestDb;
let api: TestInstance;
let work: string;
/** The parts of the served document this file reads (the whole object goes to the tools). */
let document: {
  openapi: string;
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;
  components?: { securitySchemes?: Record<string, unknown> };
};
let wsdl: string;
let xsd: string;

beforeAll(async () => {
  db = await createTestPostgres();
  await seedDatabase(db.db, { products: 200, seed: 7 });
  // Memory stores and generous limits: this file is about formats and clients, not quotas.
  api = await startInstance(db, { RATE_LIMIT_ANONYMOUS: '100000/1m', RATE_LIMIT_FREE: '100000/1m', RATE_LIMIT_PREMIUM: '100000/1m' });
  work = await mkdtemp(join(tmpdir(), 'triport-adapters-'));
  document = (await request(`${api.url}/rest/openapi.json`)).json();
  wsdl = (await request(`${api.url}/soap?wsdl`)).body;
  xsd = extractSchema(wsdl);
});
afterAll(async () => {
  await api?.close();
  await db?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Wire helpers
// ---------------------------------------------------------------------------------------------

async function trpcData<T = unknown>(path: string, input: unknown): Promise<T> {
  const r = await request(`${api.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
  expect(r.status, r.body).toBe(200);
  return r.json<{ result: { data: T } }>().result.data;
}

/** The REST query string of an input object (form-explode arrays, as the document says). */
function restQuery(input: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  return params.toString();
}

function soapEnvelope(version: '1.1' | '1.2', body: string, header = ''): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${version === '1.1' ? SOAP11 : SOAP12}" xmlns:t="${NS}">` +
    `${header ? `<env:Header>${header}</env:Header>` : ''}<env:Body>${body}</env:Body></env:Envelope>`
  );
}

function postSoap(version: '1.1' | '1.2', operation: string, body: string, header = '') {
  const action = `${NS}#${operation}`;
  const headers: Record<string, string> =
    version === '1.1'
      ? { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` }
      : { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` };
  return request(`${api.url}/soap`, { method: 'POST', headers, body: soapEnvelope(version, body, header) });
}

type SoapMethod = (args: unknown) => Promise<[unknown, string]>;

function soapMethod(client: soap.Client, operation: string): SoapMethod {
  const method = client[`${operation}Async`] as SoapMethod | undefined;
  if (typeof method !== 'function') throw new Error(`the live WSDL has no ${operation} operation`);
  return (args) => method.call(client, args);
}

/** One node-soap call; the result as node-soap decoded it (typed by the caller for reading). */
async function callSoap<T = unknown>(client: soap.Client, operation: string, args: unknown): Promise<T> {
  const [result] = await soapMethod(client, operation)(args);
  return result as T;
}

// ---------------------------------------------------------------------------------------------
// REST: the real OpenAPI document
// ---------------------------------------------------------------------------------------------

describe('REST: the real /rest/openapi.json', () => {
  it('is an OpenAPI 3.1 document that openapi-spec-validator accepts (and the validator can say no)', async () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    const file = join(work, 'openapi.json');
    await writeFile(file, JSON.stringify(document));
    const valid = await runTool('python3', ['-m', 'openapi_spec_validator', file]);
    expect(valid.code, `${valid.stdout}${valid.stderr}`).toBe(0);
    expect(valid.stdout).toContain('OK');

    // The same document with one broken reference must be refused: the check above can fail.
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const anyOperation = Object.values(broken.paths['/rest/v1/products/{id}'] ?? {})[0];
    if (!anyOperation) throw new Error('no /products/{id} operation in the document');
    anyOperation.responses['404'] = { $ref: '#/components/responses/NoSuchResponse' };
    await writeFile(file, JSON.stringify(broken));
    const invalid = await runTool('python3', ['-m', 'openapi_spec_validator', file]);
    expect(invalid.code).not.toBe(0);
  });

  it('declares every operation of the app with both auth schemes', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /rest/v1/products catalog.search',
        'GET /rest/v1/products/{id} catalog.product',
        'POST /rest/v1/auth/login auth.login',
        'POST /rest/v1/orders orders.create',
        'GET /rest/v1/orders orders.list',
        'GET /rest/v1/orders/{id} orders.get',
      ]),
    );
    expect(Object.keys(document.components?.securitySchemes ?? {}).sort()).toEqual(['bearerAuth', 'cookieAuth']);
  });

  /**
   * Every status the live API answered here must be a declared response of its operation, with the
   * declared media type: a generated client has no type for anything else. (401 is declared on every
   * route because sent credentials are checked everywhere; orders.create declares its 404 in meta.)
   */
  it('documents every status the live API answers', async () => {
    const key = { authorization: `Bearer ${demoCredentials.freeApiKey}` };
    const json = { 'content-type': 'application/json' };
    const probes: Array<{ op: [string, string]; init?: RequestInit; url: string }> = [
      { op: ['get', '/rest/v1/products/{id}'], url: '/rest/v1/products/2147483647' },
      { op: ['get', '/rest/v1/products/{id}'], url: '/rest/v1/products/abc' },
      { op: ['get', '/rest/v1/products'], url: '/rest/v1/products?limit=0' },
      { op: ['get', '/rest/v1/products'], url: '/rest/v1/products?nope=1' },
      // A public read with a bad key is refused (401), not served anonymously.
      { op: ['get', '/rest/v1/products/{id}'], url: '/rest/v1/products/1', init: { headers: { authorization: 'Bearer tp_free_nope00000000_x' } } },
      { op: ['get', '/rest/v1/orders'], url: '/rest/v1/orders' },
      { op: ['get', '/rest/v1/orders/{id}'], url: `/rest/v1/orders/${randomUUID()}`, init: { headers: key } },
      { op: ['post', '/rest/v1/orders'], url: '/rest/v1/orders', init: { method: 'POST', headers: { ...key, ...json }, body: '{"lines":[]}' } },
      { op: ['post', '/rest/v1/orders'], url: '/rest/v1/orders', init: { method: 'POST', headers: { ...key, 'content-type': 'text/plain' }, body: 'x' } },
      {
        op: ['post', '/rest/v1/orders'],
        url: '/rest/v1/orders',
        init: { method: 'POST', headers: { ...key, ...json }, body: '{"lines":[{"productId":2147483000,"quantity":1}]}' },
      },
      {
        op: ['post', '/rest/v1/auth/login'],
        url: '/rest/v1/auth/login',
        init: { method: 'POST', headers: json, body: JSON.stringify({ email: demoCredentials.shopper.email, password: 'not-the-password' }) },
      },
    ];
    const undocumented: string[] = [];
    for (const probe of probes) {
      const r = await request(`${api.url}${probe.url}`, probe.init);
      const [method, path] = probe.op;
      const declared = document.paths[path]?.[method]?.responses ?? {};
      expect(r.headers.get('content-type'), `${probe.url} → ${r.status}`).toMatch(/^application\/problem\+json/);
      expect(r.json().requestId).toBe(r.headers.get('x-request-id'));
      if (!(String(r.status) in declared)) undocumented.push(`${method.toUpperCase()} ${path} ${r.status}`);
    }
    expect(undocumented).toEqual([]);
  });

  it('real response bodies match the schemas the document declares (python jsonschema, Draft 2020-12)', async () => {
    const key = { authorization: `Bearer ${demoCredentials.freeApiKey}` };
    const json = { 'content-type': 'application/json' };
    const product = (await request(`${api.url}/rest/v1/products/3`)).json<{ sku: string; slug: string }>();
    const calls: Array<[string, string, string, RequestInit?]> = [
      ['GET', '/rest/v1/products', '/rest/v1/products?q=wireless&limit=5'],
      ['GET', '/rest/v1/products', '/rest/v1/products?q=wireles%20headphnes&sort=price_asc&limit=3'],
      ['GET', '/rest/v1/products', '/rest/v1/products?sort=rating&inStock=true&facets=false&limit=3'],
      ['GET', '/rest/v1/products', '/rest/v1/products?q=zzzqqqxxx'],
      ['GET', '/rest/v1/products/{id}', '/rest/v1/products/3'],
      ['GET', '/rest/v1/products/by-sku/{sku}', `/rest/v1/products/by-sku/${product.sku}`],
      ['GET', '/rest/v1/products/by-slug/{slug}', `/rest/v1/products/by-slug/${product.slug}`],
      ['GET', '/rest/v1/categories', '/rest/v1/categories'],
      ['GET', '/rest/v1/suggestions', '/rest/v1/suggestions?q=wir'],
      ['GET', '/rest/v1/auth/me', '/rest/v1/auth/me'],
      ['GET', '/rest/v1/auth/me', '/rest/v1/auth/me', { headers: key }],
      ['GET', '/rest/v1/account/profile', '/rest/v1/account/profile', { headers: key }],
      ['POST', '/rest/v1/orders', '/rest/v1/orders', { method: 'POST', headers: { ...key, ...json }, body: '{"lines":[{"productId":5,"quantity":1}]}' }],
      ['GET', '/rest/v1/orders', '/rest/v1/orders?limit=2', { headers: key }],
      [
        'POST',
        '/rest/v1/auth/login',
        '/rest/v1/auth/login',
        { method: 'POST', headers: json, body: JSON.stringify({ email: demoCredentials.developer.email, password: demoCredentials.developer.password }) },
      ],
      // Problems: each declared problem response has a schema too.
      ['GET', '/rest/v1/products/{id}', '/rest/v1/products/2147483647'],
      ['GET', '/rest/v1/products', '/rest/v1/products?limit=0'],
      ['GET', '/rest/v1/products', '/rest/v1/products?limit=1&limit=2'],
      ['GET', '/rest/v1/orders', '/rest/v1/orders'],
      ['POST', '/rest/v1/orders', '/rest/v1/orders', { method: 'POST', headers: { ...key, ...json }, body: '{"lines":[{"productId":1,"quantity":1,"price":1}]}' }],
    ];
    const samples: ResponseSample[] = [];
    for (const [method, path, url, init] of calls) {
      const r = await request(`${api.url}${url}`, init);
      samples.push({ method, path, status: r.status, contentType: r.headers.get('content-type') ?? '', body: r.json() });
    }
    // The created order, read back by id.
    const created = samples.find((s) => s.method === 'POST' && s.status === 201)?.body as { id: string } | undefined;
    expect(created?.id).toEqual(expect.any(String));
    const one = await request(`${api.url}/rest/v1/orders/${created?.id}`, { headers: key });
    samples.push({ method: 'GET', path: '/rest/v1/orders/{id}', status: one.status, contentType: one.headers.get('content-type') ?? '', body: one.json() });

    expect(samples.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201, 200, 200, 404, 422, 400, 401, 422, 200]);
    expect(await validateResponseSamples(document, samples)).toEqual([]);
    // The check can fail: a body with a wrong type is reported.
    const wrong = { ...samples[4], body: { ...(samples[4]?.body as object), priceCents: '12.00' } } as ResponseSample;
    expect(await validateResponseSamples(document, [wrong])).toEqual([expect.stringContaining('/priceCents')]);
  });

  it('201 on create carries a Location that names the created resource (orders, API keys)', async () => {
    // Found here: POST /account/api-keys answered 201 without Location.
    const login = await request(`${api.url}/rest/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demoCredentials.developer.email, password: demoCredentials.developer.password }),
    });
    const cookie = login.headers.getSetCookie()[0]?.split(';', 1)[0] ?? '';
    const created = await request(`${api.url}/rest/v1/account/api-keys`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'location probe' }),
    });
    expect(created.status).toBe(201);
    const { id } = created.json<{ id: string }>();
    expect(created.headers.get('location')).toBe(`/rest/v1/account/api-keys/${id}`);
    expect(document.paths['/rest/v1/account/api-keys']?.post?.responses?.['201']).toMatchObject({ headers: { Location: expect.anything() } });
    const revoked = await request(`${api.url}${created.headers.get('location')}`, { method: 'DELETE', headers: { cookie } });
    expect(revoked.status).toBe(204);
  });

  it('a product id is the integer the document says, not anything Number() can read', async () => {
    // Found here: `catalog.product` coerced its id, so /products/0x10 was product 16 and {"id":true} product 1.
    for (const id of ['0x10', '%20%203', '3%20', '0b11', 'Infinity']) {
      const r = await request(`${api.url}/rest/v1/products/${id}`);
      expect(r.status, `/products/${id}`).toBe(422);
      expect(r.json().errors).toEqual([expect.objectContaining({ pointer: '/id', in: 'path', parameter: 'id' })]);
    }
    for (const id of ['"3"', 'true', '[3]']) {
      const r = await request(`${api.url}/trpc/catalog.product?input=${encodeURIComponent(`{"id":${id}}`)}`);
      expect(r.status, `tRPC id ${id}`).toBe(400);
    }
    expect((await request(`${api.url}/rest/v1/products/3`)).status).toBe(200);
  });
});

describe('REST: a typed client generated from the real document (openapi-typescript + openapi-fetch)', () => {
  let client: TypedClient;
  beforeAll(async () => {
    client = await buildTypedClient(document as unknown as OpenAPI3);
  }, 120_000);
  afterAll(() => client?.dispose());

  it('type-checks with tsc and calls the running API: search, product, login, orders, problems', async () => {
    const idempotencyKey = `typed-${randomUUID()}`;
    const report = await client.run({
      baseUrl: api.url,
      email: demoCredentials.shopper.email,
      password: demoCredentials.shopper.password,
      apiKey: demoCredentials.freeApiKey,
      idempotencyKey,
    });
    // The same search through tRPC: the typed client saw the real result, not something else.
    const reference = await trpcData<{ items: { id: number }[]; total: number }>('catalog.search', { q: 'wireless', limit: 3 });
    expect(report.searchIds).toEqual(reference.items.map((i) => i.id));
    expect(report.searchTotal).toBe(reference.total);
    expect(report.searchLink).toMatch(/^<\/rest\/v1\/products\?.*cursor=[^&>]+>; rel="next"$/);
    expect(report.productId).toBe(reference.items[0]?.id);
    expect(report.productEtag).toMatch(/^"[^"]+"$/);
    expect(report.notModifiedStatus).toBe(304);
    expect(report.cookieName).toBe('tp_session');
    expect(report.meKind).toBe('user');

    expect(report.createdStatus).toBe(201);
    expect(report.createdLocation).toBe(`/rest/v1/orders/${report.createdId}`);
    expect(report.replayStatus).toBe(201);
    expect(report.replayHeader).toBe('true');
    expect(report.replayId).toBe(report.createdId);
    // One order for two POSTs: the replay did not place a second one.
    expect(report.listedIds.filter((id) => id === report.createdId)).toHaveLength(1);
    expect(report.cookieListedIds).toContain(report.createdId);
    expect(report.fetchedStatus).toBe(200);

    expect(report).toMatchObject({
      missingStatus: 404,
      missingType: 'https://triport.dev/problems/not-found',
      missingRequestIdMatches: true,
      invalidStatus: 422,
      invalidType: 'https://triport.dev/problems/validation',
      invalidPointers: ['/lines/0/quantity'],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// SOAP: the real WSDL
// ---------------------------------------------------------------------------------------------

describe('SOAP: xmllint with the XSD of the real WSDL', () => {
  it('accepts real responses (GetProduct, SearchProducts, categories, suggestions, Me, ListOrders) in SOAP 1.1 and 1.2, and a fault detail', async () => {
    expect((await runTool('xmllint', ['--version'])).code).toBe(0);
    const bodies = [
      ['GetProduct', '<t:GetProduct><t:id>3</t:id></t:GetProduct>'],
      ['SearchProducts', '<t:SearchProducts><t:q>wireless</t:q><t:limit>5</t:limit></t:SearchProducts>'],
      // Typos: the corrected mode fills correctedQuery; an empty result has no items at all.
      ['SearchProducts', '<t:SearchProducts><t:q>wireles headphnes</t:q><t:sort>price_asc</t:sort><t:limit>3</t:limit></t:SearchProducts>'],
      ['SearchProducts', '<t:SearchProducts><t:q>zzzqqqxxx</t:q><t:facets>false</t:facets></t:SearchProducts>'],
      ['SearchProducts', '<t:SearchProducts><t:inStock>true</t:inStock><t:sort>rating</t:sort><t:facets>false</t:facets></t:SearchProducts>'],
      ['ListCategories', '<t:ListCategories/>'],
      ['SuggestProducts', '<t:SuggestProducts><t:q>wir</t:q></t:SuggestProducts>'],
      ['Me', '<t:Me/>'],
      ['ListOrders', '<t:ListOrders><t:limit>5</t:limit></t:ListOrders>'],
    ] as const;
    const apiKey = `<t:ApiKey>${demoCredentials.freeApiKey}</t:ApiKey>`;
    for (const version of ['1.1', '1.2'] as const) {
      for (const [operation, body] of bodies) {
        const r = await postSoap(version, operation, body, apiKey);
        expect(r.status, r.body.slice(0, 500)).toBe(200);
        const result = await validateXml(xsd, bodyElement(r.body));
        expect(result.output, `${operation} ${version}: ${body}`).toContain('validates');
      }
    }
    const fault = await postSoap('1.1', 'GetProduct', '<t:GetProduct><t:id>2147483647</t:id></t:GetProduct>');
    expect(fault.status).toBe(500);
    const detail = /<detail>([\s\S]*)<\/detail>/.exec(fault.body)?.[1];
    if (!detail) throw new Error(`no detail in ${fault.body}`);
    const standalone = detail.replace(/^<(\w+):ErrorDetail>/, `<$1:ErrorDetail xmlns:$1="${NS}">`);
    expect((await validateXml(xsd, standalone)).output).toContain('validates');
    expect(standalone).toContain(`>${fault.headers.get('x-request-id')}<`);
  });

  it('refuses a real response with two elements swapped (the check can fail)', async () => {
    const r = await postSoap('1.1', 'GetProduct', '<t:GetProduct><t:id>3</t:id></t:GetProduct>');
    const element = bodyElement(r.body);
    const swapped = element.replace(/(<tns:sku>[^<]*<\/tns:sku>)(<tns:slug>[^<]*<\/tns:slug>)/, '$2$1');
    expect(swapped).not.toBe(element);
    expect((await validateXml(xsd, swapped)).ok).toBe(false);
  });
});

describe('SOAP: node-soap client built from the live ?wsdl', () => {
  let client: soap.Client;
  beforeAll(async () => {
    client = await soap.createClientAsync(`${api.url}/soap?wsdl`);
  });

  it('calls SearchProducts and GetProduct and gets typed data; its requests validate too', async () => {
    const found = await callSoap<{ items: { id: number; name: string }[]; total: number }>(client, 'SearchProducts', { q: 'wireless', limit: 3 });
    expect(await validateXml(xsd, bodyElement(client.lastRequest ?? ''))).toMatchObject({ ok: true });
    const reference = await trpcData<{ items: { id: number }[]; total: number }>('catalog.search', { q: 'wireless', limit: 3 });
    expect(found.items.map((i) => i.id)).toEqual(reference.items.map((i) => i.id));
    expect(found.total).toBe(reference.total);

    const first = reference.items[0];
    if (!first) throw new Error('search found nothing');
    const product = await callSoap<{ id: number; priceCents: number; createdAt: Date }>(client, 'GetProduct', { id: first.id });
    expect(product.id).toBe(first.id);
    expect(typeof product.priceCents).toBe('number');
    expect(product.createdAt).toBeInstanceOf(Date);
  });

  it('speaks SOAP 1.2 too (forceSoap12Headers): data, and a Sender/NOT_FOUND fault with HTTP 404', async () => {
    const v12 = await soap.createClientAsync(`${api.url}/soap?wsdl`, { forceSoap12Headers: true });
    const product = await callSoap<{ id: number }>(v12, 'GetProduct', { id: 3 });
    expect(product.id).toBe(3);
    expect(v12.lastRequest).toContain(SOAP12);
    const fault = await callSoap(v12, 'GetProduct', { id: 2_147_483_647 }).then(
      () => undefined,
      (error: { response?: { status?: number }; root?: { Envelope?: { Body?: { Fault?: unknown } } } }) => ({
        status: error.response?.status,
        fault: error.root?.Envelope?.Body?.Fault,
      }),
    );
    expect(fault).toMatchObject({
      status: 404,
      fault: { Code: { Value: 'env:Sender', Subcode: { Value: 'tns:NOT_FOUND' } }, Detail: { ErrorDetail: { code: 'NOT_FOUND' } } },
    });
  });

  it('creates orders with the ApiKey header and with a WS-Security UsernameToken; idempotent replays', async () => {
    const { items } = await callSoap<{ items: { id: number; stock: number }[] }>(client, 'SearchProducts', { inStock: true, sort: 'rating', limit: 5, facets: false });
    const product = items.find((i) => i.stock >= 5);
    if (!product) throw new Error('no product with stock');

    const keyed = await soap.createClientAsync(`${api.url}/soap?wsdl`);
    keyed.addSoapHeader(`<tns:ApiKey xmlns:tns="${NS}">${demoCredentials.freeApiKey}</tns:ApiKey>`);
    const idempotencyKey = `soap-${randomUUID()}`;
    const args = { lines: [{ productId: product.id, quantity: 2 }], idempotencyKey };
    const order = await callSoap<{ id: string; userId: string; totalCents: number; lines: { quantity: number }[] }>(keyed, 'CreateOrder', args);
    expect(await validateXml(xsd, bodyElement(keyed.lastRequest ?? ''))).toMatchObject({ ok: true });
    expect(await validateXml(xsd, bodyElement(keyed.lastResponse ?? ''))).toMatchObject({ ok: true });
    const replayed = await callSoap<{ id: string }>(keyed, 'CreateOrder', args);
    expect(replayed.id).toBe(order.id);

    // The order is the key owner's (the demo shopper), visible to them over REST.
    const rest = await request(`${api.url}/rest/v1/orders/${order.id}`, { headers: { authorization: `Bearer ${demoCredentials.freeApiKey}` } });
    expect(rest.status).toBe(200);
    expect(rest.json()).toMatchObject({ id: order.id, userId: order.userId, totalCents: order.totalCents, lines: [{ quantity: 2 }] });

    const signed = await soap.createClientAsync(`${api.url}/soap?wsdl`);
    signed.setSecurity(new soap.WSSecurity(demoCredentials.developer.email, demoCredentials.developer.password, { passwordType: 'PasswordText' }));
    const own = await callSoap<{ id: string; userId: string }>(signed, 'CreateOrder', { lines: [{ productId: product.id, quantity: 1 }] });
    expect(own.userId).not.toBe(order.userId);
    const listed = await callSoap<{ orders: { id: string } | { id: string }[] }>(signed, 'ListOrders', { limit: 10 });
    expect([listed.orders].flat().map((o) => o.id)).toContain(own.id);

    // Without credentials: a SOAP fault node-soap surfaces as an error carrying the fault.
    const anonymous = await soap.createClientAsync(`${api.url}/soap?wsdl`);
    const refused = await soapMethod(anonymous, 'CreateOrder')({ lines: [{ productId: product.id, quantity: 1 }] }).then(
      () => undefined,
      (error: { root?: { Envelope?: { Body?: { Fault?: { faultcode?: string; detail?: { ErrorDetail?: { code?: string } } } } } } }) =>
        error.root?.Envelope?.Body?.Fault,
    );
    expect(refused).toMatchObject({ faultcode: expect.stringMatching(/:Client$/), detail: { ErrorDetail: { code: 'UNAUTHORIZED' } } });
  });
});

describe.skipIf(!hasBinary('/usr/bin/python3'))('SOAP: python3-zeep calls GetProduct from the live WSDL', () => {
  it('decodes the same product as tRPC', async (ctx) => {
    const script = `
import json, sys
try:
    import zeep
    from zeep.helpers import serialize_object
except ImportError:
    print(json.dumps({"skip": "python3-zeep is not installed"})); sys.exit(0)
client = zeep.Client(sys.argv[1])
product = client.service.GetProduct(id=int(sys.argv[2]))
print(json.dumps(serialize_object(product, dict), default=lambda o: o.isoformat() if hasattr(o, "isoformat") else str(o)))
`;
    const r = await runTool('/usr/bin/python3', ['-c', script, `${api.url}/soap?wsdl`, '3']);
    expect(r.code, r.stderr).toBe(0);
    const decoded = JSON.parse(r.stdout) as Record<string, unknown>;
    if (typeof decoded.skip === 'string') {
      console.warn(decoded.skip);
      ctx.skip();
    }
    const reference = await trpcData('catalog.product', { id: 3 });
    expect(alignToShape(reference, decoded)).toEqual(normalizeInstants(reference));
  });
});

describe.skipIf(!hasBinary('/usr/bin/php'))('SOAP: PHP SoapClient calls GetProduct from the live WSDL', () => {
  it('decodes the same product as tRPC', async (ctx) => {
    if (!(await runTool('php', ['-m'])).stdout.split('\n').includes('soap')) {
      console.warn('php has no soap extension (php8.2-soap): skipping');
      ctx.skip();
    }
    const script = `
$client = new SoapClient($argv[1], ['cache_wsdl' => WSDL_CACHE_NONE, 'features' => SOAP_SINGLE_ELEMENT_ARRAYS, 'exceptions' => true]);
echo json_encode($client->GetProduct(['id' => (int) $argv[2]]));
`;
    const r = await runTool('php', ['-r', script, `${api.url}/soap?wsdl`, '3']);
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
    const reference = await trpcData('catalog.product', { id: 3 });
    expect(alignToShape(reference, JSON.parse(r.stdout))).toEqual(normalizeInstants(reference));
  });
});

describe('client mistakes are client errors in logs and metrics', () => {
  /** Probes that must be answered as client errors, each with its own request id. */
  async function probe(tag: string, send: (headers: Record<string, string>) => Promise<{ status: number }>) {
    const id = `adapters-${tag}-${randomUUID()}`;
    const { status } = await send({ 'x-request-id': id });
    const unhandled = api.logs.some((line) => line.requestId === id && line.msg === 'Unhandled error');
    const outcome = api.logs.find((line) => line.requestId === id && typeof line.outcome === 'string')?.outcome;
    return { tag, status, unhandled, outcome };
  }

  it('REST: malformed query and body are 400 VALIDATION, never logged as unhandled', async () => {
    const results = [
      await probe('rest-query', (headers) => request(`${api.url}/rest/v1/products?nope=1`, { headers })),
      await probe('rest-json', (headers) =>
        request(`${api.url}/rest/v1/auth/login`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"email":' }),
      ),
    ];
    expect(results).toEqual(results.map((r) => ({ tag: r.tag, status: 400, unhandled: false, outcome: 'VALIDATION' })));
  });

  /**
   * Protocol refusals (SOAPAction mismatch, malformed XML, DOCTYPE, unknown operation...) are the client's
   * mistake: logged and counted with their own code, never as "Unhandled error" / outcome="INTERNAL".
   */
  it('SOAP: action mismatch and malformed XML are client faults, never logged as unhandled', async () => {
    const mismatch = await probe('soap-action', (headers) =>
      request(`${api.url}/soap`, {
        method: 'POST',
        headers: { ...headers, 'content-type': `application/soap+xml; charset=utf-8; action="${NS}#SearchProducts"` },
        body: soapEnvelope('1.2', '<t:GetProduct><t:id>1</t:id></t:GetProduct>'),
      }),
    );
    const malformed = await probe('soap-xml', (headers) =>
      request(`${api.url}/soap`, { method: 'POST', headers: { ...headers, 'content-type': 'text/xml; charset=utf-8' }, body: '<env:Envelope' }),
    );
    expect(mismatch).toEqual({ tag: 'soap-action', status: 400, unhandled: false, outcome: 'VALIDATION' });
    expect(malformed).toEqual({ tag: 'soap-xml', status: 500, unhandled: false, outcome: 'VALIDATION' });
  });
});

// ---------------------------------------------------------------------------------------------
// Parity
// ---------------------------------------------------------------------------------------------

describe('parity: the same input through tRPC (HTTP), REST and SOAP gives the same data', () => {
  let client: soap.Client;
  beforeAll(async () => {
    client = await soap.createClientAsync(`${api.url}/soap?wsdl`);
  });

  async function threeWays(procedure: string, input: Record<string, unknown>, restPath: string, operation: string) {
    const reference = await trpcData(procedure, input);
    const query = restQuery(input);
    const rest = await request(`${api.url}/rest/v1${restPath}${query ? `?${query}` : ''}`);
    expect(rest.status, rest.body.slice(0, 500)).toBe(200);
    const [soapResult] = await soapMethod(client, operation)(input);
    return { reference, rest: rest.json<unknown>(), soap: alignToShape(reference, soapResult) };
  }

  it.each([1, 3, 57, 200])('catalog.product %i', async (id) => {
    const reference = await trpcData('catalog.product', { id });
    const rest = await request(`${api.url}/rest/v1/products/${id}`);
    const [soapResult] = await soapMethod(client, 'GetProduct')({ id });
    expect(rest.json()).toEqual(reference);
    expect(alignToShape(reference, soapResult)).toEqual(normalizeInstants(reference));
  });

  // Keys in schema order: node-soap writes arguments in the order given.
  const searches: Array<[string, Record<string, unknown>]> = [
    ['full text with facets', { q: 'wireless', limit: 5 }],
    ['typo corrected, price sort', { q: 'wireles headphnes', sort: 'price_asc', limit: 4 }],
    ['browse with filters', { minPrice: 1000, maxPrice: 50_000, minRating: 3, inStock: true, sort: 'rating', limit: 10 }],
    ['nothing found', { q: 'zzzqqqxxx' }],
    // XML and JSON specials, a phrase, an exclusion and non-ASCII text travel unchanged in all three.
    ['markup, phrase, exclusion, unicode', { q: '"wireless earbuds" -pro <b>&amp; café ]]>', limit: 5 }],
  ];
  it.each(searches)('catalog.search: %s', async (_name, input) => {
    const { reference, rest, soap: viaSoap } = await threeWays('catalog.search', input, '/products', 'SearchProducts');
    expect(rest).toEqual(reference);
    expect(viaSoap).toEqual(normalizeInstants(reference));
  });

  it('catalog.search: brand filter and the next page by cursor', async () => {
    const first = await trpcData<{ facets: { brands: { value: string }[] } }>('catalog.search', { q: 'wireless', limit: 5 });
    const brands = first.facets.brands.slice(0, 2).map((b) => b.value);
    expect(brands.length).toBeGreaterThan(0);
    const page1 = await threeWays('catalog.search', { brand: brands, sort: 'price_desc', limit: 3 }, '/products', 'SearchProducts');
    expect(page1.soap).toEqual(normalizeInstants(page1.reference));
    const cursor = (page1.reference as { nextCursor: string | null }).nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const page2 = await threeWays('catalog.search', { brand: brands, sort: 'price_desc', limit: 3, cursor, facets: false }, '/products', 'SearchProducts');
    expect(page2.rest).toEqual(page2.reference);
    expect(page2.soap).toEqual(normalizeInstants(page2.reference));
    expect((page2.reference as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('catalog.categories', async () => {
    const reference = await trpcData('catalog.categories', {});
    const rest = await request(`${api.url}/rest/v1/categories`);
    const [soapResult] = await soapMethod(client, 'ListCategories')({});
    expect(rest.json()).toEqual(reference);
    expect(alignToShape(reference, soapResult)).toEqual(normalizeInstants(reference));
  });
});
