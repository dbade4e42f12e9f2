import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface GracefulShutdownOptions {
  /** Releases what the server used (cache, Redis, database pool) once every connection is closed. */
  release(): Promise<void>;
  /** How long in-flight requests may take before their connections are cut (default 10 s). */
  timeoutMs?: number;
  log?: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
}

export interface ShutdownResult {
  /** True when every in-flight request finished within the budget. */
  drained: boolean;
  /** Requests still running when the budget ran out (their sockets were destroyed). */
  cut: number;
  ms: number;
}

/**
 * Graceful drain for a node:http server: `shutdown()` stops accepting connections (the port is
 * released at once, so new connections are refused), closes idle keep-alive connections, lets
 * in-flight requests finish and answers them with `Connection: close`, then releases resources.
 * Past `timeoutMs` the remaining sockets are destroyed. Idempotent: later calls return the same
 * promise. Install it before `listen()` so every request is tracked.
 *
 * @example
 * const shutdown = createGracefulShutdown(server, { release: () => api.close(), timeoutMs: 10_000 });
 * process.once('SIGTERM', () => shutdown().then((r) => process.exit(r.drained ? 0 : 1)));
 */
export function createGracefulShutdown<Req extends typeof IncomingMessage, Res extends typeof ServerResponse<InstanceType<Req>>>(
  server: Server<Req, Res>,
  options: GracefulShutdownOptions,
): () => Promise<ShutdownResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const log = options.log ?? (() => {});
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let result: Promise<ShutdownResult> | undefined;

  server.on('request', (_req: InstanceType<Req>, res: InstanceType<Res>) => {
    inFlight.add(res);
    // A request that arrives on a kept-alive connection during the drain is served, then the connection closes.
    if (draining && !res.headersSent) res.shouldKeepAlive = false;
    res.once('close', () => {
      inFlight.delete(res);
      // The connection it used is idle now (or closing): do not wait for the keep-alive timeout.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });

  return () => {
    result ??= new Promise<ShutdownResult>((resolve) => {
      const started = performance.now();
      draining = true;
      log('info', 'Draining: no new connections, waiting for in-flight requests', { inFlight: inFlight.size, timeoutMs });
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      let cut = 0;
      const timer = setTimeout(() => {
        cut = inFlight.size;
        log('warn', 'Drain budget exceeded: closing the remaining connections', { inFlight: cut });
        server.closeAllConnections();
      }, timeoutMs);
      server.close(() => {
        clearTimeout(timer);
        const finish = (releaseError?: unknown) => {
          if (releaseError) log('warn', 'Releasing resources failed during shutdown', { err: String(releaseError) });
          resolve({ drained: cut === 0, cut, ms: Math.round(performance.now() - started) });
        };
        // Resources get what is left of the budget, at least one second.
        const budget = Math.max(1000, timeoutMs - (performance.now() - started));
        const releaseTimer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('release timed out')), budget).unref());
        Promise.race([options.release(), releaseTimer]).then(() => finish(), finish);
      });
      server.closeIdleConnections();
    });
    return result;
  };
}
