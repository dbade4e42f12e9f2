import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { deepFreeze } from '@triport/procedure-call';
import type { Cache, CacheEntryOptions } from './types.ts';

/** How one read was answered. `l2hit`: from Redis (filled by this or another instance). */
export type CacheOutcome = 'hit' | 'miss' | 'coalesced' | 'stale' | 'l2hit';

/** Per-request listener (the gateway's response object): outcome for the log line, `db` time. */
export interface CacheObserver {
  cacheOutcome(outcome: CacheOutcome): void;
  add(name: string, ms: number): void;
}

export interface TwoTierCacheOptions {
  /** L2 and invalidation publisher. Absent: memory only (one instance). */
  redis?: Redis | undefined;
  /** A dedicated connection in subscriber mode for invalidations (required with `redis`). */
  subscriber?: Redis | undefined;
  /** Redis key/channel prefix, e.g. `triport:`. */
  prefix?: string;
  maxEntries?: number;
  defaultTtlMs?: number;
  /** Metrics hook for every outcome. */
  onOutcome?: (outcome: CacheOutcome) => void;
  /** Called when Redis fails (the read then goes to the database); must not throw. */
  onRedisError?: (error: unknown, operation: string) => void;
  /** Time the loader took (ms): database time for metrics. */
  onLoad?: (ms: number) => void;
}

export interface TwoTierCache extends Cache {
  getOrLoad<T>(key: string, load: () => Promise<T>, options?: CacheEntryOptions, observer?: CacheObserver): Promise<T>;
  /** Resolves once the invalidation subscription is active. */
  readonly ready: Promise<void>;
  /** Unsubscribes (connections belong to the caller). */
  close(): Promise<void>;
}

interface Entry {
  value: unknown;
  freshUntil: number;
  staleUntil: number;
  tags: readonly string[];
}

interface Stored {
  v: unknown;
  f: number;
  s: number;
  t: string[];
}

/** A second L2 delete after this long catches a load that read the old row before the write committed. */
const SECOND_DELETE_MS = 1000;

/**
 * Memory L1 + Redis L2 with per-key request coalescing, TTL + stale-while-revalidate and tag
 * invalidation broadcast over Redis pub/sub. Redis trouble never fails a read: it falls through to the
 * loader. Values must be JSON-serializable (they cross Redis).
 *
 * @example
 * const cache = createTwoTierCache({ redis, subscriber, prefix: 'triport:' });
 * await cache.ready;
 * const p = await cache.getOrLoad('product:1', () => findProductById(db, 1), { ttlMs: 30_000, staleMs: 60_000, tags: ['product:1'] });
 */
