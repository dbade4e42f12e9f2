/**
 * The read cache procedures see. Keys are strings such as `product:42`; tags group keys so one write can
 * drop many entries (`catalog` for every search/facet result, `product:42` for one product).
 */
export interface Cache {
  /**
   * Returns the cached value for `key`, or runs `load` once however many callers ask at the same time
   * (request coalescing) and caches its result.
   */
  getOrLoad<T>(key: string, load: () => Promise<T>, options?: CacheEntryOptions): Promise<T>;
  /** Drops every entry carrying one of these tags, on every instance that shares the bus. */
  invalidateTags(tags: string[]): Promise<void>;
}

export interface CacheEntryOptions {
  /** Fresh for this long (ms). */
  ttlMs?: number;
  /** After ttl, served stale for this long while one refresh runs in the background (ms). */
  staleMs?: number;
  tags?: string[];
}
