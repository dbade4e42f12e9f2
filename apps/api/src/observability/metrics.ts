import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per API instance (tests run several in one process). */
export interface ApiMetrics {
  registry: Registry;
  requests: Counter<'style' | 'procedure' | 'outcome'>;
  requestSeconds: Histogram<'style' | 'procedure' | 'outcome'>;
  cacheEvents: Counter<'outcome'>;
  rateLimitRejections: Counter<'tier'>;
  rateLimitStoreFailures: Counter;
  redisErrors: Counter<'component'>;
  dbQueries: Counter;
  dbLoadSeconds: Histogram;
  redisUp: Gauge;
}

/**
 * Prometheus metrics of the gateway (`/metrics`).
 *
 * @example
 * const metrics = createMetrics();
 * res.end(await metrics.registry.metrics());
 */
export function createMetrics({ defaultMetrics = true } = {}): ApiMetrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'triport_' });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'triport_requests_total',
      help: 'Requests by API style, procedure and outcome (ok or an error vocabulary code)',
      labelNames: ['style', 'procedure', 'outcome'],
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'triport_request_duration_seconds',
      help: 'Time to response headers, by API style, procedure and outcome',
      labelNames: ['style', 'procedure', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    cacheEvents: new Counter({
      name: 'triport_cache_events_total',
      help: 'Cache reads by outcome: hit, l2hit, miss, coalesced, stale',
      labelNames: ['outcome'],
      registers,
    }),
    rateLimitRejections: new Counter({
      name: 'triport_ratelimit_rejections_total',
      help: 'Requests refused by the rate limiter, by tier',
      labelNames: ['tier'],
      registers,
    }),
    rateLimitStoreFailures: new Counter({
      name: 'triport_ratelimit_store_failures_total',
      help: 'Rate-limit checks whose store failed or timed out (RATE_LIMIT_FAIL decided)',
      registers,
    }),
    redisErrors: new Counter({
      name: 'triport_redis_errors_total',
      help: 'Redis errors by component (cache, nonce, connection)',
      labelNames: ['component'],
      registers,
    }),
    dbQueries: new Counter({ name: 'triport_db_queries_total', help: 'SQL statements sent', registers }),
    dbLoadSeconds: new Histogram({
      name: 'triport_db_load_duration_seconds',
      help: 'Database time of cache misses (loader duration)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    redisUp: new Gauge({ name: 'triport_redis_up', help: '1 when the Redis command connection is ready', registers }),
  };
}
