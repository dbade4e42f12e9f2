import { z } from 'zod';

const maxInt4 = 2_147_483_647;

export const productIdSchema = z.int().positive().max(maxInt4).describe('Product id');
export const versionSchema = z.int().positive().max(maxInt4).describe('The version you read; a stale one is a 409');

const skuSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Letters, digits, dot, dash and underscore');
const slugSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Lower-case words joined by dashes');
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$/, 'No control characters');

/** Fields an admin edits. Rating, timestamps, version and the search text are derived, never sent. */
const editable = {
  sku: skuSchema,
  name: text(200).min(1),
  description: text(10_000),
  brand: text(100).min(1),
  categoryId: z.int().positive().max(maxInt4),
  priceCents: z.int().min(0).max(maxInt4).describe('Price in the smallest currency unit'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code').default('USD'),
  tags: z.array(text(50).min(1)).max(30).default([]),
};

export const createProductInputSchema = z.strictObject({
  ...editable,
  /** Derived from name and SKU when omitted. */
  slug: slugSchema.optional(),
  stock: z.int().min(0).max(maxInt4).default(0),
});
export type CreateProductInput = z.infer<typeof createProductInputSchema>;

/**
 * PUT: the editable fields are replaced as a whole (slug kept when omitted). Stock is not a field
 * here, because orders change it without bumping the version: an absolute value would undo orders
 * placed since the admin's read. `stockDelta` adjusts it atomically instead.
 */
export const updateProductInputSchema = z.strictObject({
  id: productIdSchema,
  version: versionSchema,
  ...editable,
  slug: slugSchema.optional(),
  stockDelta: z.int().min(-maxInt4).max(maxInt4).default(0).describe('Added to the current stock (may be negative)'),
});
export type UpdateProductInput = z.infer<typeof updateProductInputSchema>;

export const deleteProductInputSchema = z.strictObject({ id: productIdSchema, version: versionSchema });

export const deleteProductOutputSchema = z.object({ id: productIdSchema, deleted: z.literal(true) });
