'use client';
import { useQuery } from '@tanstack/react-query';
import { useInitialMe } from './me-context';
import { useTRPC } from './trpc';

/** Who the browser is signed in as (`auth.me`); `user` is null for anonymous visitors. */
export function useMe() {
  const trpc = useTRPC();
  const initial = useInitialMe();
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000, initialData: initial }));
}
