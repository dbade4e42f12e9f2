'use client';
import type { AppRouter } from '@triport/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { type FormEvent, useId, useState } from 'react';
import { describeApiError } from '@/lib/api-error';
import { useTRPC } from '@/lib/trpc';
import { ProblemNotice } from './problem-notice';

function formatDate(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

/** List, create (shown once) and revoke the signed-in user's API keys. */
type KeyList = inferRouterOutputs<AppRouter>['account']['apiKeys']['list'];

export function ApiKeys({ initial }: { initial?: KeyList }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.account.apiKeys.list.queryOptions(undefined, { initialData: initial }));
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const nameId = useId();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.account.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.account.apiKeys.create.mutationOptions({
      onSuccess: (key) => {
        setCreated({ name: key.name, key: key.key });
        setName('');
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.account.apiKeys.revoke.mutationOptions({ onSuccess: () => void refresh() }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate({ name: name.trim() });
  };
  const active = keys.data?.items.filter((k) => !k.revokedAt) ?? [];
  const revoked = keys.data?.items.filter((k) => k.revokedAt) ?? [];

  return (
    <div className="api-keys">
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor={nameId}>Key name</label>
        <input id={nameId} type="text" placeholder="e.g. Inventory sync" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} required />
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {create.error && <ProblemNotice problem={describeApiError(create.error)} />}
      {created && (
        <div className="notice ok" role="status" data-testid="new-api-key">
          <p>
            New key <strong>{created.name}</strong> — copy it now, it will not be shown again:
          </p>
          <code className="secret">{created.key}</code>
        </div>
      )}
      {keys.isPending ? (
        <div className="skeleton skeleton-block" aria-hidden="true" />
      ) : keys.isError ? (
        <ProblemNotice problem={describeApiError(keys.error)} />
      ) : active.length === 0 && revoked.length === 0 ? (
        <p className="muted">No API keys yet.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Your API keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Plan</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...active, ...revoked].map((k) => (
              <tr key={k.id} className={k.revokedAt ? 'revoked' : undefined}>
                <td>{k.name}</td>
                <td>
                  <code>{k.maskedKey}</code>
                </td>
                <td>{k.plan}</td>
                <td>{formatDate(k.createdAt)}</td>
                <td>{formatDate(k.lastUsedAt)}</td>
                <td>
                  {k.revokedAt ? (
                    <span className="muted">Revoked</span>
                  ) : (
                    <button type="button" className="button link" onClick={() => revoke.mutate({ id: k.id })} aria-label={`Revoke ${k.name}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoke.error && <ProblemNotice problem={describeApiError(revoke.error)} />}
    </div>
  );
}
