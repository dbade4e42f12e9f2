'use client';
import Link from 'next/link';
import { useCart } from '@/lib/cart';

export function CartLink() {
  const { count, ready } = useCart();
  return (
    <Link href="/cart" className="cart-link" aria-label={ready ? `Cart, ${count} item${count === 1 ? '' : 's'}` : 'Cart'}>
      Cart
      <span className="badge" aria-hidden="true" data-testid="cart-count">
        {ready ? count : 0}
      </span>
    </Link>
  );
}
