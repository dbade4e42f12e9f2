/** Runtime configuration from the environment (ARCHITECTURE.md "Runtime contract"). */
export interface ApiConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  rateLimitFail: 'open' | 'closed';
  logLevel: string;
  /** Honour X-Forwarded-* (only behind a proxy you control). */
  trustProxy: boolean;
  /** Browser origins allowed by CORS on /rest (comma-separated `CORS_ORIGINS`). */
  corsOrigins: string[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const port = Number(env.API_PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`API_PORT must be a port number, got "${env.API_PORT}"`);
  const fail = env.RATE_LIMIT_FAIL ?? 'open';
  if (fail !== 'open' && fail !== 'closed') throw new Error(`RATE_LIMIT_FAIL must be "open" or "closed", got "${fail}"`);
  return {
    port,
    host: env.API_HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    rateLimitFail: fail,
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}
