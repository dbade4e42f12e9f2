/**
 * Rate-limit bookkeeping for the browser. The API answers 429 with `Retry-After`; tRPC errors carry
 * only the body, so the fetch used by the tRPC links remembers the header for the error UI.
 */
let lastRetryAfter: { until: number } | null = null;

/** Parses a `Retry-After` value (delta seconds or HTTP date) into seconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/** `fetch` for the tRPC links: same as the global one, but notes `Retry-After` on 429. */
export const rateLimitAwareFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (res.status === 429) {
    const seconds = parseRetryAfter(res.headers.get('retry-after')) ?? 1;
    lastRetryAfter = { until: Date.now() + seconds * 1000 };
  }
  return res;
};

interface ErrorLike {
  data?: { code?: string; httpStatus?: number; retryAfter?: number; retryAfterMs?: number } | null;
  shape?: { data?: { retryAfter?: number; retryAfterMs?: number } } | null;
}

/** True for tRPC's TOO_MANY_REQUESTS (HTTP 429). */
export function isRateLimited(error: unknown): boolean {
  const data = (error as ErrorLike | null)?.data;
  return data?.code === 'TOO_MANY_REQUESTS' || data?.httpStatus === 429;
}

/** Seconds until a retry makes sense: from the error data when the API sends it, else from `Retry-After`. */
export function retryAfterSeconds(error: unknown, now = Date.now()): number {
  const data = (error as ErrorLike | null)?.data;
  if (typeof data?.retryAfter === 'number') return Math.max(1, Math.ceil(data.retryAfter));
  if (typeof data?.retryAfterMs === 'number') return Math.max(1, Math.ceil(data.retryAfterMs / 1000));
  if (lastRetryAfter) return Math.max(1, Math.ceil((lastRetryAfter.until - now) / 1000));
  return 1;
}
