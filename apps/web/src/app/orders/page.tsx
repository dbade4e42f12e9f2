import type { Metadata } from 'next';
import { OrderHistory } from '@/components/order-history';
import { ProblemNotice } from '@/components/problem-notice';
import { describeApiError } from '@/lib/api-error';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Your orders' };
const PAGE_SIZE = 10;

export default async function OrdersPage() {
  const session = await requireUser('/orders');
  if (!session.ok) return <ProblemNotice problem={session.problem} />;
  try {
    const first = await session.api.api.orders.list.query({ limit: PAGE_SIZE });
    return (
      <>
        <h1>Your orders</h1>
        <OrderHistory first={first} pageSize={PAGE_SIZE} />
      </>
    );
  } catch (error) {
    return <ProblemNotice problem={describeApiError(error, session.api.retryAfter())} />;
  }
}
