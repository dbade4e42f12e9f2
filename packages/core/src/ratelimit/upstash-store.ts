import { Ratelimit } from '@upstash/ratelimit';
import type { LimitTier, RateLimitPolicies, RateLimitStore, SlidingWindowResult } from './types.ts';

/** The Redis client type `@upstash/ratelimit` accepts (the stock `@upstash/redis` client satisfies it). */
export type UpstashRedisLike = ConstructorParameters<typeof Ratelimit>[0]['redis'];

export class RateLimitStoreError extends Error {
  override readonly name = 'RateLimitStoreError';
}

/**
 * `@upstash/ratelimit` sliding windows (one per tier) over the stock `@upstash/redis` client or
 * {@link IoredisUpstashAdapter}. Its built-in timeout answers "allowed" after `timeoutMs`; here that
 * answer becomes an error so the fail policy decides, not the library.
 *
 * @example
 * const store = createUpstashStore({ kind: 'redis', redis: new IoredisUpstashAdapter(io) as never, prefix: 'tp:rl', policies });
 */
export function createUpstashStore(options: {
  kind: 'upstash' | 'redis';
  redis: UpstashRedisLike;
  prefix: string;
  policies: RateLimitPolicies;
  /** The library's own race timer (one per call); 0 disables it when the client already times out (ioredis `commandTimeout`). */
  timeoutMs?: number;
}): RateLimitStore {
  const make = (tier: LimitTier) =>
    new Ratelimit({
      redis: options.redis,
      limiter: Ratelimit.slidingWindow(options.policies[tier].limit, `${options.policies[tier].windowMs} ms`),
      prefix: `${options.prefix}:${tier}`,
      timeout: options.timeoutMs ?? 150,
      // The ephemeral cache would keep blocking locally after another instance saw the window reset.
      ephemeralCache: false,
      analytics: false,
      enableTelemetry: false,
    });
  const limiters: Record<LimitTier, Ratelimit> = { anonymous: make('anonymous'), free: make('free'), premium: make('premium') };
  return {
    kind: options.kind,
    async limit(tier, identifier, cost): Promise<SlidingWindowResult> {
      const result = await limiters[tier].limit(identifier, { rate: cost });
      if (result.reason === 'timeout') throw new RateLimitStoreError('Rate-limit store timed out');
      return { success: result.success, limit: result.limit, remaining: result.remaining, reset: result.reset };
    },
  };
}
