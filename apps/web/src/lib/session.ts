import { redirect } from 'next/navigation';
import { type ApiProblem, describeApiError } from './api-error';
import { type ServerApi, serverApi } from './trpc-server';

type Me = Awaited<ReturnType<ServerApi['api']['auth']['me']['query']>>;
export type SignedIn = { ok: true; api: ServerApi; user: NonNullable<Me['user']> } | { ok: false; problem: ApiProblem };

/**
 * For pages that need a signed-in shopper: the user, or a redirect to /login that comes back here.
 *
 * @example
 * const session = await requireUser('/orders');
 */
export async function requireUser(returnTo: string): Promise<SignedIn> {
  const api = await serverApi();
  let me: Me;
  try {
    me = await api.api.auth.me.query();
  } catch (error) {
    return { ok: false, problem: describeApiError(error, api.retryAfter()) };
  }
  if (!me.user) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return { ok: true, api, user: me.user };
}
