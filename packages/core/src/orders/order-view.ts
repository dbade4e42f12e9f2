import type { orderItems, orders } from '@triport/db';
import type { Order } from './schemas.ts';

/** How long after placing it a shopper may still cancel an order (the warehouse picks after that). */
export const cancelWindowMs = 30 * 60 * 1000;

type OrderRow = Pick<typeof orders.$inferSelect, 'id' | 'userId' | 'status' | 'currency' | 'totalCents' | 'createdAt' | 'updatedAt'>;
type ItemRow = Pick<typeof orderItems.$inferSelect, 'productId' | 'name' | 'quantity' | 'unitPriceCents'>;

/** Rows → API shape (ISO dates, integer cents). */
export function toOrder(row: OrderRow, items: ItemRow[]): Order {
  return {
    id: row.id,
    userId: row.userId,
    status: row.status,
    currency: row.currency,
    totalCents: row.totalCents,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    cancellableUntil:
      row.status === 'placed' ? new Date(row.createdAt.getTime() + cancelWindowMs).toISOString() : null,
    lines: items
      .map((i) => ({
        productId: i.productId,
        name: i.name,
        quantity: i.quantity,
        unitPriceCents: i.unitPriceCents,
        lineTotalCents: i.quantity * i.unitPriceCents,
      }))
      .sort((a, b) => a.productId - b.productId),
  };
}
