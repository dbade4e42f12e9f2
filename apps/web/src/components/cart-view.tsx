'use client';
import Link from 'next/link';
import { MAX_LINE_QUANTITY, useCart } from '@/lib/cart';
import { formatPrice } from '@/lib/format';
import { placeholderUrl } from '@/lib/placeholder-art';

export function CartView() {
  const cart = useCart();
  if (!cart.ready) {
    return (
      <div role="status">
        <span className="visually-hidden">Loading your cart…</span>
        <div className="skeleton skeleton-block" aria-hidden="true" />
      </div>
    );
  }
  if (cart.lines.length === 0) {
    return (
      <div className="empty-state">
        <p>Your cart is empty.</p>
        <Link className="button primary" href="/search">
          Browse products
        </Link>
      </div>
    );
  }
  const currency = cart.lines[0]?.currency ?? 'USD';
  return (
    <div className="cart-layout">
      <ul className="cart-lines" aria-label="Items in your cart">
        {cart.lines.map((line) => {
          const max = Math.min(Math.max(line.stock, 1), MAX_LINE_QUANTITY);
          return (
            <li key={line.productId} className="cart-line" data-testid="cart-line">
              {/* biome-ignore lint/performance/noImgElement: locally generated SVG */}
              <img src={placeholderUrl({ id: line.productId, name: line.name, category: line.category })} alt="" width={96} height={72} />
              <div className="cart-line-main">
                <Link href={`/product/${line.productId}`}>{line.name}</Link>
                <span className="muted">{formatPrice(line.priceCents, line.currency)} each</span>
              </div>
              <label className="visually-hidden" htmlFor={`qty-${line.productId}`}>
                Quantity of {line.name}
              </label>
              <select
                id={`qty-${line.productId}`}
                value={line.quantity}
                onChange={(e) => cart.setQuantity(line.productId, Number(e.target.value))}
              >
                {Array.from({ length: Math.max(Math.min(max, 20), line.quantity) }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
              <span className="cart-line-total">{formatPrice(line.priceCents * line.quantity, line.currency)}</span>
              <button type="button" className="button link" onClick={() => cart.remove(line.productId)} aria-label={`Remove ${line.name}`}>
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      <aside className="cart-summary" aria-label="Order summary">
        <p className="summary-row">
          <span>Subtotal ({cart.count} item{cart.count === 1 ? '' : 's'})</span>
          <strong data-testid="cart-subtotal">{formatPrice(cart.totalCents, currency)}</strong>
        </p>
        <p className="muted small">Prices and stock are confirmed when you place the order.</p>
        <Link className="button primary block" href="/checkout">
          Go to checkout
        </Link>
      </aside>
    </div>
  );
}
