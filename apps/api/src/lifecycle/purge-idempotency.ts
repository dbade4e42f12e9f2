import { purgeExpiredIdempotencyKeys } from '@triport/core';
import type { Database } from '@triport/db';

/** The slice of a pino logger the job writes to. */
export interface PurgeLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface IdempotencyPurgeOptions {
  /** Pause between two runs (ms), measured from the end of one run to the start of the next. */
  everyMs: number;
  /** Where runs and failures are reported; failures are never thrown. */
  logger?: PurgeLogger;
  /** Run once right away instead of after the first pause (default true: a restart catches up). */
  runAtStart?: boolean;
}

/** Once an hour: expired keys are reclaimed on reuse anyway, the purge only bounds the table's size. */
export const defaultIdempotencyPurgeEveryMs = 3_600_000;

/**
 * Deletes expired idempotency keys periodically. One run at a time (the next one is scheduled when the
 * previous one ends, so a slow database never stacks deletes), the timer is unref'd (it never keeps the
 * process alive), and a failed run is logged and retried at the next tick. Returns `stop`, which cancels
 * the next run and resolves once a run in progress has finished, so shutdown can close the database after.
 *
 * @example
 * const stopPurge = startIdempotencyPurge(api.services.db, { everyMs: 3_600_000, logger: api.logger });
 * // on shutdown, before closing the database:
 * await stopPurge();
 */
export function startIdempotencyPurge(db: Database, options: IdempotencyPurgeOptions): () => Promise<void> {
  const { everyMs, logger, runAtStart = true } = options;
  if (!Number.isFinite(everyMs) || everyMs <= 0) throw new Error(`everyMs must be a positive number, got ${everyMs}`);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(tick, delayMs);
    timer.unref();
  };
  function tick() {
    timer = undefined;
    running = runOnce().finally(() => schedule(everyMs));
  }
  async function runOnce(): Promise<void> {
    const started = performance.now();
    try {
      const deleted = await purgeExpiredIdempotencyKeys(db);
      const ms = Math.round(performance.now() - started);
      if (deleted > 0) logger?.info({ deleted, ms }, 'Purged expired idempotency keys');
      else logger?.debug({ deleted, ms }, 'No expired idempotency keys');
    } catch (error) {
      logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'Idempotency key purge failed; retrying at the next run');
    }
  }

  schedule(runAtStart ? 0 : everyMs);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    await running;
  };
}
