import { z } from 'zod';

export const categoryRefSchema = z.object({
  id: z.int().positive(),
  slug: z.string(),
  name: z.string(),
});

export const productSchema = z.object({
  id: z.int().positive(),
  sku: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  brand: z.string(),
  category: categoryRefSchema,
  priceCents: z.int().nonnegative().describe('Price in the smallest currency unit'),
  currency: z.string().length(3),
  stock: z.int().nonnegative(),
  rating: z.number().min(0).max(5),
  ratingCount: z.int().nonnegative(),
  tags: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().positive(),
});
export type Product = z.infer<typeof productSchema>;

/** Ids are positive 32-bit integers; anything else is a validation error, never a query. */
export const productIdSchema = z.int().positive().max(2_147_483_647);
