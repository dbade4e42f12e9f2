import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, type TestInstance } from './internal/testing/harness.ts';
import { awayFromWindowEdge, redisPrefix, request, SHARED_REDIS, soapCall, trpcQuery } from './internal/testing/http.ts';
import { startUpstashProxy } from './internal/testing/upstash-proxy.ts';

let db: TestDb;
const open: TestInstance[] = [];
const prefixes: Array<{ cleanup(): Promise<void> }> = [];

beforeAll(async () => {
  db = await createTestPostgres();
});
afterAll(async () => {
  for (const i of open) await i.close();
  for (const p of prefixes) await p.cleanup();
  await db.dispose();
});

/** Two instances sharing one Redis key space, with the given anonymous limit. */
async function pair(anonymous: string): Promise<[TestInstance, TestInstance]> {
  const p = redisPrefix();
  prefixes.push(p);
  const env = { REDIS_URL: SHARED_REDIS, REDIS_PREFIX: p.prefix, RATE_LIMIT_ANONYMOUS: anonymous };
  const a = await startInstance(db, env);
  const b = await startInstance(db, env);
  open.push(a, b);
  return [a, b];
}

describe('rate limiting across two instances sharing Redis', () => {
  it('admits exactly the limit, counts the RateLimit field down, then answers 429 in every style', async () => {
    const [a, b] = await pair('10/1h');
    await awayFromWindowEdge(3_600_000, 30_000);
    const replies = [];
    // Alternate instances and styles: tRPC on A, REST on B.
    for (let i = 0; i < 14; i += 1) {
      replies.push(i % 2 === 0 ? await request(trpcQuery(a.url, 'auth.me')) : await request(`${b.url}/rest/v1/auth/me`));
    }
    expect(replies.map((r) => r.status)).toEqual([...Array(10).fill(200), 429, 429, 429, 429]);
    for (const r of replies) expect(r.headers.get('ratelimit-policy')).toBe('"anonymous";q=10;w=3600');
    const remaining = replies.map((r) => Number(/r=(\d+)/.exec(r.headers.get('ratelimit') ?? '')?.[1]));
    expect(remaining).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0]);
    const reset = Number(/t=(\d+)/.exec(replies[0]!.headers.get('ratelimit') ?? '')?.[1]);
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(3600);
    const rejectedTrpc = replies[10]!;
    expect(Number(rejectedTrpc.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(rejectedTrpc.json<{ error: { data: { code: string; requestId: string } } }>().error.data).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      requestId: rejectedTrpc.headers.get('x-request-id'),
    });
    const rejectedRest = replies[11]!;
    expect(rejectedRest.headers.get('content-type')).toContain('application/problem+json');
    expect(rejectedRest.headers.get('retry-after')).not.toBeNull();
    const soap = await soapCall(a.url, '<t:Me/>');
    expect(soap.status).toBe(429);
    expect(soap.body).toContain('Fault');
    expect(soap.headers.get('retry-after')).not.toBeNull();
    expect(soap.headers.get('ratelimit')).toMatch(/^"anonymous";r=0;t=\d+$/);
    // Rejections are counted.
    const metrics = await request(`${a.url}/metrics`);
    expect(metrics.body).toMatch(/triport_ratelimit_rejections_total\{tier="anonymous"\} [1-9]/);
  });

  it('admits exactly the limit when both instances are hit concurrently', async () => {
    const [a, b] = await pair('25/1h');
    await awayFromWindowEdge(3_600_000, 30_000);
    const replies = await Promise.all(
      Array.from({ length: 80 }, (_, i) => request(i % 2 === 0 ? trpcQuery(a.url, 'auth.me') : trpcQuery(b.url, 'auth.me'))),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(25);
    expect(replies.filter((r) => r.status === 429)).toHaveLength(55);
  });

  it('resets after the window', async () => {
    const [a, b] = await pair('3/2s');
    await awayFromWindowEdge(2000, 1000);
    // Concurrent, and counted rather than ordered: robust on a slow machine.
    const burst = async () => {
      const replies = await Promise.all(Array.from({ length: 5 }, (_, i) => request(trpcQuery(i % 2 ? b.url : a.url, 'auth.me'))));
      return replies.filter((r) => r.status === 200).length;
    };
    expect(await burst()).toBe(3);
    // Two window lengths after the current window: nothing of the burst is weighed any more.
    await new Promise((resolve) => setTimeout(resolve, 4000 - (Date.now() % 2000) + 20));
    expect(await burst()).toBe(3);
  });

  it('charges the procedure cost (a failed login spends 10 tokens)', async () => {
    const [a] = await pair('12/1h');
    await awayFromWindowEdge(3_600_000, 30_000);
    // auth.login costs 10 (a failed login still pays).
    const login = await request(`${a.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.test', password: 'whatever-it-is' }),
    });
    expect(login.status).toBe(401);
    expect(login.headers.get('ratelimit')).toMatch(/^"anonymous";r=2;/);
  });
});

describe('one middleware on every procedure', () => {
  it('charges each call of a tRPC batch and reports it in one log line', async () => {
    const [a] = await pair('10/1h');
    await awayFromWindowEdge(3_600_000, 30_000);
    const batch = await request(`${a.url}/trpc/auth.me,auth.me,auth.me?batch=1&input=${encodeURIComponent('{}')}`);
    expect(batch.status).toBe(200);
    expect(batch.json<unknown[]>()).toHaveLength(3);
    expect(batch.headers.get('ratelimit')).toMatch(/^"anonymous";r=7;/);
    const line = a.logs.find((l) => l.requestId === batch.headers.get('x-request-id'));
    expect(line).toMatchObject({ procedure: 'auth.me,auth.me,auth.me', status: 200, style: 'trpc' });
  });
});

describe('the stock @upstash/redis client (UPSTASH_REDIS_REST_URL/_TOKEN)', () => {
  it('limits exactly across two instances through the REST protocol, and fails closed when it is gone', async () => {
    const proxy = await startUpstashProxy(SHARED_REDIS, 'proxy-token');
    const p = redisPrefix();
    prefixes.push(p);
    const env = {
      UPSTASH_REDIS_REST_URL: proxy.url,
      UPSTASH_REDIS_REST_TOKEN: 'proxy-token',
      REDIS_PREFIX: p.prefix,
      RATE_LIMIT_ANONYMOUS: '6/1h',
      RATE_LIMIT_FAIL: 'closed',
    };
    const a = await startInstance(db, env);
    const b = await startInstance(db, env);
    open.push(a, b);
    expect((await request(`${a.url}/healthz`)).json()).toMatchObject({ rateLimitStore: 'upstash', redis: { status: 'disabled' } });
    await awayFromWindowEdge(3_600_000, 30_000);
    const replies = [];
    for (let i = 0; i < 8; i += 1) replies.push(await request(trpcQuery(i % 2 ? b.url : a.url, 'auth.me')));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    expect(replies.map((r) => /r=(\d+)/.exec(r.headers.get('ratelimit') ?? '')?.[1])).toEqual(['5', '4', '3', '2', '1', '0', '0', '0']);
    await proxy.close();
    const refused = await request(trpcQuery(a.url, 'auth.me'));
    expect(refused.status).toBe(503);
  });
});
