'use client';
import Link from 'next/link';
import { useCart } from '@/lib/cart';

export function CartLink() {
  const { count, ready } = useCart();
  const n = ready ? count : 0;
  // Visible text stays part of the accessible name ("Cart 2 items"), as WCAG 2.5.3 asks.
  return (
    <Link href="/cart" className="cart-link">
      Cart{' '}
      <span className="badge" data-testid="cart-count">
        {n}
      </span>
      <span className="visually-hidden"> {n === 1 ? 'item' : 'items'}</span>
    </Link>
  );
}
