import { type Database, orderItems, orders } from '@triport/db';
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { decodeOrderCursor, encodeOrderCursor } from './cursor.ts';
import { toOrder } from './order-view.ts';
import type { Order, OrderPage } from './schemas.ts';

const orderColumns = {
  id: orders.id,
  userId: orders.userId,
  status: orders.status,
  currency: orders.currency,
  totalCents: orders.totalCents,
  createdAt: orders.createdAt,
  updatedAt: orders.updatedAt,
};

/** Exact creation time in microseconds since the epoch, as text (a JS Date keeps only milliseconds). */
const createdMicros = sql<string>`(extract(epoch from ${orders.createdAt}) * 1000000)::bigint::text`;

async function attachLines(
  db: Database,
  rows: Array<Parameters<typeof toOrder>[0]>,
): Promise<Order[]> {
  if (rows.length === 0) return [];
  const items = await db
    .select({
      orderId: orderItems.orderId,
      productId: orderItems.productId,
      name: orderItems.name,
      quantity: orderItems.quantity,
      unitPriceCents: orderItems.unitPriceCents,
    })
    .from(orderItems)
    .where(
      inArray(
        orderItems.orderId,
        rows.map((r) => r.id),
      ),
    );
  const byOrder = new Map<string, typeof items>();
  for (const item of items) {
    const list = byOrder.get(item.orderId) ?? [];
    list.push(item);
    byOrder.set(item.orderId, list);
  }
  return rows.map((r) => toOrder(r, byOrder.get(r.id) ?? []));
}

/**
 * One order, or null when it does not exist or (with `ownerId`) belongs to someone else: callers
 * answer NOT_FOUND for both, so ids of other people's orders reveal nothing.
 *
 * @example
 * const order = await findOrder(db, id, principal.role === 'admin' ? null : principal.userId);
 */
export async function findOrder(db: Database, id: string, ownerId: string | null): Promise<Order | null> {
  const where = ownerId === null ? eq(orders.id, id) : and(eq(orders.id, id), eq(orders.userId, ownerId));
  const rows = await db.select(orderColumns).from(orders).where(where).limit(1);
  const [order] = await attachLines(db, rows);
  return order ?? null;
}

export interface ListOrdersRequest {
  userId: string;
  limit: number;
  cursor?: string | undefined;
}

/**
 * A user's orders, newest first, with keyset pagination on `(created_at, id)` (index
 * `orders_user_created_idx`): a page costs the same however deep it is, and concurrent inserts
 * never shift the pages already read.
 *
 * @example
 * const page1 = await listOrders(db, { userId, limit: 20 });
 * const page2 = await listOrders(db, { userId, limit: 20, cursor: page1.nextCursor ?? undefined });
 */
export async function listOrders(db: Database, req: ListOrdersRequest): Promise<OrderPage> {
  const conditions: SQL[] = [eq(orders.userId, req.userId)];
  if (req.cursor) {
    const c = decodeOrderCursor(req.cursor);
    conditions.push(
      sql`(${orders.createdAt}, ${orders.id}) < (timestamptz 'epoch' + ${c.micros}::bigint * interval '1 microsecond', ${c.id}::uuid)`,
    );
  }
  const rows = await db
    .select({ ...orderColumns, micros: createdMicros })
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(req.limit + 1);
  const page = rows.slice(0, req.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > req.limit && last ? encodeOrderCursor({ micros: last.micros, id: last.id }) : null;
  return { orders: await attachLines(db, page), nextCursor };
}
