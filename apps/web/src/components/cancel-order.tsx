'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { describeApiError } from '@/lib/api-error';
import { useTRPC } from '@/lib/trpc';
import { ProblemNotice } from './problem-notice';

/** `orders.cancel` while the order is still cancellable; the page re-renders with the new status. */
export function CancelOrder({ id, until }: { id: string; until: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const cancel = useMutation(trpc.orders.cancel.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className="cancel-order">
      <button type="button" className="button" onClick={() => cancel.mutate({ id })} disabled={cancel.isPending || cancel.isSuccess}>
        {cancel.isPending ? 'Cancelling…' : 'Cancel order'}
      </button>
      <span className="muted small">
        {' '}
        Possible until {new Date(until).toLocaleTimeString('en-US', { timeStyle: 'short', timeZone: 'UTC' })} UTC.
      </span>
      {cancel.error && <ProblemNotice problem={describeApiError(cancel.error)} />}
    </div>
  );
}
