import type { Principal } from '../context.ts';

/** Who gets which limit: anonymous callers (by IP) < free < premium (by user or API key). */
export type LimitTier = 'anonymous' | 'free' | 'premium';

export interface TierPolicy {
  /** Tokens per window (a call costs `meta.cost`, default 1). */
  limit: number;
  windowMs: number;
}

export type RateLimitPolicies = Record<LimitTier, TierPolicy>;

/** The result shape of `@upstash/ratelimit`'s `limit()` (without `pending`), shared by every store. */
export interface SlidingWindowResult {
  success: boolean;
  limit: number;
  remaining: number;
  /** Epoch ms at which the current window ends. */
  reset: number;
}

/** One sliding-window limiter per tier over some storage (Upstash REST, local Redis, memory). */
export interface RateLimitStore {
  readonly kind: 'upstash' | 'redis' | 'memory';
  /**
   * Consumes `cost` tokens of `identifier` in `tier`. Rejects when the store is unreachable or too slow.
   * A negative `cost` gives tokens back to the window current at call time (unused lease tokens).
   */
  limit(tier: LimitTier, identifier: string, cost: number): Promise<SlidingWindowResult>;
}

export interface RateLimitDecision {
  allowed: boolean;
  tier: LimitTier;
  /** `RateLimit-Policy` field value. */
  policyHeader: string;
  /** `RateLimit` field value; undefined when the store failed (nothing is known). */
  header: string | undefined;
  /** Seconds until the window resets: `Retry-After` on rejection. */
  retryAfterSeconds: number;
  /** The store failed and the decision follows the fail policy. */
  storeFailed: boolean;
}

/** What the gateway middleware asks before every procedure call. */
export interface RateLimiter {
  check(principal: Principal, clientIp: string, cost: number): Promise<RateLimitDecision>;
}
