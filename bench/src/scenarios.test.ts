import { describe, expect, it } from 'vitest';
import { apiKeyAuth, createOrderCall, productCall } from './calls.ts';
import { endpointsFor, trpcQueryPath } from './scenarios.ts';
import { rawRequest } from './wire.ts';

const soap = { namespace: 'urn:triport:soap:v1', actions: { GetProduct: 'urn:triport:soap:v1#GetProduct', CreateOrder: 'urn:triport:soap:v1#CreateOrder' } };
const ports = { bare: 1, caller: 2, 'trpc-standalone': 3, api: 4 };
const all = ['bare', 'caller', 'trpc-standalone', 'trpc', 'rest', 'soap11', 'soap12'] as const;

describe('trpcQueryPath', () => {
  it('is the httpBatchLink GET format', () => {
    expect(decodeURIComponent(trpcQueryPath('catalog.product', { id: 1 }))).toBe('/trpc/catalog.product?batch=1&input={"0":{"id":1}}');
  });
});

describe('endpointsFor', () => {
  it('renders one product read in every style, each on its own server', () => {
    const list = endpointsFor({ id: 'product-cached', call: productCall(7, 'SKU-7'), varying: false, styles: [...all] }, ports, soap);
    const by = Object.fromEntries(list.map((e) => [e.style, e]));
    expect(list.map((e) => e.style)).toEqual([...all]);
    expect(by.bare?.port).toBe(1);
    expect(by.rest?.spec).toMatchObject({ method: 'GET', path: '/rest/v1/products/7' });
    expect(by.trpc?.spec.path).toBe(trpcQueryPath('catalog.product', { id: 7 }));
    expect(by['trpc-standalone']?.port).toBe(3);
    expect(by.caller?.spec.path).toBe(`/call/catalog.product?input=${encodeURIComponent('{"id":7}')}`);
    expect(by.soap11?.spec.headers).toEqual({ 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"urn:triport:soap:v1#GetProduct"' });
    expect(by.soap12?.spec.body).toContain('<t:GetProduct><t:id>7</t:id></t:GetProduct>');
    expect(by.soap11?.vary).toBeUndefined();
  });

  it('checks the body, not only the status', () => {
    const [rest] = endpointsFor({ id: 'product-cached', call: productCall(7, 'SKU-7'), varying: false, styles: ['rest'] }, ports, soap);
    expect(rest?.check({ status: 200, headerBytes: 1, bodyBytes: 1, headers: {}, body: '{"sku":"SKU-7"}' })).toBeNull();
    expect(rest?.check({ status: 200, headerBytes: 1, bodyBytes: 1, headers: {}, body: '{"sku":"SKU-8"}' })).toMatch(/unexpected body/);
    expect(rest?.check({ status: 429, headerBytes: 1, bodyBytes: 1, headers: {}, body: 'slow down' })).toMatch(/HTTP 429/);
  });

  it('skips SOAP without a WSDL and styles without a server', () => {
    const list = endpointsFor({ id: 'product-cached', call: productCall(1, 'S'), varying: false, styles: [...all] }, { api: 4 }, undefined);
    expect(list.map((e) => e.style)).toEqual(['trpc', 'rest']);
  });

  it('gives every order a fresh idempotency key placeholder, credentials and a varying product', () => {
    const plan = { id: 'create-order' as const, call: createOrderCall([10, 11]), varying: true, auth: apiKeyAuth('tp_premium_x_y'), styles: ['trpc', 'rest', 'soap11'] as const };
    const list = endpointsFor({ ...plan, styles: [...plan.styles] }, ports, soap);
    const by = Object.fromEntries(list.map((e) => [e.style, e]));
    expect(by.rest?.spec.headers).toMatchObject({ Authorization: 'Bearer tp_premium_x_y', 'Idempotency-Key': '[<id>]' });
    expect(by.rest?.spec.idReplacement).toBe(true);
    expect(by.trpc?.spec).toMatchObject({ method: 'POST', path: '/trpc/orders.create?batch=1', idReplacement: true });
    expect(JSON.parse(by.trpc!.spec.body!)).toEqual({ 0: { lines: [{ productId: 10, quantity: 1 }], idempotencyKey: '[<id>]' } });
    // The placeholder must survive XML escaping or every SOAP order would reuse one key.
    expect(by.soap11?.spec.body).toContain('<t:idempotencyKey>[<id>]</t:idempotencyKey>');
    expect(by.soap11?.spec.body).toContain('<soap:Header><t:ApiKey>tp_premium_x_y</t:ApiKey></soap:Header>');
    const next = by.trpc!.vary!(by.trpc!.spec, 0);
    expect(JSON.parse(next.body!)[0].lines[0].productId).toBe(11);
    expect(rawRequest(by.soap11!.spec, 'h:1').toString()).toContain('SOAPAction: "urn:triport:soap:v1#CreateOrder"');
  });
});
