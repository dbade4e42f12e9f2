import { isRateLimited, retryAfterSeconds } from './rate-limit';

export type ApiProblem =
  | { kind: 'rate-limited'; retryAfter: number }
  | { kind: 'not-found'; message: string }
  | { kind: 'unauthenticated'; message: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'conflict'; message: string }
  | { kind: 'unavailable'; message: string };

interface ErrorLike {
  message?: string;
  data?: { code?: string; httpStatus?: number } | null;
}

/**
 * Turns a tRPC client error into something a page can say to a shopper. `retryAfter` comes from the
 * response header when the caller saw it (server components); the browser falls back to its own record.
 */
export function describeApiError(error: unknown, retryAfter?: number | null): ApiProblem {
  const e = (error ?? {}) as ErrorLike;
  if (isRateLimited(error)) return { kind: 'rate-limited', retryAfter: retryAfter ?? retryAfterSeconds(error) };
  const message = typeof e.message === 'string' && e.message ? e.message : 'Something went wrong';
  switch (e.data?.code) {
    case 'NOT_FOUND':
      return { kind: 'not-found', message };
    case 'UNAUTHORIZED':
      return { kind: 'unauthenticated', message };
    case 'BAD_REQUEST':
    case 'UNPROCESSABLE_CONTENT':
      return { kind: 'invalid', message };
    case 'CONFLICT':
      return { kind: 'conflict', message };
    default:
      // Network failures and 5xx: never show internals, just that the shop is briefly unavailable.
      return { kind: 'unavailable', message: 'The shop is unavailable right now. Please try again in a moment.' };
  }
}
