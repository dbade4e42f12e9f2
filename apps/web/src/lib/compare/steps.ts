import type { TimingEntry } from './responses';

/** The seven steps of an API call (ARCHITECTURE.md), as measured from the browser and the API. */
export const STEP_ORDER = ['client', 'gateway', 'auth', 'ratelimit', 'procedure', 'cache', 'db'] as const;
export type Step = (typeof STEP_ORDER)[number];

export const STEP_LABEL: Record<Step, string> = {
  client: 'Client ↔ network',
  gateway: 'Gateway + adapter + serialize',
  auth: 'Auth',
  ratelimit: 'Rate limit',
  procedure: 'Procedure',
  cache: 'Cache',
  db: 'Database',
};

/**
 * Splits one call's latency into the seven steps: the server reports its parts in `Server-Timing`
 * (plus `total`); whatever the server spent outside the named parts is the gateway/adapter share, and
 * the rest of the browser-measured latency is the client and network.
 *
 * @example
 * breakdown(12, [{ name: 'db', dur: 3 }, { name: 'total', dur: 5 }]); // client 7, gateway 2, db 3, …
 */
export function breakdown(latencyMs: number, timing: TimingEntry[]): Record<Step, number> {
  const byName = new Map<string, number>();
  for (const t of timing) byName.set(t.name, (byName.get(t.name) ?? 0) + t.dur);
  const part = (name: string) => byName.get(name) ?? 0;
  const named = {
    auth: part('auth'),
    ratelimit: part('ratelimit'),
    procedure: part('procedure') + part('app'),
    // The cache's time includes the loader (the db query) on a miss: count that part once, as db.
    cache: Math.max(0, part('cache') - part('db')),
    db: part('db'),
  };
  const namedSum = named.auth + named.ratelimit + named.procedure + named.cache + named.db;
  // Left over inside the server: routing, the adapter (parse, validate, serialize) and the gateway.
  const total = byName.has('total') ? part('total') : namedSum;
  return {
    client: Math.max(0, latencyMs - total),
    gateway: Math.max(0, total - namedSum + part('gateway')),
    ...named,
  };
}
