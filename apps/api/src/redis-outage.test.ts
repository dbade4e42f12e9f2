import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, type TestInstance } from './internal/testing/harness.ts';
import { request, trpcQuery, until } from './internal/testing/http.ts';
import { sparePort, startRedisServer } from './internal/testing/redis-server.ts';

let db: TestDb;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
const open: TestInstance[] = [];

beforeAll(async () => {
  db = await createTestPostgres();
  // Our own redis-server: this test stops it. The shared one on 6379 is never touched.
  redis = await startRedisServer(await sparePort());
});
afterAll(async () => {
  for (const i of open) await i.close();
  await redis.stop();
  await db.dispose();
});

describe('Redis stopped mid-run', () => {
  it('follows RATE_LIMIT_FAIL without hanging, counts the failures, and recovers when Redis returns', async () => {
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: 'outage:', RATE_LIMIT_ANONYMOUS: '1000/1h', REDIS_TIMEOUT_MS: '1000' };
    const closed = await startInstance(db, { ...env, RATE_LIMIT_FAIL: 'closed' });
    const openInstance = await startInstance(db, { ...env, RATE_LIMIT_FAIL: 'open' });
    open.push(closed, openInstance);

    const before = await request(trpcQuery(closed.url, 'auth.me'));
    expect(before.status).toBe(200);
    expect(before.headers.get('ratelimit')).toMatch(/^"anonymous";r=\d+;t=\d+$/);

    await redis.stop();

    const refused = await request(trpcQuery(closed.url, 'auth.me'));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('ratelimit')).toBeNull();
    expect(refused.json<{ error: { data: { code: string; requestId: string } } }>().error.data).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      requestId: refused.headers.get('x-request-id'),
    });
    const restRefused = await request(`${closed.url}/rest/v1/auth/me`);
    expect(restRefused.status).toBe(503);

    const admitted = await request(trpcQuery(openInstance.url, 'auth.me'));
    expect(admitted.status).toBe(200);
    expect(admitted.headers.get('ratelimit-policy')).toBe('"anonymous";q=1000;w=3600');
    expect(admitted.headers.get('ratelimit')).toBeNull();

    const health = await request(`${closed.url}/healthz`);
    expect(health.status).toBe(503);
    expect(health.json()).toMatchObject({ status: 'down', database: { status: 'up' }, redis: { status: 'down' } });
    const openHealth = await request(`${openInstance.url}/healthz`);
    expect(openHealth.status).toBe(200);
    expect(openHealth.json()).toMatchObject({ status: 'degraded', redis: { status: 'down' } });

    const metrics = await request(`${closed.url}/metrics`);
    expect(metrics.body).toMatch(/triport_ratelimit_store_failures_total [1-9]/);
    expect(closed.logs.some((l) => l.msg === 'Rate-limit store unavailable; failing closed')).toBe(true);
    expect(openInstance.logs.some((l) => l.msg === 'Rate-limit store unavailable; failing open')).toBe(true);

    // Redis returns empty (no scripts cached): NOSCRIPT → EVAL, and limiting resumes.
    await redis.start();
    await until(async () => (await request(trpcQuery(closed.url, 'auth.me'))).status === 200);
    const after = await request(trpcQuery(closed.url, 'auth.me'));
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit')).toMatch(/^"anonymous";r=\d+;t=\d+$/);
    expect((await request(`${closed.url}/healthz`)).status).toBe(200);
  });

  it('does not wait for a Redis that stops answering (command timeout, then the fail policy)', async () => {
    const closed = await startInstance(db, {
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'hung:',
      RATE_LIMIT_ANONYMOUS: '1000/1h',
      RATE_LIMIT_FAIL: 'closed',
      REDIS_TIMEOUT_MS: '1000',
    });
    open.push(closed);
    expect((await request(trpcQuery(closed.url, 'auth.me'))).status).toBe(200);
    const admin = new Redis(redis.url);
    // The server blocks for 3 s (> the 1 s budget); a request that waited for it would end with 200.
    const sleeping = admin.call('DEBUG', 'SLEEP', '3');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reply = await request(trpcQuery(closed.url, 'auth.me'));
    expect(reply.status).toBe(503);
    await sleeping;
    admin.disconnect();
    await until(async () => (await request(trpcQuery(closed.url, 'auth.me'))).status === 200);
  });
});
