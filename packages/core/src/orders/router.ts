import type { Principal } from '../context.ts';
import { appError } from '../errors.ts';
import { idempotencyScope, requestHash } from '../idempotency/idempotency.ts';
import { userProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';
import type { Cache } from '../cache/types.ts';
import { cancelOrder } from './cancel-order.ts';
import { placeOrder } from './place-order.ts';
import { findOrder, listOrders } from './read-orders.ts';
import {
  cancelOrderInputSchema,
  createOrderInputSchema,
  getOrderInputSchema,
  listOrdersInputSchema,
  orderPageSchema,
  orderSchema,
} from './schemas.ts';

type Authenticated = Exclude<Principal, { kind: 'anonymous' }>;

/** Whose orders a principal may touch: admins any (null), everyone else their own. */
function ownerFilter(principal: Authenticated): string | null {
  return principal.role === 'admin' ? null : principal.userId;
}

/**
 * Stock shown by `catalog.product` changes with every order; drop those entries (not the whole
 * catalog). Best effort: the order is committed already and cached stock is bounded by its TTL.
 */
function dropProductEntries(cache: Cache, productIds: number[]): void {
  if (productIds.length === 0) return;
  cache.invalidateTags(productIds.map((id) => `product:${id}`)).catch(() => {});
}

export const ordersRouter = router({
  create: userProcedure
    .meta({
      rest: {
        method: 'POST',
        path: '/orders',
        summary: 'Place an order',
        description:
          'Re-prices every line from the catalog and reserves stock atomically: the whole order or nothing. ' +
          'Send an Idempotency-Key to make retries safe.',
        tags: ['orders'],
        successStatus: 201,
        location: '/orders/{id}',
        headers: { 'idempotency-key': 'idempotencyKey' },
        errorStatuses: [404],
      },
      soap: { operation: 'CreateOrder', summary: 'Place an order (send idempotencyKey to make retries safe)' },
      access: 'user',
      cost: 5,
    })
    .input(createOrderInputSchema)
    .output(orderSchema)
    .mutation(async ({ ctx, input }) => {
      const { idempotencyKey, lines } = input;
      const { order, replayed } = await placeOrder(ctx.services.db, {
        userId: ctx.principal.userId,
        lines,
        idempotency: idempotencyKey
          ? {
              scope: idempotencyScope(ctx.principal),
              key: idempotencyKey,
              operation: 'orders.create',
              // Line order does not change the meaning of a cart.
              requestHash: requestHash([...lines].sort((a, b) => a.productId - b.productId)),
            }
          : undefined,
      });
      if (replayed) ctx.setHeader('Idempotent-Replayed', 'true');
      else dropProductEntries(ctx.services.cache, order.lines.map((l) => l.productId));
      return order;
    }),

  get: userProcedure
    .meta({
      rest: { method: 'GET', path: '/orders/{id}', summary: 'Get one of your orders', tags: ['orders'] },
      soap: { operation: 'GetOrder', summary: 'Get one of your orders' },
      access: 'user',
      cost: 1,
    })
    .input(getOrderInputSchema)
    .output(orderSchema)
    .query(async ({ ctx, input }) => {
      const order = await findOrder(ctx.services.db, input.id, ownerFilter(ctx.principal));
      if (!order) throw appError('NOT_FOUND', 'Order not found');
      return order;
    }),

  list: userProcedure
    .meta({
      rest: {
        method: 'GET',
        path: '/orders',
        summary: 'List your orders, newest first',
        description: 'Admins may pass userId to list any user’s orders.',
        tags: ['orders'],
        pagination: { cursorParam: 'cursor', nextCursorField: 'nextCursor' },
      },
      soap: { operation: 'ListOrders', summary: 'List your orders, newest first (keyset pages)' },
      access: 'user',
      cost: 2,
    })
    .input(listOrdersInputSchema)
    .output(orderPageSchema)
    .query(async ({ ctx, input }) => {
      const userId = input?.userId ?? ctx.principal.userId;
      if (userId !== ctx.principal.userId && ctx.principal.role !== 'admin') {
        throw appError('FORBIDDEN', 'Only administrators may list other users’ orders');
      }
      return listOrders(ctx.services.db, { userId, limit: input?.limit ?? 20, cursor: input?.cursor });
    }),

  cancel: userProcedure
    .meta({
      rest: {
        method: 'POST',
        path: '/orders/{id}/cancel',
        summary: 'Cancel a placed order',
        description: 'Allowed within 30 minutes of placing it; restocks the products. Idempotent.',
        tags: ['orders'],
      },
      soap: { operation: 'CancelOrder', summary: 'Cancel a placed order (idempotent)' },
      access: 'user',
      cost: 2,
    })
    .input(cancelOrderInputSchema)
    .output(orderSchema)
    .mutation(async ({ ctx, input }) => {
      const { order, restocked } = await cancelOrder(ctx.services.db, {
        id: input.id,
        ownerId: ownerFilter(ctx.principal),
      });
      dropProductEntries(ctx.services.cache, restocked);
      return order;
    }),
});
