'use client';
import Link from 'next/link';
import { useMe } from '@/lib/use-me';

/** "Sign in", or the signed-in shopper's name and their orders. */
export function AccountLink() {
  const me = useMe();
  const user = me.data?.user;
  if (!user) {
    // Unknown (loading, or the API refused): a neutral link that works either way.
    return me.isPending || me.isError ? <Link href="/account">Account</Link> : <Link href="/login">Sign in</Link>;
  }
  return (
    <>
      <Link href="/orders">Orders</Link>
      <Link href="/account" data-testid="account-name">
        {user.name}
      </Link>
    </>
  );
}
