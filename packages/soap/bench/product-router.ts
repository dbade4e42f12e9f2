/**
 * A router shaped like the API's `catalog.product` (same input/output schemas, a frozen cached value),
 * without the database: the micro-benchmark measures the adapter, not the procedure.
 */
import { TRPCError, initTRPC } from '@trpc/server';
import { z } from 'zod';
import type { SoapProcedureMeta } from '../src/types.ts';

const t = initTRPC.context<Record<string, never>>().meta<SoapProcedureMeta>().create();

const productSchema = z.object({
  id: z.int().positive(),
  sku: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  brand: z.string(),
  category: z.object({ id: z.int().positive(), slug: z.string(), name: z.string() }),
  priceCents: z.int().nonnegative(),
  currency: z.string().length(3),
  stock: z.int().nonnegative(),
  rating: z.number().min(0).max(5),
  ratingCount: z.int().nonnegative(),
  tags: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});
type Product = z.infer<typeof productSchema>;

/** What a cache hit returns: one frozen object per id. */
function product(id: number): Product {
  return Object.freeze({
    id,
    // Like the seeded catalog (packages/db/src/seed/generate.ts): plain sentences, nothing to escape.
    sku: `AUD-${String(id).padStart(7, '0')}`,
    slug: `aurora-x200-wireless-noise-cancelling-headphones-${id}`,
    name: 'Aurora X200 Wireless Noise-Cancelling Headphones',
    description:
      'The Aurora X200 Wireless Noise-Cancelling Headphones by Sonique. Forty hours of battery on a single charge. ' +
      'Folds flat for travel. Built to last, backed by a two-year warranty. Part of our headphones collection.',
    brand: 'Sonique',
    category: Object.freeze({ id: 3, slug: 'headphones', name: 'Headphones' }),
    priceCents: 12_999,
    currency: 'EUR',
    stock: 42,
    rating: 4.5,
    ratingCount: 118,
    tags: Object.freeze(['wireless', 'noise-cancelling', 'travel']) as string[],
    createdAt: '2025-01-02T03:04:05.000Z',
    updatedAt: '2025-06-07T08:09:10.000Z',
    version: 3,
  });
}

const products = new Map<number, Product>([[7, product(7)]]);

export const productRouter = t.router({
  product: t.procedure
    .meta({ soap: { operation: 'GetProduct', summary: 'Get a product by id' } })
    .input(z.object({ id: z.int().positive().max(2_147_483_647) }))
    .output(productSchema)
    .query(async ({ input }) => {
      const found = products.get(input.id);
      if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: `No product with id ${input.id}` });
      return found;
    }),
});

export const NAMESPACE = 'urn:triport:soap:v1';

/** The request the full bench sends (bench/src/soap-envelope.ts), for SOAP 1.1 or 1.2. */
export function productRequest(version: '1.1' | '1.2'): { headers: Record<string, string>; body: string } {
  const env = version === '1.1' ? 'http://schemas.xmlsoap.org/soap/envelope/' : 'http://www.w3.org/2003/05/soap-envelope';
  const action = `${NAMESPACE}#GetProduct`;
  const body =
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${env}" xmlns:t="${NAMESPACE}">` +
    '<soap:Body><t:GetProduct><t:id>7</t:id></t:GetProduct></soap:Body></soap:Envelope>';
  const headers: Record<string, string> =
    version === '1.1'
      ? { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${action}"` }
      : { 'Content-Type': `application/soap+xml; charset=utf-8; action="${action}"` };
  return { headers, body };
}
