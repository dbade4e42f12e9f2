import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CancelOrder } from '@/components/cancel-order';
import { formatOrderDate, OrderLines } from '@/components/order-summary';
import { ProblemNotice } from '@/components/problem-notice';
import { describeApiError } from '@/lib/api-error';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Order' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Props {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function OrderPage({ params, searchParams }: Props) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const placed = (await searchParams).placed === '1';
  const session = await requireUser(`/orders/${id}`);
  if (!session.ok) return <ProblemNotice problem={session.problem} />;
  let order: Awaited<ReturnType<typeof session.api.api.orders.get.query>>;
  try {
    order = await session.api.api.orders.get.query({ id });
  } catch (error) {
    const problem = describeApiError(error, session.api.retryAfter());
    if (problem.kind === 'not-found') notFound();
    return <ProblemNotice problem={problem} />;
  }
  return (
    <div className="order-page">
      {placed && (
        <div className="notice ok confirmation" role="status" data-testid="order-confirmation">
          <h1>Thank you — your order is placed.</h1>
          <p>
            Order <code>{order.id}</code> is confirmed. You can find it any time under <Link href="/orders">your orders</Link>.
          </p>
        </div>
      )}
      {!placed && <h1>Order details</h1>}
      <dl className="specs order-meta">
        <dt>Order</dt>
        <dd>
          <code data-testid="order-id">{order.id}</code>
        </dd>
        <dt>Placed</dt>
        <dd>{formatOrderDate(order.createdAt)} UTC</dd>
        <dt>Status</dt>
        <dd>
          <span className={`status status-${order.status}`}>{order.status}</span>
        </dd>
      </dl>
      <OrderLines order={order} />
      {order.status === 'placed' && order.cancellableUntil && <CancelOrder id={order.id} until={order.cancellableUntil} />}
      <p>
        <Link href="/orders">← All orders</Link>
      </p>
    </div>
  );
}
