'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '@/lib/trpc';

export function SignOutButton() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: () => {
        queryClient.removeQueries();
        queryClient.setQueryData(trpc.auth.me.queryKey(), { kind: 'anonymous', user: null, apiKeyId: null });
        router.replace('/');
        router.refresh();
      },
    }),
  );
  return (
    <button type="button" className="button" onClick={() => logout.mutate({})} disabled={logout.isPending}>
      {logout.isPending ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
