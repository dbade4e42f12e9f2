import type { Redis } from 'ioredis';

/** Remembers WS-Security nonces for replay detection. */
export interface NonceStore {
  /** True the first time `nonce` is seen within `ttlMs`, false for a replay. */
  remember(nonce: string, ttlMs: number): Promise<boolean>;
}

/**
 * Bounded in-process nonce set (one instance only; use {@link createRedisNonceStore} with several).
 *
 * @example
 * const nonces = createMemoryNonceStore({ maxEntries: 100_000 });
 */
export function createMemoryNonceStore({ maxEntries = 100_000 } = {}): NonceStore {
  const seen = new Map<string, number>(); // nonce → expiry; insertion order = age
  return {
    async remember(nonce, ttlMs) {
      const now = Date.now();
      for (const [key, expiry] of seen) {
        if (expiry > now && seen.size < maxEntries) break;
        seen.delete(key);
      }
      const expiry = seen.get(nonce);
      if (expiry !== undefined && expiry > now) return false;
      seen.set(nonce, now + ttlMs);
      return true;
    },
  };
}

/**
 * Nonces in Redis (`SET key 1 NX PX ttl`), shared by every instance.
 *
 * @example
 * const nonces = createRedisNonceStore(redis, 'triport:');
 */
export function createRedisNonceStore(redis: Redis, prefix: string): NonceStore {
  return {
    async remember(nonce, ttlMs) {
      const reply = await redis.set(`${prefix}wss-nonce:${nonce}`, '1', 'PX', ttlMs, 'NX');
      return reply === 'OK';
    },
  };
}
