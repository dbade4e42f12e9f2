import { randomUUID } from 'node:crypto';
import { createDb, idempotencyKeys } from '@triport/db';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../internal/testing/http.ts';
import { type PurgeLogger, startIdempotencyPurge } from './purge-idempotency.ts';

/** Collects what the job logs (a recorder, not a mock: the database underneath is real). */
function recordingLogger() {
  const lines: Array<{ level: 'debug' | 'info' | 'warn'; fields: Record<string, unknown>; message: string }> = [];
  const logger: PurgeLogger = {
    debug: (fields, message) => lines.push({ level: 'debug', fields, message }),
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
  };
  return { lines, logger };
}

/** Ref'd timers of this process (unref'd ones are not listed by Node). */
const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

let t: TestDb;
beforeAll(async () => {
  t = await createTestPostgres();
});
afterAll(() => t.dispose());

async function insertKeys(expired: boolean, count: number): Promise<string[]> {
  const scope = `purge-test:${randomUUID()}`;
  const keys = Array.from({ length: count }, () => randomUUID());
  await t.db.insert(idempotencyKeys).values(
    keys.map((key) => ({
      scope,
      key,
      operation: 'orders.create',
      requestHash: 'h',
      expiresAt: expired ? sql`now() - interval '1 minute'` : sql`now() + interval '1 hour'`,
    })),
  );
  return keys;
}

async function remaining(keys: string[]): Promise<number> {
  const rows = await t.db.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(inArray(idempotencyKeys.key, keys));
  return rows.length;
}

describe('startIdempotencyPurge', () => {
  it('deletes expired keys on every run, keeps live ones, and stops', async () => {
    const expired = await insertKeys(true, 3);
    const live = await insertKeys(false, 2);
    const { lines, logger } = recordingLogger();
    const timersBefore = refTimers();
    const stop = startIdempotencyPurge(t.db, { everyMs: 20, logger });
    // The timer never keeps the process alive.
    expect(refTimers()).toBe(timersBefore);

    await until(async () => (await remaining(expired)) === 0);
    expect(await remaining(live)).toBe(2);
    expect(lines.find((l) => l.level === 'info')?.fields).toMatchObject({ deleted: 3 });

    // Keys that expire later are taken by a later run.
    const later = await insertKeys(true, 2);
    await until(async () => (await remaining(later)) === 0);

    await stop();
    const runs = lines.length;
    const afterStop = await insertKeys(true, 1);
    // Several periods later: no run happened after stop resolved.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(lines.length).toBe(runs);
    expect(await remaining(afterStop)).toBe(1);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('waits for everyMs before the first run when runAtStart is false', async () => {
    const expired = await insertKeys(true, 1);
    const { lines, logger } = recordingLogger();
    const stop = startIdempotencyPurge(t.db, { everyMs: 60_000, logger, runAtStart: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await stop();
    expect(lines).toEqual([]);
    expect(await remaining(expired)).toBe(1);
  });

  it('logs a failed run instead of throwing, and keeps trying', async () => {
    // A real fault, no mock: nothing listens on port 1, so every run gets ECONNREFUSED.
    const unreachable = await createDb({ url: 'postgres://postgres@127.0.0.1:1/unreachable' });
    const { lines, logger } = recordingLogger();
    const stop = startIdempotencyPurge(unreachable.db, { everyMs: 10, logger });
    await until(async () => lines.filter((l) => l.level === 'warn').length >= 2);
    await stop();
    await unreachable.close();
    expect(lines.every((l) => l.level === 'warn')).toBe(true);
    expect(lines[0]?.message).toMatch(/purge failed/);
    expect(String(lines[0]?.fields.err)).not.toBe('');
  });

  it('refuses a non-positive period', () => {
    expect(() => startIdempotencyPurge(t.db, { everyMs: 0 })).toThrow(/everyMs/);
  });
});
