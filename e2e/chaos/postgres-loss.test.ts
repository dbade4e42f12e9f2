import { demoCredentials } from '@triport/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChaosDatabase, createChaosDatabase, type Ledger, readLedger, stockSnapshot } from './support/database.ts';
import { recordFigure } from './support/figures.ts';
import { eventually, sleep, startLoad } from './support/load.ts';
import { type ApiProcess, killAllApis, startApi } from './support/processes.ts';
import { type Call, type Reply, type Style, send, styles, tally } from './support/styles.ts';

let database: ChaosDatabase;
let api: ApiProcess;
let initialStock: Map<number, number>;
const premium = { bearer: demoCredentials.premiumApiKey };

beforeAll(async () => {
  database = await createChaosDatabase();
  initialStock = await stockSnapshot(database.sql);
  api = await startApi('pgloss', {
    DATABASE_URL: database.url,
    RATE_LIMIT_ANONYMOUS: '1000000/1h',
    RATE_LIMIT_PREMIUM: '1000000/1h',
  });
});
afterAll(async () => {
  await killAllApis();
  await database?.dispose();
});

function order(productId: number, quantity = 1): Call {
  return { procedure: 'orders.create', input: { lines: [{ productId, quantity }] }, auth: premium };
}

function consistent(ledger: Ledger) {
  expect(ledger.inconsistentOrders).toBe(0);
  expect(ledger.stockMismatches).toBe(0);
}

describe('Postgres connection loss', () => {
  it('an order whose backend is terminated mid-transaction is a typed 503 with Retry-After in every style, and nothing is half-written', async () => {
    const productId = 11;
    const before = await readLedger(database.sql, initialStock);
    const replies = await database.sql.begin(async (tx) => {
      // Hold the product row: each style's order waits on it inside its transaction.
      await tx`SELECT id FROM products WHERE id = ${productId} FOR UPDATE`;
      const pending = styles.map((style) => send(api.url, style, order(productId)));
      await eventually(async () => (await database.lockWaiters()) === styles.length);
      expect(await database.terminateApiBackends({ onlyLockWaiters: true })).toBe(styles.length);
      return Promise.all(pending);
    });
    const byStyle = Object.fromEntries(replies.map((r) => [r.style, r])) as Record<Style, Reply>;
    for (const reply of replies) {
      expect(reply.outcome, `${reply.style}: ${reply.body.slice(0, 300)}`).toBe('UNAVAILABLE');
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(reply.body).not.toMatch(/terminating connection|pg_|postgres|\bat \w+ \(|node_modules/i);
    }
    expect(byStyle.rest.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(byStyle.rest.body).toContain('"type":"https://triport.dev/problems/unavailable"');
    expect(byStyle.soap11.body).toMatch(/<faultcode>soap:Server<\/faultcode>/);
    expect(byStyle.soap12.body).toMatch(/<env:Value>env:Receiver<\/env:Value>/);

    const after = await readLedger(database.sql, initialStock);
    expect(after.orders).toBe(before.orders);
    expect(after.stock).toBe(before.stock);
    consistent(after);
    // The pool recovers without a restart: the same order now succeeds in every style.
    for (const style of styles) expect((await send(api.url, style, order(productId))).outcome).toBe('OK');
    expect(api.child.exitCode).toBeNull();
  });

  it('under mixed load, repeated termination of every backend gives 503s (never a 500 or a crash), then full recovery', async () => {
    const before = await readLedger(database.sql, initialStock);
    const reads: Call[] = [
      { procedure: 'catalog.product', input: { id: 3 } },
      { procedure: 'catalog.search', input: { q: 'shoe', limit: 5 } },
      { procedure: 'orders.list', input: { limit: 5 }, auth: premium },
    ];
    let okOrders = 0;
    const load = startLoad(6, async (i) => {
      const style = styles[i % styles.length]!;
      // Two in three requests write: orders over 40 products, so locks and transactions are in flight.
      const isOrder = i % 3 !== 2;
      const reply = await send(api.url, style, isOrder ? order(20 + (i % 40)) : reads[i % reads.length]!);
      if (isOrder && reply.outcome === 'OK') okOrders += 1;
      return reply;
    });
    await sleep(1000);
    load.phase('terminations');
    let terminated = 0;
    for (let round = 0; round < 5; round += 1) {
      terminated += await database.terminateApiBackends();
      await sleep(400);
    }
    load.phase('after');
    await sleep(1500);
    const results = await load.stop();

    const statuses = tally(results.map((r) => r.status));
    const outcomes = tally(results.map((r) => r.reply?.outcome ?? String(r.status)));
    recordFigure('postgres-loss', { terminatedBackends: terminated, requests: results.length, statuses, outcomes });
    expect(terminated).toBeGreaterThan(0);
    expect(api.child.exitCode, api.output().split('\n').filter((l) => !l.includes('Authentication failed')).join('\n').slice(-3000)).toBeNull();
    // Only successes, sold-out conflicts and typed 503s: no 500, no unrecognised body, no dropped socket.
    for (const r of results) {
      expect(['OK', 'CONFLICT', 'UNAVAILABLE'], `${r.phase} ${r.status} ${r.reply?.body.slice(0, 300)}`).toContain(r.reply?.outcome);
      if (r.reply?.outcome === 'UNAVAILABLE') expect(r.reply.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    // After the faults the pool serves everything again, in every style (same process).
    for (const style of styles) {
      for (const call of reads) {
        const r = await send(api.url, style, call);
        expect(r.outcome, `${style} ${call.procedure} ${r.body.slice(0, 200)}\n${api.output().slice(-3000)}`).toBe('OK');
      }
      expect((await send(api.url, style, order(60))).outcome).toBe('OK');
    }
    const after = await readLedger(database.sql, initialStock);
    consistent(after);
    // Every order answered OK is in the database. (An order can also commit while its reply is lost with
    // the connection: the client saw a 503 — what Idempotency-Key retries are for. Counted, not hidden.)
    const added = after.orders - before.orders - styles.length;
    expect(added).toBeGreaterThanOrEqual(okOrders);
    recordFigure('postgres-loss-ledger', { ordersAdded: added, answeredOk: okOrders, committedButAnswered503: added - okOrders });
  });
});
