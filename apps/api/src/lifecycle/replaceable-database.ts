import type { Database, DbHandle } from '@triport/db';

export interface ReplaceableDatabase {
  /** Stands in for the database everywhere it was handed out; calls go to the current pool. */
  db: Database;
  /**
   * Opens a fresh pool, routes every new call to it, and closes the old one after `graceMs` (its
   * in-flight queries finish or fail). Concurrent calls share one replacement.
   */
  replace(): Promise<void>;
  /** Closes the current pool (and an old one still closing). */
  close(): Promise<void>;
  /** How many times the pool was replaced. */
  replacements(): number;
}

/**
 * A drizzle database whose postgres.js pool can be swapped while the process runs. Needed because a
 * connection that hit the driver's write-after-close bug (see driver-crash-guard.ts) keeps a stale
 * write buffer and never flushes it correctly again: the only safe repair is a new pool.
 *
 * @example
 * const database = replaceableDatabase(api.database, () => createDb({ url }));
 * api.services.db = database.db;
 * await database.replace();
 */
export function replaceableDatabase(initial: DbHandle, open: () => Promise<DbHandle>, graceMs = 5_000): ReplaceableDatabase {
  let current = initial;
  let pending: Promise<void> | undefined;
  let retiring: Promise<void> = Promise.resolve();
  let count = 0;
  const db = new Proxy(initial.db, {
    get(_target, property) {
      const target = current.db;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    db,
    replace() {
      pending ??= open()
        .then((fresh) => {
          const old = current;
          current = fresh;
          count += 1;
          retiring = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()).then(() => old.close().catch(() => {}));
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    async close() {
      await pending?.catch(() => {});
      await Promise.all([current.close(), retiring]);
    },
    replacements: () => count,
  };
}
