import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Logger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** One type for both drivers: everything we use is on the shared `PgDatabase` base class. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  /** Where it points, without credentials, for logs and `/healthz`. */
  target: string;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** Postgres connection string; unset → embedded PGlite. Defaults to `process.env.DATABASE_URL`. */
  url?: string | undefined;
  /** PGlite data directory (`memory://` for an in-memory database). Default `<repo>/.data/pglite`. */
  pgliteDir?: string | undefined;
  /** postgres.js pool size. */
  maxConnections?: number;
  /** Called for every SQL statement: query counting in tests, DB metrics in the API. */
  onQuery?: (query: string) => void;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const defaultPgliteDir = path.join(repoRoot, '.data', 'pglite');

/**
 * Opens the database: Postgres via postgres.js when a URL is given, embedded PGlite otherwise.
 *
 * @example
 * const { db, close } = await createDb(); // DATABASE_URL or .data/pglite
 * const rows = await db.select().from(products).limit(5);
 * await close();
 */
export async function createDb(options: CreateDbOptions = {}): Promise<DbHandle> {
  const url = options.url === undefined ? process.env.DATABASE_URL : options.url;
  const logger: Logger | undefined = options.onQuery
    ? { logQuery: (query) => options.onQuery?.(query) }
    : undefined;

  if (url) {
    const client = postgres(url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      connect_timeout: 5,
      idle_timeout: 60,
    });
    const db = drizzlePostgres(client, { schema, logger }) as unknown as Database;
    return { db, kind: 'postgres', target: redactUrl(url), close: () => client.end({ timeout: 5 }) };
  }

  const dataDir = options.pgliteDir ?? process.env.PGLITE_DIR ?? defaultPgliteDir;
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema, logger }) as unknown as Database;
  return { db, kind: 'pglite', target: dataDir, close: () => client.close() };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}
