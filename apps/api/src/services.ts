import {
  type AuthSettings,
  type CacheOutcome,
  createAuthSettings,
  deleteExpiredSessions,
  createMemoryNonceStore,
  createMemoryRateLimitStore,
  createRateLimiter,
  createRedisNonceStore,
  createTwoTierCache,
  createCoalescingStore,
  createUpstashStore,
  IoredisUpstashAdapter,
  type RateLimiter,
  type RateLimitStore,
  type Services,
  type TwoTierCache,
  type UpstashRedisLike,
} from '@triport/core';
import { createDb, type DbHandle, migrate } from '@triport/db';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ApiConfig } from './config.ts';
import { defaultIdempotencyPurgeEveryMs, startIdempotencyPurge } from './lifecycle/purge-idempotency.ts';
import { createLogger } from './observability/logger.ts';
import { type ApiMetrics, createMetrics } from './observability/metrics.ts';

/** Everything one API instance holds: the core `Services` plus what the gateway itself needs. */
export interface ApiServices {
  config: ApiConfig;
  /** What procedures see as `ctx.services`. */
  services: Services;
  database: DbHandle;
  cache: TwoTierCache;
  rateLimiter: RateLimiter;
  rateLimitStore: RateLimitStore['kind'];
  auth: AuthSettings;
  logger: Logger;
  metrics: ApiMetrics;
  /** The command connection (cache L2, rate limit, nonces) when REDIS_URL is set. */
  redis: Redis | undefined;
  /** `up` | `down` | `disabled` (no REDIS_URL). */
  redisStatus(): 'up' | 'down' | 'disabled';
  /** Closes Redis connections, and the database unless it was passed in. */
  close(): Promise<void>;
}

export interface CreateServicesOptions {
  /** An open, migrated database (tests); otherwise one is opened from `config.databaseUrl` and migrated. */
  database?: DbHandle;
  logger?: Logger;
  metrics?: ApiMetrics;
}

/**
 * Builds db, cache, rate limiter and auth for one API instance from the configuration.
 *
 * @example
 * const api = await createServices(loadConfig());
 * const server = createApiServer(api);
 * server.listen(api.config.port);
 */
export async function createServices(config: ApiConfig, options: CreateServicesOptions = {}): Promise<ApiServices> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const throttledWarn = createThrottledWarn(logger);
  const metrics = options.metrics ?? createMetrics();
  let database = options.database;
  if (!database) {
    database = await createDb({ url: config.databaseUrl, onQuery: () => metrics.dbQueries.inc() });
    await migrate(database);
  }

  const redis = config.redisUrl ? connectRedis(config.redisUrl, config.redisTimeoutMs, logger, throttledWarn, metrics, 'command') : undefined;
  const subscriber = config.redisUrl ? connectRedis(config.redisUrl, undefined, logger, throttledWarn, metrics, 'subscriber') : undefined;
  if (redis) await waitForReady(redis, 1000);

  const cacheCounters = Object.fromEntries(
    (['hit', 'l2hit', 'miss', 'coalesced', 'stale'] as const).map((o) => [o, metrics.cacheEvents.labels(o)]),
  ) as Record<CacheOutcome, { inc(): void }>;
  const cache = createTwoTierCache({
    redis,
    subscriber,
    prefix: config.redisPrefix,
    onOutcome: (outcome) => cacheCounters[outcome].inc(),
    onLoad: (ms) => metrics.dbLoadSeconds.observe(ms / 1000),
    onRedisError: (error, operation) => {
      metrics.redisErrors.labels('cache').inc();
      throttledWarn(`cache:${operation}`, { err: errorText(error), operation }, 'Redis cache operation failed; reading through');
    },
  });
  // A subscription that cannot start (Redis down at boot) is retried by ioredis on reconnect.
  await Promise.race([cache.ready, new Promise((resolve) => setTimeout(resolve, 1000).unref())]).catch(() => {});

  const store = createRateLimitStore(config, redis);
  const rejections = {
    anonymous: metrics.rateLimitRejections.labels('anonymous'),
    free: metrics.rateLimitRejections.labels('free'),
    premium: metrics.rateLimitRejections.labels('premium'),
  };
  const rateLimiter = createRateLimiter({
    store,
    policies: config.rateLimits,
    failPolicy: config.rateLimitFail,
    onRejected: (tier) => rejections[tier].inc(),
    onStoreFailure: (error) => {
      metrics.rateLimitStoreFailures.inc();
      throttledWarn(
        'ratelimit',
        { err: errorText(error), store: store.kind, policy: config.rateLimitFail },
        `Rate-limit store unavailable; failing ${config.rateLimitFail}`,
      );
    },
  });

  const auth = createAuthSettings({
    secret: config.authSecret,
    sessionTtlMs: config.sessionTtlMs,
    nonces: redis ? createRedisNonceStore(redis, config.redisPrefix) : createMemoryNonceStore(),
  });
  if (!config.authSecret) {
    logger.warn('AUTH_SECRET is not set: API key digests use a random per-process secret (set it when running several instances)');
  }

  const ownDatabase = !options.database;
  const db = database;
  const housekeeping = setInterval(() => {
    deleteExpiredSessions(db.db).catch((error: unknown) => logger.warn({ err: errorText(error) }, 'Expired-session cleanup failed'));
  }, 3_600_000);
  housekeeping.unref();
  const stopIdempotencyPurge = startIdempotencyPurge(db.db, { everyMs: defaultIdempotencyPurgeEveryMs, logger });
  return {
    config,
    services: { db: db.db, cache, rateLimiter, auth },
    database: db,
    cache,
    rateLimiter,
    rateLimitStore: store.kind,
    auth,
    logger,
    metrics,
    redis,
    redisStatus: () => (!redis ? 'disabled' : redis.status === 'ready' ? 'up' : 'down'),
    async close() {
      clearInterval(housekeeping);
      await stopIdempotencyPurge();
      await cache.close();
      subscriber?.disconnect();
      redis?.disconnect();
      if (ownDatabase) await db.close();
    },
  };
}

