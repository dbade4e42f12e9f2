'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './trpc';

/** Who the browser is signed in as (`auth.me`); `user` is null for anonymous visitors. */
export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
}
