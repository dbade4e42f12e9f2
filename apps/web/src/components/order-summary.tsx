import Link from 'next/link';
import { formatPrice } from '@/lib/format';

export interface OrderView {
  id: string;
  status: 'placed' | 'cancelled';
  currency: string;
  totalCents: number;
  createdAt: string;
  lines: { productId: number; name: string; quantity: number; unitPriceCents: number; lineTotalCents: number }[];
}

export function formatOrderDate(iso: string): string {
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
}

/** The lines and total of one order. */
export function OrderLines({ order }: { order: OrderView }) {
  return (
    <table className="data-table order-lines">
      <caption className="visually-hidden">Items in order {order.id}</caption>
      <thead>
        <tr>
          <th scope="col">Product</th>
          <th scope="col" className="num">
            Quantity
          </th>
          <th scope="col" className="num">
            Unit price
          </th>
          <th scope="col" className="num">
            Total
          </th>
        </tr>
      </thead>
      <tbody>
        {order.lines.map((l) => (
          <tr key={l.productId}>
            <td>
              <Link href={`/product/${l.productId}`}>{l.name}</Link>
            </td>
            <td className="num">{l.quantity}</td>
            <td className="num">{formatPrice(l.unitPriceCents, order.currency)}</td>
            <td className="num">{formatPrice(l.lineTotalCents, order.currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            Order total
          </th>
          <td className="num">
            <strong>{formatPrice(order.totalCents, order.currency)}</strong>
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
