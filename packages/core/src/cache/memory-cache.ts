import { deepFreeze } from '@triport/procedure-call';
import type { Cache, CacheEntryOptions } from './types.ts';

interface Entry {
  value: unknown;
  freshUntil: number;
  staleUntil: number;
  tags: string[];
}

/**
 * In-process cache with per-key coalescing, TTL and stale-while-revalidate. Used alone on the embedded
 * path; the gateway's two-tier cache puts Redis behind it.
 *
 * @example
 * const cache = createMemoryCache({ maxEntries: 10_000 });
 * const p = await cache.getOrLoad('product:1', () => loadProduct(1), { ttlMs: 30_000, tags: ['product:1'] });
 */
export function createMemoryCache({ maxEntries = 10_000, defaultTtlMs = 30_000 } = {}): Cache {
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<unknown>>();

  function load<T>(key: string, loader: () => Promise<T>, options: CacheEntryOptions): Promise<T> {
    const running = inflight.get(key);
    if (running) return running as Promise<T>;
    const promise = loader()
      .then((loaded) => {
        const value = deepFreeze(loaded);
        const now = Date.now();
        const ttl = options.ttlMs ?? defaultTtlMs;
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string); // oldest first
        entries.set(key, { value, freshUntil: now + ttl, staleUntil: now + ttl + (options.staleMs ?? 0), tags: options.tags ?? [] });
        return value;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, promise);
    return promise;
  }

  return {
    async getOrLoad<T>(key: string, loader: () => Promise<T>, options: CacheEntryOptions = {}): Promise<T> {
      const entry = entries.get(key);
      const now = Date.now();
      if (entry && now < entry.freshUntil) return entry.value as T;
      if (entry && now < entry.staleUntil) {
        load(key, loader, options).catch(() => {}); // refresh in the background; keep serving stale
        return entry.value as T;
      }
      return load(key, loader, options);
    },
    async invalidateTags(tags: string[]): Promise<void> {
      const drop = new Set(tags);
      for (const [key, entry] of entries) if (entry.tags.some((t) => drop.has(t))) entries.delete(key);
    },
  };
}
