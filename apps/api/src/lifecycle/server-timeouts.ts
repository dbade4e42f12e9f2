import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Socket-level budgets that keep slow or abandoned clients from pinning connections. */
export interface ServerTimeouts {
  /** Whole request head must arrive within this (slowloris sending a header byte a second). */
  headersTimeoutMs: number;
  /** Head + body must arrive within this (a body that is never finished). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often Node checks the two budgets above (its default, 30 s, would let them overrun by that much). */
  checkIntervalMs: number;
}

export const defaultServerTimeouts: ServerTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
};

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (ms), got "${raw}"`);
  return value;
}

/**
 * Reads `API_HEADERS_TIMEOUT_MS`, `API_REQUEST_TIMEOUT_MS`, `API_KEEPALIVE_TIMEOUT_MS` (defaults 10 s,
 * 30 s, 5 s). The header budget is capped by the request budget, as Node requires.
 *
 * @example
 * applyServerTimeouts(server, serverTimeoutsFromEnv(process.env));
 */
export function serverTimeoutsFromEnv(env: NodeJS.ProcessEnv): ServerTimeouts {
  const requestTimeoutMs = positive(env, 'API_REQUEST_TIMEOUT_MS', defaultServerTimeouts.requestTimeoutMs);
  const headersTimeoutMs = Math.min(positive(env, 'API_HEADERS_TIMEOUT_MS', defaultServerTimeouts.headersTimeoutMs), requestTimeoutMs);
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: positive(env, 'API_KEEPALIVE_TIMEOUT_MS', defaultServerTimeouts.keepAliveTimeoutMs),
    checkIntervalMs: Math.min(defaultServerTimeouts.checkIntervalMs, headersTimeoutMs),
  };
}

/**
 * Sets the budgets on a server that is not listening yet (Node starts its checker on `listening`,
 * reading `connectionsCheckingInterval` then). Expired heads get Node's 408 and the socket is closed.
 *
 * @example
 * const server = createApiServer(api);
 * applyServerTimeouts(server, defaultServerTimeouts);
 * server.listen(4000);
 */
export function applyServerTimeouts<Req extends typeof IncomingMessage, Res extends typeof ServerResponse<InstanceType<Req>>>(
  server: Server<Req, Res>,
  timeouts: ServerTimeouts,
): void {
  if (server.listening) throw new Error('applyServerTimeouts must run before listen()');
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  // Writable at runtime though typed read-only: it is only read when the server starts listening.
  (server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval = timeouts.checkIntervalMs;
}
