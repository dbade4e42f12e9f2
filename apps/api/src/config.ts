import { defaultRateLimitPolicies, parseTierPolicy, type RateLimitPolicies } from '@triport/core';

/** Runtime configuration from the environment (ARCHITECTURE.md "Runtime contract"). */
export interface ApiConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Stock `@upstash/redis` REST client for rate limiting (takes precedence over REDIS_URL for it). */
  upstash: { url: string; token: string } | undefined;
  /** Prefix of every Redis key and channel this instance uses (`REDIS_PREFIX`, default `triport:`). */
  redisPrefix: string;
  rateLimitFail: 'open' | 'closed';
  rateLimits: RateLimitPolicies;
  /** Redis command budget before the fail policy applies (ms). */
  redisTimeoutMs: number;
  logLevel: string;
  /** Honour X-Forwarded-For / X-Forwarded-Proto (only behind a proxy you control). */
  trustProxy: boolean;
  /** Which peers may send X-Forwarded-*: any (`TRUST_PROXY=1`) or only loopback (`TRUST_PROXY=loopback`, the
   * storefront on the same host forwarding the shopper's address). */
  trustProxyPeers: 'any' | 'loopback';
  /** `/trpc` GET queries: `lean` calls procedures directly (default), `stock` uses only tRPC's node-http
   * handler (`TRPC_HANDLER=stock`, for comparison in the benchmark and the parity test). */
  trpcHandler: 'lean' | 'stock';
  /** Browser origins allowed by CORS on /rest (comma-separated `CORS_ORIGINS`). */
  corsOrigins: string[];
  /** HMAC key for API key secrets; unset → random per process (fine for one dev instance). */
  authSecret: string | undefined;
  sessionTtlMs: number;
  /** Bearer token a scraper must send for `/metrics`; unset → only direct loopback clients may read them. */
  metricsToken: string | undefined;
}

/**
 * Reads and validates the environment.
 *
 * @example
 * const config = loadConfig({ ...process.env, API_PORT: '0' });
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const port = Number(env.API_PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`API_PORT must be a port number, got "${env.API_PORT}"`);
  const fail = env.RATE_LIMIT_FAIL ?? 'open';
  if (fail !== 'open' && fail !== 'closed') throw new Error(`RATE_LIMIT_FAIL must be "open" or "closed", got "${fail}"`);
  const upstashUrl = env.UPSTASH_REDIS_REST_URL || undefined;
  const upstashToken = env.UPSTASH_REDIS_REST_TOKEN || undefined;
  if (Boolean(upstashUrl) !== Boolean(upstashToken)) {
    throw new Error('Set both UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN, or neither');
  }
  if (env.TRPC_HANDLER && env.TRPC_HANDLER !== 'lean' && env.TRPC_HANDLER !== 'stock') {
    throw new Error(`TRPC_HANDLER must be "lean" or "stock", got "${env.TRPC_HANDLER}"`);
  }
  const sessionDays = Number(env.SESSION_TTL_DAYS ?? 7);
  if (!(sessionDays > 0)) throw new Error(`SESSION_TTL_DAYS must be positive, got "${env.SESSION_TTL_DAYS}"`);
  const redisTimeoutMs = Number(env.REDIS_TIMEOUT_MS ?? 150);
  if (!(redisTimeoutMs > 0)) throw new Error(`REDIS_TIMEOUT_MS must be positive, got "${env.REDIS_TIMEOUT_MS}"`);
  return {
    port,
    host: env.API_HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    upstash: upstashUrl && upstashToken ? { url: upstashUrl, token: upstashToken } : undefined,
    redisPrefix: env.REDIS_PREFIX ?? 'triport:',
    rateLimitFail: fail,
    rateLimits: {
      anonymous: env.RATE_LIMIT_ANONYMOUS ? parseTierPolicy(env.RATE_LIMIT_ANONYMOUS) : defaultRateLimitPolicies.anonymous,
      free: env.RATE_LIMIT_FREE ? parseTierPolicy(env.RATE_LIMIT_FREE) : defaultRateLimitPolicies.free,
      premium: env.RATE_LIMIT_PREMIUM ? parseTierPolicy(env.RATE_LIMIT_PREMIUM) : defaultRateLimitPolicies.premium,
    },
    redisTimeoutMs,
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: ['1', 'true', 'loopback'].includes(env.TRUST_PROXY ?? ''),
    trustProxyPeers: env.TRUST_PROXY === 'loopback' ? 'loopback' : 'any',
    trpcHandler: env.TRPC_HANDLER === 'stock' ? 'stock' : 'lean',
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    authSecret: env.AUTH_SECRET || undefined,
    sessionTtlMs: sessionDays * 24 * 3600 * 1000,
    metricsToken: metricsToken(env.METRICS_TOKEN),
  };
}

function metricsToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters');
  return raw;
}
