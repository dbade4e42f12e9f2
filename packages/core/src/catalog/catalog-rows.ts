import { type Database, queryRows } from '@triport/db';
import type { Logger, SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

const dialect = new PgDialect();

interface PostgresJsClient {
  unsafe(query: string, params: unknown[], options: { prepare: boolean }): Promise<unknown>;
}

/** The postgres.js client behind a drizzle database (not a transaction, not PGlite), if any. */
function postgresJsClient(db: Database): PostgresJsClient | null {
  const client = (db as unknown as { $client?: { unsafe?: unknown; options?: unknown } }).$client;
  return client && typeof client.unsafe === 'function' && client.options !== undefined ? (client as PostgresJsClient) : null;
}

/**
 * Rows of a catalog statement; with `prepare`, as a named prepared statement on postgres.js.
 *
 * drizzle sends raw SQL unnamed, and postgres.js then spends two round trips on every statement with
 * parameters (Parse/Describe, wait for the types, then Bind/Execute) and Postgres parses it each time.
 * Prepared, a repeated statement is one round trip (Bind/Execute), and after five runs Postgres may
 * reuse a generic plan: 15–25% less CPU per search at 10k products (docs/search.md). Callers prepare
 * only on small catalogs (≤ 20,000 ids), where any plan is bounded by reading a few thousand rows: on
 * a large one a generic plan could walk a sort index past every product (the 8.6 s trap in
 * bench/results/search-plans.md). The statement is still reported to the database's query logger
 * (query counts in tests, DB metrics in the API). PGlite and transactions take the ordinary path.
 */
export async function catalogRows<T extends Record<string, unknown>>(db: Database, query: SQL, prepare: boolean): Promise<T[]> {
  const client = prepare ? postgresJsClient(db) : null;
  if (!client) return queryRows<T>(db, query);
  const { sql: text, params } = dialect.sqlToQuery(query);
  const session = (db as unknown as { _?: { session?: { logger?: Logger } } })._?.session;
  session?.logger?.logQuery(text, params);
  const result: unknown = await client.unsafe(text, params, { prepare: true });
  return result as T[];
}