export function createTwoTierCache(options: TwoTierCacheOptions = {}): TwoTierCache {
  const { redis, subscriber, onOutcome, onRedisError, onLoad } = options;
  const prefix = `${options.prefix ?? ''}cache:`;
  const channel = `${prefix}invalidate`;
  const maxEntries = options.maxEntries ?? 10_000;
  const defaultTtlMs = options.defaultTtlMs ?? 30_000;
  const instance = randomUUID();
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<unknown>>();
  /** Bumped by every invalidation: a load that started before one must not store its result. */
  let generation = 0;

  function report(outcome: CacheOutcome, observer: CacheObserver | undefined): void {
    onOutcome?.(outcome);
    observer?.cacheOutcome(outcome);
  }

  function remember(key: string, entry: Entry): void {
    if (entries.size >= maxEntries && !entries.has(key)) entries.delete(entries.keys().next().value as string);
    entries.set(key, entry);
  }

  function dropLocal(tags: readonly string[]): void {
    generation += 1;
    const drop = new Set(tags);
    for (const [key, entry] of entries) if (entry.tags.some((t) => drop.has(t))) entries.delete(key);
  }

  async function readL2(key: string): Promise<Entry | undefined> {
    if (!redis) return undefined;
    try {
      const raw = await redis.get(prefix + key);
      if (raw === null) return undefined;
      const stored = JSON.parse(raw) as Stored;
      return { value: deepFreeze(stored.v), freshUntil: stored.f, staleUntil: stored.s, tags: stored.t };
    } catch (error) {
      onRedisError?.(error, 'get');
      return undefined;
    }
  }

  function writeL2(key: string, entry: Entry): void {
    if (!redis) return;
    const ttl = Math.max(1, entry.staleUntil - Date.now());
    const stored: Stored = { v: entry.value, f: entry.freshUntil, s: entry.staleUntil, t: [...entry.tags] };
    const batch = redis.multi().set(prefix + key, JSON.stringify(stored), 'PX', ttl);
    for (const tag of entry.tags) {
      const tagKey = `${prefix}tag:${tag}`;
      // NX gives a new set its TTL; GT only ever lengthens it, so the set outlives each member key.
      batch.sadd(tagKey, key).pexpire(tagKey, ttl, 'NX').pexpire(tagKey, ttl, 'GT');
    }
    // Fire and forget: L1 already answers; a lost L2 write only costs another instance a query.
    batch.exec().catch((error: unknown) => onRedisError?.(error, 'set'));
  }

  /** Runs the loader (coalesced per key) and stores the result in both tiers. */
  function load<T>(key: string, loader: () => Promise<T>, options: CacheEntryOptions, observer?: CacheObserver): Promise<T> {
    const startedGeneration = generation;
    const started = performance.now();
    const promise: Promise<T> = loader()
      .then((loaded) => {
        const value = deepFreeze(loaded);
        const ms = performance.now() - started;
        onLoad?.(ms);
        observer?.add('db', ms);
        if (generation === startedGeneration) {
          const now = Date.now();
          const ttl = options.ttlMs ?? defaultTtlMs;
          const entry: Entry = { value, freshUntil: now + ttl, staleUntil: now + ttl + (options.staleMs ?? 0), tags: options.tags ?? [] };
          remember(key, entry);
          writeL2(key, entry);
        }
        return value;
      })
      .finally(() => {
        if (inflight.get(key) === promise) inflight.delete(key);
      });
    inflight.set(key, promise);
    return promise;
  }

  function refreshInBackground(key: string, loader: () => Promise<unknown>, options: CacheEntryOptions): void {
    if (inflight.has(key)) return;
    load(key, loader, options).catch(() => {}); // the stale value keeps being served; next read retries
  }

  /** L1 miss: coalesce, then Redis, then the loader. */
  async function coldRead<T>(key: string, loader: () => Promise<T>, options: CacheEntryOptions, observer?: CacheObserver): Promise<T> {
    const startedGeneration = generation;
    const fromL2 = await readL2(key);
    const now = Date.now();
    if (fromL2 && now < fromL2.staleUntil && generation === startedGeneration) {
      remember(key, fromL2);
      if (now >= fromL2.freshUntil) {
        report('stale', observer);
        refreshInBackground(key, loader, options);
      } else report('l2hit', observer);
      return fromL2.value as T;
    }
    report('miss', observer);
    return load(key, loader, options, observer);
  }

  const ready: Promise<void> =
    redis && subscriber
      ? (async () => {
          subscriber.on('message', (from: string, message: string) => {
            if (from !== channel) return;
            try {
              const { tags, origin } = JSON.parse(message) as { tags: string[]; origin: string };
              if (origin !== instance && Array.isArray(tags)) dropLocal(tags);
            } catch (error) {
              onRedisError?.(error, 'message');
            }
          });
          await subscriber.subscribe(channel);
        })()
      : Promise.resolve();

  async function deleteL2(tags: readonly string[]): Promise<void> {
    if (!redis) return;
    for (const tag of tags) {
      const tagKey = `${prefix}tag:${tag}`;
      const keys = await redis.smembers(tagKey);
      await redis.del(tagKey, ...keys.map((k) => prefix + k));
    }
  }

  return {
    ready,
    async getOrLoad<T>(key: string, loader: () => Promise<T>, options: CacheEntryOptions = {}, observer?: CacheObserver): Promise<T> {
      const entry = entries.get(key);
      if (entry) {
        const now = Date.now();
        if (now < entry.freshUntil) {
          report('hit', observer);
          return entry.value as T;
        }
        if (now < entry.staleUntil) {
          report('stale', observer);
          refreshInBackground(key, loader, options);
          return entry.value as T;
        }
      }
      const running = inflight.get(key);
      if (running) {
        report('coalesced', observer);
        return running as Promise<T>;
      }
      // Registered synchronously, before the first await, so concurrent callers coalesce on it.
      const promise = coldRead(key, loader, options, observer);
      inflight.set(key, promise);
      return promise.finally(() => {
        if (inflight.get(key) === promise) inflight.delete(key);
      });
    },

    async invalidateTags(tags: string[]): Promise<void> {
      dropLocal(tags);
      if (!redis) return;
      try {
        await deleteL2(tags);
        await redis.publish(channel, JSON.stringify({ tags, origin: instance }));
        setTimeout(() => deleteL2(tags).catch((error: unknown) => onRedisError?.(error, 'invalidate')), SECOND_DELETE_MS).unref();
      } catch (error) {
        // Other instances keep their copy until its TTL: report it, the write itself succeeded.
        onRedisError?.(error, 'invalidate');
      }
    },

    async close(): Promise<void> {
      // Only when connected: an offline subscriber would queue the command forever.
      if (subscriber && redis && subscriber.status === 'ready') await subscriber.unsubscribe(channel).catch(() => {});
    },
  };
}
