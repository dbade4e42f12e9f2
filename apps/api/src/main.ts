import { createMemoryCache } from '@triport/core';
import { createDb, migrate } from '@triport/db';
import { loadConfig } from './config.ts';
import { createApiServer } from './server.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const handle = await createDb({ url: config.databaseUrl }).catch((error: unknown) => fail('open the database', error));
  await migrate(handle).catch((error: unknown) =>
    fail(`migrate the database (${handle.kind} at ${handle.target}); is it reachable?`, error),
  );

  const server = createApiServer({ services: { db: handle.db, cache: createMemoryCache() }, database: handle });
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') fail(`listen on port ${config.port}: it is already in use (set API_PORT)`, error);
    fail('start the HTTP server', error);
  });
  server.listen(config.port, config.host, () => {
    console.log(`Triport API listening on http://127.0.0.1:${config.port} (${handle.kind}: ${handle.target})`);
  });

  const stop = () => {
    server.close(() => void handle.close().then(() => process.exit(0)));
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
