'use client';
import Link from 'next/link';
import { useId, useState } from 'react';
import { type CartLine, MAX_LINE_QUANTITY, useCart } from '@/lib/cart';

export function AddToCart({ product }: { product: Omit<CartLine, 'quantity'> }) {
  const cart = useCart();
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState<number | null>(null);
  const qtyId = useId();
  const inCart = cart.lines.find((l) => l.productId === product.productId)?.quantity ?? 0;
  const max = Math.min(product.stock, MAX_LINE_QUANTITY);
  if (product.stock <= 0) return <p className="muted">This product is currently unavailable.</p>;
  return (
    <div className="add-to-cart">
      <div className="qty-row">
        <label htmlFor={qtyId}>Quantity</label>
        <select id={qtyId} value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
          {Array.from({ length: Math.min(max, 10) }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button primary"
          onClick={() => {
            cart.add(product, quantity);
            setAdded(quantity);
          }}
        >
          Add to cart
        </button>
      </div>
      <p role="status" className="added-status">
        {added !== null && (
          <>
            Added {added} to your cart ({inCart} in cart). <Link href="/cart">View cart</Link>
          </>
        )}
      </p>
    </div>
  );
}
