import { createDb } from '@triport/db';
import { loadConfig } from './config.ts';
import {
  applyServerTimeouts,
  createGracefulShutdown,
  installDriverCrashGuard,
  replaceableDatabase,
  serverTimeoutsFromEnv,
} from './lifecycle/index.ts';
import { createApiServer } from './server.ts';
import { createServices } from './services.ts';

/** Drain budget on SIGTERM/SIGINT (`API_SHUTDOWN_TIMEOUT_MS`, default 10 s). */
function shutdownTimeoutMs(env: NodeJS.ProcessEnv): number {
  const value = Number(env.API_SHUTDOWN_TIMEOUT_MS ?? 10_000);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`API_SHUTDOWN_TIMEOUT_MS must be a positive integer, got "${env.API_SHUTDOWN_TIMEOUT_MS}"`);
  return value;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const timeouts = serverTimeoutsFromEnv(process.env);
  const drainMs = shutdownTimeoutMs(process.env);
  const api = await createServices(config).catch((error: unknown) =>
    fail('open the database (is DATABASE_URL reachable?) and migrate it', error),
  );
  // Requests reach the pool through this stand-in, so a poisoned pool can be swapped (driver-crash-guard.ts).
  const database = replaceableDatabase(api.database, () =>
    createDb({ url: config.databaseUrl, onQuery: () => api.metrics.dbQueries.inc() }),
  );
  if (api.database.kind === 'postgres') api.services.db = database.db;
  installDriverCrashGuard({
    onSwallowed: (error) => {
      api.logger.warn({ err: error.message }, 'Database driver fault (write or socket error after its connection closed); replacing the connection pool');
      database.replace().catch((replaceError: unknown) => api.logger.error({ err: String(replaceError) }, 'Replacing the connection pool failed'));
    },
    onFatal: (error) => {
      api.logger.fatal({ err: error instanceof Error ? error.stack : String(error) }, 'Uncaught exception');
      api.logger.flush();
      process.exit(1);
    },
  });
  const server = createApiServer(api);
  applyServerTimeouts(server, timeouts);
  const shutdown = createGracefulShutdown(server, {
    release: async () => {
      await api.close(); // closes the pool it opened
      if (database.replacements() > 0) await database.close(); // and the replacement, if there is one
    },
    timeoutMs: drainMs,
    log: (level, message, fields) => api.logger[level](fields ?? {}, message),
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') fail(`listen on port ${config.port}: it is already in use (set API_PORT)`, error);
    fail('start the HTTP server', error);
  });
  server.listen(config.port, config.host, () => {
    api.logger.info(
      { port: config.port, database: api.database.kind, target: api.database.target, redis: api.redisStatus(), rateLimitStore: api.rateLimitStore },
      `Triport API listening on http://127.0.0.1:${config.port}`,
    );
  });

  const stop = (signal: NodeJS.Signals) => {
    api.logger.info({ signal }, 'Shutting down');
    // A second signal while draining means "now".
    process.once(signal, () => process.exit(1));
    void shutdown().then((result) => {
      api.logger.info(result, result.drained ? 'Drained; exiting' : 'Drain cut short; exiting');
      api.logger.flush();
      process.exit(result.drained ? 0 : 1);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function fail(what: string, error: unknown): never {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`Triport API could not ${what}: ${reason}`);
  process.exit(1);
}

await main();
