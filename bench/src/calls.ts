import type { Call } from './scenarios.ts';

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
