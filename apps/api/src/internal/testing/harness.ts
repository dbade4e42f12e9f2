import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { DbHandle } from '@triport/db';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../observability/logger.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { type ApiServer, createApiServer } from '../../server.ts';
import { type ApiServices, createServices } from '../../services.ts';

export interface TestInstance {
  url: string;
  api: ApiServices;
  server: ApiServer;
  /** Every JSON log line this instance wrote. */
  logs: Record<string, unknown>[];
  /** Raw log text (to search for leaked secrets). */
  rawLogs(): string;
  close(): Promise<void>;
}

/**
 * One real API instance on 127.0.0.1:<random port> over a shared test database, with its logs captured.
 *
 * @example
 * const a = await startInstance(db, { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix });
 */
export async function startInstance(database: DbHandle, env: Record<string, string> = {}): Promise<TestInstance> {
  // A generous Redis budget: on a loaded machine a slow reply must not flip the fail policy (tests of
  // the policy set REDIS_TIMEOUT_MS themselves).
  const config = loadConfig({
    API_PORT: '0',
    LOG_LEVEL: 'info',
    AUTH_SECRET: 'test-secret-of-at-least-thirty-two-bytes!',
    REDIS_TIMEOUT_MS: '2000',
    ...env,
  });
  let raw = '';
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString('utf8');
      raw += text;
      for (const line of text.split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const logger = createLogger({ level: config.logLevel, destination });
  const api = await createServices(config, { database, logger, metrics: createMetrics({ defaultMetrics: false }) });
  const server = createApiServer(api);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    api,
    server,
    logs,
    rawLogs: () => raw,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
    },
  };
}
