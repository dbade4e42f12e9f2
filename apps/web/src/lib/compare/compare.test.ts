import { describe, expect, it } from 'vitest';
import { buildRequest, type OperationInput } from './requests';
import { fingerprint, parseServerTiming } from './responses';
import { breakdown } from './steps';

const input: OperationInput = {
  q: 'lamp <&>',
  limit: 3,
  productId: 7,
  quantity: 2,
  apiKey: '',
  idempotencyKeys: { trpc: 'k-trpc-0001', rest: 'k-rest-0001', soap: 'k-soap-0001' },
};

describe('the same call in three styles', () => {
  it('builds the tRPC, REST and SOAP requests for a product read', () => {
    expect(buildRequest('trpc', 'product', input, 'urn:x')).toMatchObject({ method: 'GET', url: `/trpc/catalog.product?input=${encodeURIComponent('{"id":7}')}` });
    expect(buildRequest('rest', 'product', input, 'urn:x')).toMatchObject({ method: 'GET', url: '/rest/v1/products/7' });
    const soap = buildRequest('soap', 'product', input, 'urn:x');
    expect(soap.headers).toMatchObject({ 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:x#GetProduct"' });
    expect(soap.body).toContain('<t:GetProduct><t:id>7</t:id></t:GetProduct>');
  });

  it('escapes text in the SOAP envelope and sends the idempotency key per style', () => {
    const search = buildRequest('soap', 'search', input, 'urn:x');
    expect(search.body).toContain('<t:q>lamp &lt;&amp;&gt;</t:q>');
    const order = buildRequest('soap', 'createOrder', { ...input, apiKey: 'tp_x' }, 'urn:x');
    expect(order.body).toContain('<soap:Header><t:ApiKey>tp_x</t:ApiKey></soap:Header>');
    expect(order.body).toContain('<t:lines><t:productId>7</t:productId><t:quantity>2</t:quantity></t:lines><t:idempotencyKey>k-soap-0001</t:idempotencyKey>');
    expect(buildRequest('rest', 'createOrder', input, 'urn:x').headers['idempotency-key']).toBe('k-rest-0001');
  });
});

describe('reading responses back', () => {
  it('parses Server-Timing', () => {
    expect(parseServerTiming('ratelimit;dur=0.02, db;dur=5.18;desc="1 query", total;dur=6.25')).toEqual([
      { name: 'ratelimit', dur: 0.02 },
      { name: 'db', dur: 5.18, desc: '1 query' },
      { name: 'total', dur: 6.25 },
    ]);
    expect(parseServerTiming(null)).toEqual([]);
  });

  it('splits latency into the seven steps without counting the db twice', () => {
    const steps = breakdown(20, parseServerTiming('ratelimit;dur=1, cache;dur=5, db;dur=4, total;dur=8'));
    expect(steps).toEqual({ client: 12, gateway: 2, auth: 0, ratelimit: 1, procedure: 0, cache: 1, db: 4 });
  });

  it('fingerprints equal data equally whether numbers came as JSON or XML text', () => {
    expect(fingerprint('product', { id: 7, name: 'Lamp', priceCents: 999, stock: 3 })).toBe(
      fingerprint('product', { id: '7', name: 'Lamp', priceCents: '999', stock: '3' }),
    );
    expect(fingerprint('search', { items: { id: '1', priceCents: '5' } })).toBe(fingerprint('search', { items: [{ id: 1, priceCents: 5 }] }));
  });
});