function createRateLimitStore(config: ApiConfig, redis: Redis | undefined): RateLimitStore {
  const prefix = `${config.redisPrefix}rl`;
  if (config.upstash) {
    const client = new UpstashRedis({
      url: config.upstash.url,
      token: config.upstash.token,
      retry: false,
      enableTelemetry: false,
      signal: () => AbortSignal.timeout(config.redisTimeoutMs),
    });
    return createCoalescingStore(createUpstashStore({ kind: 'upstash', redis: client, prefix, policies: config.rateLimits, timeoutMs: config.redisTimeoutMs }));
  }
  if (redis) {
    // The adapter implements the evalsha/eval slice of @upstash/redis that the limiter calls. ioredis'
    // commandTimeout already bounds every call, so the library's per-call race timer is switched off.
    const adapter = new IoredisUpstashAdapter(redis) as unknown as UpstashRedisLike;
    // Concurrent checks of one identifier share one EVALSHA (packages/core/src/ratelimit/coalescing-store.ts).
    return createCoalescingStore(createUpstashStore({ kind: 'redis', redis: adapter, prefix, policies: config.rateLimits, timeoutMs: 0 }));
  }
  return createMemoryRateLimitStore(config.rateLimits);
}

/**
 * ioredis that never queues or retries a command while disconnected: a down Redis costs a fast error,
 * not a hung request. It keeps reconnecting in the background.
 */
function connectRedis(
  url: string,
  commandTimeoutMs: number | undefined,
  logger: Logger,
  throttledWarn: ThrottledWarn,
  metrics: ApiMetrics,
  role: string,
): Redis {
  const redis = new Redis(url, {
    // The subscriber must queue its SUBSCRIBE until connected; commands must not.
    enableOfflineQueue: role === 'subscriber',
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    enableReadyCheck: true,
  });
  redis.on('ready', () => {
    if (role === 'command') metrics.redisUp.set(1);
    logger.info({ role }, 'Redis connected');
  });
  redis.on('error', (error) => {
    metrics.redisErrors.labels('connection').inc();
    throttledWarn(`redis:${role}`, { err: errorText(error), role }, 'Redis connection error');
  });
  redis.on('close', () => {
    if (role === 'command') metrics.redisUp.set(0);
  });
  return redis;
}

function waitForReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    redis.once('ready', done);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
  });
}

type ThrottledWarn = (topic: string, fields: Record<string, unknown>, message: string) => void;

/** At most one warning per second per topic: a down Redis must not flood the logs. */
function createThrottledWarn(logger: Logger): ThrottledWarn {
  const lastWarned = new Map<string, number>();
  return (topic, fields, message) => {
    const now = Date.now();
    if ((lastWarned.get(topic) ?? 0) > now - 1000) return;
    lastWarned.set(topic, now);
    logger.warn(fields, message);
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
