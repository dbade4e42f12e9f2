import { demoCredentials } from '@triport/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChaosDatabase, createChaosDatabase } from './support/database.ts';
import { recordFigure } from './support/figures.ts';
import { eventually, sleep, startLoad } from './support/load.ts';
import { type ApiProcess, killAllApis, type RedisProcess, startApi, startRedis } from './support/processes.ts';
import { type Call, send, styles, tally } from './support/styles.ts';

/**
 * Our own redis-server (never the shared one) under two instances that differ only in
 * RATE_LIMIT_FAIL: it is SIGKILLed mid-load and started again, empty.
 */
let database: ChaosDatabase;
let redis: RedisProcess;
let failOpen: ApiProcess;
let failClosed: ApiProcess;

beforeAll(async () => {
  database = await createChaosDatabase();
  redis = await startRedis();
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: 'chaos:',
    RATE_LIMIT_ANONYMOUS: '1000000/1h',
    RATE_LIMIT_PREMIUM: '1000000/1h',
  };
  [failOpen, failClosed] = await Promise.all([
    startApi('redis-open', { ...env, RATE_LIMIT_FAIL: 'open' }),
    startApi('redis-closed', { ...env, RATE_LIMIT_FAIL: 'closed' }),
  ]);
});
afterAll(async () => {
  await killAllApis();
  await redis?.kill();
  await database?.dispose();
});

const calls: Call[] = [
  { procedure: 'catalog.product', input: { id: 5 } },
  { procedure: 'catalog.search', input: { q: 'lamp', limit: 5 } },
  { procedure: 'orders.list', input: { limit: 5 }, auth: { bearer: demoCredentials.premiumApiKey } },
];

describe('Redis killed and restarted under load', () => {
  it('follows RATE_LIMIT_FAIL on each instance, never answers 500, and recovers without a restart', async () => {
    // Warm-up: the limiter's Lua scripts get loaded (NOSCRIPT → EVAL) before the measured phases.
    for (const api of [failOpen, failClosed]) for (const call of calls) await send(api.url, 'trpc', call);
    const load = startLoad(6, (i) => {
      const api = i % 2 === 0 ? failOpen : failClosed;
      return send(api.url, styles[(i >> 1) % styles.length]!, calls[i % calls.length]!).then((reply) => ({ ...reply, instance: api.name }));
    });
    await sleep(1000);
    load.phase('outage');
    await redis.kill();
    await sleep(2500);
    load.phase('recovery');
    await redis.start();
    // Recovered when both instances answer with rate-limit fields again (the limiter talks to Redis),
    // three checks in a row (ioredis may reconnect more than once while the server comes up).
    let streak = 0;
    await eventually(async () => {
      const replies = await Promise.all([failOpen, failClosed].map((api) => send(api.url, 'trpc', calls[0]!)));
      streak = replies.every((r) => r.outcome === 'OK' && r.headers.get('ratelimit') !== null) ? streak + 1 : 0;
      return streak >= 3;
    }, 150);
    load.phase('after');
    await sleep(1000);
    const results = await load.stop();

    const summary: Record<string, Record<string, number>> = {};
    for (const phase of ['before', 'outage', 'recovery', 'after']) {
      for (const api of [failOpen, failClosed]) {
        summary[`${api.name}/${phase}`] = tally(
          results
            .filter((r) => r.phase === phase && r.endPhase === phase && (r.reply as { instance?: string } | undefined)?.instance === api.name)
            .map((r) => r.reply?.outcome ?? r.status),
        );
      }
    }
    recordFigure('redis-outage', summary);

    for (const r of results) {
      const instance = (r.reply as { instance?: string } | undefined)?.instance;
      // Every request got a typed answer: no 500, no dropped connection, nothing unrecognised.
      expect(['OK', 'UNAVAILABLE'], `${instance} ${r.phase} ${r.status} ${r.reply?.body.slice(0, 200)}`).toContain(r.reply?.outcome);
      if (instance === failOpen.name) expect(r.reply?.outcome, `${r.phase} ${r.reply?.body.slice(0, 200)}`).toBe('OK');
      if (r.reply?.outcome === 'UNAVAILABLE') {
        expect(instance).toBe(failClosed.name);
        expect(r.reply.headers.get('retry-after')).toMatch(/^\d+$/);
      }
    }
    // Fail-closed refused during the outage (the policy was applied), and admitted before and after it.
    expect(summary['redis-closed/outage']?.UNAVAILABLE ?? 0).toBeGreaterThan(0);
    // (Phases count requests that started and ended in them; one in flight when Redis dies may be refused.)
    expect(summary['redis-closed/before']).toEqual({ OK: expect.any(Number) });
    expect(summary['redis-closed/after']).toEqual({ OK: expect.any(Number) });
    expect(summary['redis-open/outage']?.OK ?? 0).toBeGreaterThan(0);
    expect(failOpen.child.exitCode).toBeNull();
    // Same processes throughout; and they still shut down cleanly.
    expect(await failClosed.stop()).toBe(0);
  });
});
