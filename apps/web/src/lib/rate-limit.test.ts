import { describe, expect, it } from 'vitest';
import { isRateLimited, parseRetryAfter, retryAfterSeconds } from './rate-limit';

describe('rate-limit helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });

  it('recognises TOO_MANY_REQUESTS and prefers the retry time the error carries', () => {
    const error = { data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, retryAfter: 12 } };
    expect(isRateLimited(error)).toBe(true);
    expect(retryAfterSeconds(error)).toBe(12);
    expect(isRateLimited({ data: { code: 'NOT_FOUND', httpStatus: 404 } })).toBe(false);
  });
});
