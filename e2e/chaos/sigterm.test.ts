import { demoCredentials } from '@triport/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChaosDatabase, createChaosDatabase, readLedger, stockSnapshot } from './support/database.ts';
import { recordFigure } from './support/figures.ts';
import { eventually, startLoad } from './support/load.ts';
import { killAllApis, startApi } from './support/processes.ts';
import { type Call, send, styles, tally } from './support/styles.ts';

let database: ChaosDatabase;
/** Stock as seeded: every unit missing later must sit in a placed order. */
let initial: Map<number, number>;
beforeAll(async () => {
  database = await createChaosDatabase();
  initial = await stockSnapshot(database.sql);
});
afterAll(async () => {
  await killAllApis();
  await database?.dispose();
});

const env = () => ({ DATABASE_URL: database.url, RATE_LIMIT_ANONYMOUS: '1000000/1h', RATE_LIMIT_PREMIUM: '1000000/1h' });
const order = (productId: number): Call => ({
  procedure: 'orders.create',
  input: { lines: [{ productId, quantity: 1 }] },
  auth: { bearer: demoCredentials.premiumApiKey },
});

/** True once a new TCP connection to the port is refused. */
async function refusesConnections(url: string): Promise<boolean> {
  return fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
    () => false,
    (error: Error) => (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED',
  );
}

describe('SIGTERM under load', () => {
  it('refuses new connections at once, finishes the in-flight requests, and exits 0', async () => {
    const api = await startApi('drain', { ...env(), API_SHUTDOWN_TIMEOUT_MS: '20000' });
    const before = await readLedger(database.sql, initial);
    const load = startLoad(4, (i) => send(api.url, styles[i % styles.length]!, { procedure: 'catalog.product', input: { id: 1 + (i % 50) } }));
    let inFlight: Promise<Array<{ outcome: string; status: number }>> | undefined;
    let exitedWhileHeld: boolean | undefined;
    let refusedWhileHeld = false;
    let signalled = 0;
    await database.sql.begin(async (tx) => {
      // Orders in every style wait behind this row lock: they are in flight when the signal arrives.
      await tx`SELECT id FROM products WHERE id = 9 FOR UPDATE`;
      inFlight = Promise.all(styles.map((style) => send(api.url, style, order(9), 60_000)));
      await eventually(async () => (await database.lockWaiters()) === styles.length);
      load.phase('draining');
      api.child.kill('SIGTERM');
      signalled = performance.now();
      await eventually(() => refusesConnections(api.url));
      refusedWhileHeld = true;
      exitedWhileHeld = api.child.exitCode !== null;
    });
    const replies = await inFlight!;
    const code = await api.exited;
    const signalToExitMs = Math.round(performance.now() - signalled);
    const results = await load.stop();

    const loadOutcomes = tally(results.map((r) => `${r.phase}:${r.reply?.outcome ?? r.status}`));
    recordFigure('sigterm-drain', { inFlightOutcomes: replies.map((r) => r.outcome), exitCode: code, signalToExitMs, load: loadOutcomes });
    expect(refusedWhileHeld).toBe(true);
    expect(exitedWhileHeld).toBe(false);
    expect(replies.map((r) => r.outcome)).toEqual(styles.map(() => 'OK'));
    expect(code).toBe(0);
    // Load requests either completed or could not connect; none got a 5xx or an unrecognised body.
    for (const r of results) {
      if (r.reply) expect(r.reply.outcome).toBe('OK');
      else expect(r.status).toBe('TypeError'); // fetch failed: connection refused or closed
    }
    const after = await readLedger(database.sql, initial);
    expect(after.orders - before.orders).toBe(styles.length);
    expect(after.stockMismatches).toBe(0);
  });

  it('exits within the drain budget when a request never finishes, and nothing is half-written', async () => {
    const api = await startApi('drain-bound', { ...env(), API_SHUTDOWN_TIMEOUT_MS: '1500' });
    const before = await readLedger(database.sql, initial);
    let outcome: string | undefined;
    let code: number | string | undefined;
    let signalToExitMs = 0;
    await database.sql.begin(async (tx) => {
      await tx`SELECT id FROM products WHERE id = 10 FOR UPDATE`;
      const stuck = send(api.url, 'rest', order(10), 60_000).then(
        (r) => r.outcome,
        (error: Error) => `${error.name}`,
      );
      await eventually(async () => (await database.lockWaiters()) === 1);
      api.child.kill('SIGTERM');
      const signalled = performance.now();
      // The lock is still held: only the budget can end the process.
      code = await api.exited;
      signalToExitMs = Math.round(performance.now() - signalled);
      outcome = await stuck;
    });
    recordFigure('sigterm-bound', { budgetMs: 1500, exitCode: code, signalToExitMs, stuckRequest: outcome });
    expect(code).toBe(1);
    expect(outcome).toBe('TypeError'); // the socket was closed under it
    const after = await readLedger(database.sql, initial);
    expect(after.orders).toBe(before.orders);
    expect(after.stockMismatches).toBe(0);
    expect(after.inconsistentOrders).toBe(0);
  });
});
