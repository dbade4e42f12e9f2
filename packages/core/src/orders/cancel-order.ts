import { type Database, orderItems, orders, products, queryRows } from '@triport/db';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { appError } from '../errors.ts';
import { findOrder } from './read-orders.ts';
import { cancelWindowMs } from './order-view.ts';
import type { Order } from './schemas.ts';

export interface CancelledOrder {
  order: Order;
  /** Product ids whose stock went back up (empty when the order was already cancelled). */
  restocked: number[];
}

/**
 * Cancels a placed order within the cancel window and puts its quantities back in stock, in one
 * transaction. Idempotent: cancelling a cancelled order returns it unchanged. `ownerId` null means
 * any owner (admins).
 *
 * The status flip is a conditional UPDATE, so of two concurrent cancels exactly one restocks.
 *
 * @example
 * const { order } = await cancelOrder(db, { id, ownerId: principal.userId });
 */
export async function cancelOrder(db: Database, req: { id: string; ownerId: string | null }): Promise<CancelledOrder> {
  return db.transaction(async (tx) => {
    const owner = req.ownerId === null ? undefined : eq(orders.userId, req.ownerId);
    const [flipped] = await tx
      .update(orders)
      .set({ status: 'cancelled', updatedAt: sql`now()` })
      .where(
        and(
          eq(orders.id, req.id),
          owner,
          eq(orders.status, 'placed'),
          gt(orders.createdAt, sql`now() - ${cancelWindowMs}::int * interval '1 millisecond'`),
        ),
      )
      .returning({ id: orders.id });

    if (!flipped) {
      const order = await findOrder(tx, req.id, req.ownerId);
      if (!order) throw appError('NOT_FOUND', 'Order not found');
      if (order.status === 'cancelled') return { order, restocked: [] };
      throw appError('CONFLICT', `Order can no longer be cancelled (allowed until ${order.cancellableUntil})`);
    }

    // Lock in id order, like placeOrder, so a cancel and an order never wait on each other in a cycle.
    const itemProducts = tx.select({ id: orderItems.productId }).from(orderItems).where(eq(orderItems.orderId, req.id));
    await tx
      .select({ id: products.id })
      .from(products)
      .where(inArray(products.id, itemProducts))
      .orderBy(products.id)
      .for('update');
    const restocked = await queryRows<{ id: number }>(
      tx,
      sql`UPDATE ${products} AS p SET stock = p.stock + oi.quantity
          FROM ${orderItems} AS oi
          WHERE oi.order_id = ${req.id} AND p.id = oi.product_id
          RETURNING p.id`,
    );
    const order = await findOrder(tx, req.id, null);
    if (!order) throw appError('INTERNAL', 'Cancelled order vanished');
    return { order, restocked: restocked.map((r) => r.id).sort((a, b) => a - b) };
  });
}
