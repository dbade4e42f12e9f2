'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState } from 'react';
import { describeApiError } from '@/lib/api-error';
import type { Me } from '@/lib/me-context';
import { useTRPC } from '@/lib/trpc';
import { ProblemNotice } from './problem-notice';

/** Sign-in and registration: one form, two procedures (`auth.login`, `auth.register`). */
export function AuthForm({ mode, next }: { mode: 'login' | 'register'; next: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const ids = { email: useId(), password: useId(), name: useId() };
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const onSuccess = async (session: { user: NonNullable<Me['user']> }) => {
    // A new principal: nothing cached for the previous one may be shown again.
    queryClient.removeQueries();
    queryClient.setQueryData(trpc.auth.me.queryKey(), { kind: 'user', user: session.user, apiKeyId: null });
    router.replace(next);
    router.refresh();
  };
  const login = useMutation(trpc.auth.login.mutationOptions({ onSuccess }));
  const register = useMutation(trpc.auth.register.mutationOptions({ onSuccess }));
  const mutation = mode === 'login' ? login : register;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'login') login.mutate({ email, password });
    else register.mutate({ email, password, ...(name.trim() ? { name: name.trim() } : {}) });
  };
  const problem = mutation.error ? describeApiError(mutation.error) : null;

  return (
    <form className="form card" onSubmit={submit} noValidate={false}>
      {mode === 'register' && (
        <label htmlFor={ids.name}>
          Name <span className="muted hint">(optional)</span>
          <input id={ids.name} type="text" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
      )}
      <label htmlFor={ids.email}>
        Email
        <input id={ids.email} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label htmlFor={ids.password}>
        Password
        {mode === 'register' && <span className="muted hint">At least 10 characters</span>}
        <input
          id={ids.password}
          type="password"
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          required
          minLength={mode === 'register' ? 10 : 1}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {problem && <ProblemNotice problem={problem} />}
      <button type="submit" className="button primary" disabled={mutation.isPending}>
        {mode === 'login' ? (mutation.isPending ? 'Signing in…' : 'Sign in') : mutation.isPending ? 'Creating account…' : 'Create account'}
      </button>
      <p className="muted small">
        {mode === 'login' ? (
          <>
            New here? <Link href={`/register?next=${encodeURIComponent(next)}`}>Create an account</Link>
          </>
        ) : (
          <>
            Already have an account? <Link href={`/login?next=${encodeURIComponent(next)}`}>Sign in</Link>
          </>
        )}
      </p>
    </form>
  );
}
