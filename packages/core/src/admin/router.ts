import { productSchema } from '../catalog/schemas.ts';
import type { Cache } from '../cache/types.ts';
import { adminProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';
import { createProduct, deleteProduct, updateProduct } from './products.ts';
import {
  createProductInputSchema,
  deleteProductInputSchema,
  deleteProductOutputSchema,
  updateProductInputSchema,
} from './schemas.ts';

/** Every cached search/facet result (`catalog`) and the product itself, on every instance. */
function invalidateProduct(cache: Cache, id: number): Promise<void> {
  return cache.invalidateTags(['catalog', `product:${id}`]);
}

export const adminProductsRouter = router({
  create: adminProcedure
    .meta({
      rest: {
        method: 'POST',
        path: '/admin/products',
        summary: 'Create a product',
        tags: ['admin'],
        successStatus: 201,
        location: '/products/{id}',
      },
      soap: { operation: 'CreateProduct', summary: 'Create a product (admin)' },
      access: 'admin',
      cost: 2,
    })
    .input(createProductInputSchema)
    .output(productSchema)
    .mutation(async ({ ctx, input }) => {
      const product = await createProduct(ctx.services.db, input);
      await invalidateProduct(ctx.services.cache, product.id);
      return product;
    }),

  update: adminProcedure
    .meta({
      rest: {
        method: 'PUT',
        path: '/admin/products/{id}',
        summary: 'Replace a product’s editable fields',
        description: 'Send the version you read; 409 when someone changed it since. Stock moves by stockDelta.',
        tags: ['admin'],
      },
      soap: { operation: 'UpdateProduct', summary: 'Replace a product’s editable fields (admin, versioned)' },
      access: 'admin',
      cost: 2,
    })
    .input(updateProductInputSchema)
    .output(productSchema)
    .mutation(async ({ ctx, input }) => {
      const product = await updateProduct(ctx.services.db, input);
      await invalidateProduct(ctx.services.cache, product.id);
      return product;
    }),

  delete: adminProcedure
    .meta({
      rest: {
        method: 'DELETE',
        path: '/admin/products/{id}',
        summary: 'Delete a product that was never ordered',
        description: 'Send ?version=; 409 when stale or when the product appears in orders.',
        tags: ['admin'],
        successStatus: 204,
      },
      soap: { operation: 'DeleteProduct', summary: 'Delete a product that was never ordered (admin, versioned)' },
      access: 'admin',
      cost: 2,
    })
    .input(deleteProductInputSchema)
    .output(deleteProductOutputSchema)
    .mutation(async ({ ctx, input }) => {
      await deleteProduct(ctx.services.db, input);
      await invalidateProduct(ctx.services.cache, input.id);
      return { id: input.id, deleted: true as const };
    }),
});

export const adminRouter = router({ products: adminProductsRouter });
