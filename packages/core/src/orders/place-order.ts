import { type Database, orderItems, orders, products, queryRows } from '@triport/db';
import { inArray, sql } from 'drizzle-orm';
import { appError } from '../errors.ts';
import {
  claimIdempotencyKey,
  type IdempotencyRequest,
  storeIdempotentResponse,
} from '../idempotency/idempotency.ts';
import { toOrder } from './order-view.ts';
import { type Order, orderSchema } from './schemas.ts';

const maxInt4 = 2_147_483_647;

export interface PlaceOrderRequest {
  userId: string;
  lines: ReadonlyArray<{ productId: number; quantity: number }>;
  /** When set, the order is created at most once per key (see idempotency.ts). */
  idempotency?: IdempotencyRequest | undefined;
}

export interface PlacedOrder {
  order: Order;
  /** True when an earlier result was returned for the same idempotency key. */
  replayed: boolean;
}

/**
 * Places an order in one transaction: prices come from the database (never from the client), stock
 * is decremented with a conditional update, and either the whole order is created or nothing.
 *
 * Product rows are locked in id order (`SELECT ... ORDER BY id FOR UPDATE`), so two multi-line orders
 * never deadlock; the `stock >= q` condition on the UPDATE (and the `stock >= 0` CHECK) keep the
 * no-oversell rule true at the statement level as well.
 *
 * @example
 * const { order } = await placeOrder(db, { userId, lines: [{ productId: 7, quantity: 2 }] });
 */
export async function placeOrder(db: Database, req: PlaceOrderRequest): Promise<PlacedOrder> {
  return db.transaction(async (tx) => {
    if (req.idempotency) {
      const claim = await claimIdempotencyKey(tx, req.idempotency);
      if (claim.kind === 'replay') return { order: orderSchema.parse(claim.response), replayed: true };
    }

    const lines = [...req.lines].sort((a, b) => a.productId - b.productId);
    const ids = lines.map((l) => l.productId);
    const rows = await tx
      .select({
        id: products.id,
        name: products.name,
        priceCents: products.priceCents,
        currency: products.currency,
        stock: products.stock,
      })
      .from(products)
      .where(inArray(products.id, ids))
      .orderBy(products.id)
      .for('update');
    const byId = new Map(rows.map((r) => [r.id, r]));

    let total = 0;
    const currencies = new Set<string>();
    for (const line of lines) {
      const p = byId.get(line.productId);
      if (!p) throw appError('NOT_FOUND', `Product ${line.productId} does not exist`);
      if (p.stock < line.quantity) {
        throw appError(
          'CONFLICT',
          `Insufficient stock for product ${p.id} (${p.name}): ${p.stock} available, ${line.quantity} requested`,
        );
      }
      currencies.add(p.currency);
      total += p.priceCents * line.quantity;
    }
    if (currencies.size > 1) throw appError('VALIDATION', 'All products of one order must share a currency');
    if (total > maxInt4) throw appError('VALIDATION', 'Order total is too large; split the order');

    const values = sql.join(
      lines.map((l) => sql`(${l.productId}::int, ${l.quantity}::int)`),
      sql`, `,
    );
    const decremented = await queryRows<{ id: number }>(
      tx,
      sql`UPDATE ${products} AS p SET stock = p.stock - v.q
          FROM (VALUES ${values}) AS v(id, q)
          WHERE p.id = v.id AND p.stock >= v.q
          RETURNING p.id`,
    );
    // Unreachable while the rows are locked; kept so a future change cannot silently oversell.
    if (decremented.length !== lines.length) throw appError('CONFLICT', 'Stock changed during the order; retry');

    const [order] = await tx
      .insert(orders)
      .values({ userId: req.userId, totalCents: total, currency: [...currencies][0] ?? 'USD' })
      .returning();
    if (!order) throw appError('INTERNAL', 'Order insert returned no row');
    const items = lines.map((l) => {
      const p = byId.get(l.productId)!;
      return { orderId: order.id, productId: p.id, name: p.name, quantity: l.quantity, unitPriceCents: p.priceCents };
    });
    await tx.insert(orderItems).values(items);

    const result = toOrder(order, items);
    if (req.idempotency) await storeIdempotentResponse(tx, req.idempotency, result);
    return { order: result, replayed: false };
  });
}
