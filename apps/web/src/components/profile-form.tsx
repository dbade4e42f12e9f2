'use client';
import type { AppRouter } from '@triport/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { type FormEvent, useId, useState } from 'react';
import { describeApiError } from '@/lib/api-error';
import { useTRPC } from '@/lib/trpc';
import { ProblemNotice } from './problem-notice';

type Profile = inferRouterOutputs<AppRouter>['account']['profile'];

export function ProfileForm({ initial }: { initial?: Profile }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const profile = useQuery(trpc.account.profile.queryOptions(undefined, { initialData: initial }));
  const [draft, setDraft] = useState<{ name: string; email: string } | null>(null);
  const ids = { name: useId(), email: useId() };
  const update = useMutation(
    trpc.account.updateProfile.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.account.profile.queryKey(), saved);
        void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
        setDraft(null);
      },
    }),
  );
  if (profile.isPending) return <div className="skeleton skeleton-block" aria-hidden="true" />;
  if (profile.isError) return <ProblemNotice problem={describeApiError(profile.error)} />;
  const values = draft ?? { name: profile.data.name, email: profile.data.email };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const changes: { name?: string; email?: string } = {};
    if (values.name.trim() !== profile.data.name) changes.name = values.name.trim();
    if (values.email.trim().toLowerCase() !== profile.data.email) changes.email = values.email.trim();
    if (changes.name === undefined && changes.email === undefined) return setDraft(null);
    update.mutate(changes);
  };
  return (
    <form className="form" onSubmit={submit}>
      <label htmlFor={ids.name}>
        Name
        <input id={ids.name} type="text" autoComplete="name" required maxLength={100} value={values.name} onChange={(e) => setDraft({ ...values, name: e.target.value })} />
      </label>
      <label htmlFor={ids.email}>
        Email
        <input id={ids.email} type="email" autoComplete="email" required value={values.email} onChange={(e) => setDraft({ ...values, email: e.target.value })} />
      </label>
      {update.error && <ProblemNotice problem={describeApiError(update.error)} />}
      <p role="status" className="small">
        {update.isSuccess && !draft ? 'Profile saved.' : ''}
      </p>
      <div>
        <button type="submit" className="button primary" disabled={!draft || update.isPending}>
          {update.isPending ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}
