import { loadConfig } from './config.ts';
import { createApiServer } from './server.ts';
import { createServices } from './services.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const api = await createServices(config).catch((error: unknown) =>
    fail('open the database (is DATABASE_URL reachable?) and migrate it', error),
  );
  const server = createApiServer(api);
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

  const stop = () => {
    server.close(() => void api.close().then(() => {
      api.logger.flush();
      process.exit(0);
    }));
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
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
