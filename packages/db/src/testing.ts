import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDb, type DbHandle } from './client.ts';
import { migrate } from './migrate.ts';

/** Server the integration tests use: the local Postgres of the dev machine and CI. */
export const testServerUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDb extends DbHandle {
  /** Closes the handle and drops whatever the test created. */
  dispose(): Promise<void>;
  /** Connection string of the throwaway database (postgres only). */
  url?: string;
}

/**
 * A migrated throwaway database on the real Postgres server, dropped by `dispose()`.
 *
 * @example
 * const t = await createTestPostgres();
 * afterAll(() => t.dispose());
 */
export async function createTestPostgres(options: { onQuery?: (q: string) => void } = {}): Promise<TestDb> {
  const name = `triport_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(testServerUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  const handle = await createDb({ url: url.toString(), maxConnections: 20, onQuery: options.onQuery });
  await migrate(handle);
  return {
    ...handle,
    url: url.toString(),
    async dispose() {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A migrated in-memory PGlite database. */
export async function createTestPglite(options: { onQuery?: (q: string) => void } = {}): Promise<TestDb> {
  const handle = await createDb({ url: '', pgliteDir: 'memory://', onQuery: options.onQuery });
  await migrate(handle);
  return { ...handle, dispose: () => handle.close() };
}

/** Both drivers, for `describe.each`: every data test runs against real Postgres and PGlite. */
export const testDrivers = [
  ['postgres', createTestPostgres],
  ['pglite', createTestPglite],
] as const;
