'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { describeApiError } from '@/lib/api-error';
import { useCart } from '@/lib/cart';
import { attemptKey, endAttempt } from '@/lib/checkout-attempt';
import { formatPrice } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { useMe } from '@/lib/use-me';
import { ProblemNotice } from './problem-notice';

/** Outcome unknown (network, 5xx) or never processed (429): keep the key so a retry cannot double-order. */
function keepAttemptAfter(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  return status === undefined || status === 429 || status >= 500;
}

export function Checkout() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const cart = useCart();
  const me = useMe();
  const place = useMutation(
    trpc.orders.create.mutationOptions({
      onSuccess: (order) => {
        endAttempt();
        cart.clear();
        void queryClient.invalidateQueries({ queryKey: trpc.orders.list.queryKey() });
        router.push(`/orders/${order.id}?placed=1`);
      },
      onError: (error) => {
        if (!keepAttemptAfter(error)) endAttempt();
      },
    }),
  );

  if (!cart.ready || me.isPending) {
    return (
      <div role="status">
        <span className="visually-hidden">Loading checkout…</span>
        <div className="skeleton skeleton-block" aria-hidden="true" />
      </div>
    );
  }
  if (cart.lines.length === 0 && !place.isSuccess) {
    return (
      <div className="empty-state">
        <p>Your cart is empty.</p>
        <Link className="button primary" href="/search">
          Browse products
        </Link>
      </div>
    );
  }
  if (me.isError) return <ProblemNotice problem={describeApiError(me.error)} />;
  if (!me.data.user) {
    return (
      <div className="notice">
        <p>Sign in to place your order. Your cart is saved in this browser.</p>
        <p>
          <Link className="button primary" href="/login?next=/checkout">
            Sign in to check out
          </Link>{' '}
          <Link href="/register?next=/checkout">Create an account</Link>
        </p>
      </div>
    );
  }

  const lines = cart.lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));
  const currency = cart.lines[0]?.currency ?? 'USD';
  const submit = () => place.mutate({ lines, idempotencyKey: attemptKey(lines) });
  return (
    <div className="cart-layout">
      <section aria-labelledby="review-title" className="card">
        <h2 id="review-title">Review your order</h2>
        <ul className="review-lines">
          {cart.lines.map((l) => (
            <li key={l.productId}>
              <span>
                {l.quantity} × {l.name}
              </span>
              <span>{formatPrice(l.quantity * l.priceCents, l.currency)}</span>
            </li>
          ))}
        </ul>
        <p className="muted small">
          Shipping to <strong>{me.data.user.name}</strong> ({me.data.user.email}). Payment is simulated in this demo.
        </p>
      </section>
      <aside className="cart-summary" aria-label="Order summary">
        <p className="summary-row">
          <span>Estimated total</span>
          <strong>{formatPrice(cart.totalCents, currency)}</strong>
        </p>
        {place.error && (
          <ProblemNotice
            problem={describeApiError(place.error)}
            action={keepAttemptAfter(place.error) ? <p className="small">Retrying is safe: the order can only be placed once.</p> : undefined}
          />
        )}
        <button type="button" className="button primary block" onClick={submit} disabled={place.isPending || place.isSuccess}>
          {place.isPending || place.isSuccess ? 'Placing order…' : place.error ? 'Try again' : 'Place order'}
        </button>
      </aside>
    </div>
  );
}
