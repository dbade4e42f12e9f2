import { z } from 'zod';
import { idempotencyKeySchema } from '../idempotency/idempotency.ts';

export const maxOrderLines = 50;
export const maxLineQuantity = 100;

/** Strict positive int4 (no coercion: the REST and SOAP adapters convert text by the JSON schema). */
export const productIdSchema = z.int().positive().max(2_147_483_647).describe('Product id');

export const orderIdSchema = z.uuid().describe('Order id');
export const userIdSchema = z.uuid().describe('User id');

/**
 * One cart line. Strict: a client cannot slip in a price, a stock level or anything else; the
 * server re-prices every line from the database.
 */
export const orderLineInputSchema = z.strictObject({
  productId: productIdSchema,
  quantity: z.int().min(1).max(maxLineQuantity),
});

export const createOrderInputSchema = z
  .strictObject({
    lines: z.array(orderLineInputSchema).min(1).max(maxOrderLines),
    idempotencyKey: idempotencyKeySchema.optional(),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<number>();
    input.lines.forEach((line, i) => {
      if (seen.has(line.productId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'productId'],
          message: `Product ${line.productId} appears more than once; combine the quantities`,
        });
      }
      seen.add(line.productId);
    });
  });
export type CreateOrderInput = z.infer<typeof createOrderInputSchema>;

export const orderStatusSchema = z.enum(['placed', 'cancelled']);

export const orderLineSchema = z.object({
  productId: z.int().positive(),
  /** Snapshot at purchase time. */
  name: z.string(),
  quantity: z.int().positive(),
  unitPriceCents: z.int().nonnegative(),
  lineTotalCents: z.int().nonnegative(),
});

export const orderSchema = z.object({
  id: orderIdSchema,
  userId: userIdSchema,
  status: orderStatusSchema,
  currency: z.string().length(3),
  totalCents: z.int().nonnegative().describe('Sum of the lines in the smallest currency unit'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Until when `orders.cancel` is allowed; null once the order is no longer placed. */
  cancellableUntil: z.iso.datetime().nullable(),
  lines: z.array(orderLineSchema),
});
export type Order = z.infer<typeof orderSchema>;

export const getOrderInputSchema = z.strictObject({ id: orderIdSchema });
export const cancelOrderInputSchema = z.strictObject({ id: orderIdSchema });

export const listOrdersInputSchema = z
  .strictObject({
    /** Admins only (or your own id): whose orders to list. Default: the caller's. */
    userId: userIdSchema.optional(),
    limit: z.int().min(1).max(100).default(20),
    /** `nextCursor` of the previous page. */
    cursor: z.string().min(1).max(200).optional(),
  })
  .optional();

export const orderPageSchema = z.object({
  orders: z.array(orderSchema),
  /** Opaque; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type OrderPage = z.infer<typeof orderPageSchema>;
