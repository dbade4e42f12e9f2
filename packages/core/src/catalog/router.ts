import { z } from 'zod';
import { appError } from '../errors.ts';
import { publicProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';
import { findProductById } from './product.ts';
import { productIdSchema, productSchema } from './schemas.ts';

export const catalogRouter = router({
  product: publicProcedure
    .meta({
      rest: { method: 'GET', path: '/products/{id}', summary: 'Get a product', tags: ['catalog'], cacheControl: 'public, max-age=30' },
      soap: { operation: 'GetProduct', summary: 'Get a product by id' },
      access: 'public',
    })
    .input(z.object({ id: productIdSchema }))
    .output(productSchema)
    .query(async ({ ctx, input }) => {
      const key = `product:${input.id}`;
      const product = await ctx.services.cache.getOrLoad(key, () => findProductById(ctx.services.db, input.id), {
        ttlMs: 30_000,
        staleMs: 60_000,
        tags: [key, 'catalog'],
      });
      if (!product) throw appError('NOT_FOUND', `No product with id ${input.id}`);
      return product;
    }),
});
