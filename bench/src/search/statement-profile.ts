/**
 * Where a search's time goes: per query of the bench mix, the statements `catalog.search` sends,
 * their wall time from Node (round trip included), and the time left in JS; then the server's own
 * planning and execution time of each statement (EXPLAIN ANALYZE).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/triport_bench_search_10k npx tsx bench/src/search/statement-profile.ts [--runs 20] [--explain]
 */
import { parseArgs } from 'node:util';
import { type Cache, createCaller, createMemoryCache, internalContext } from '@triport/core';
import { type Database, schema } from '@triport/db';
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { queryMix, searchShapes } from './query-mix.ts';

interface Statement {
  query: string;
  params: unknown[];
  ms: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, explain: { type: 'boolean', default: false }, plan: { type: 'boolean', default: false }, q: { type: 'string' }, shape: { type: 'string' } } });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a seeded catalog');
  const runs = Number(values.runs);
  const client = postgres(url, { max: 4, onnotice: () => {} });
  let pending: { query: string; params: unknown[] } | null = null;
  let log: Statement[] = [];
  const db = drizzle(client, { schema, logger: { logQuery: (query, params) => {
    pending = { query, params };
  } } }) as unknown as Database;
  const execute = db.execute.bind(db);
  (db as unknown as { execute: (q: SQL) => Promise<unknown> }).execute = async (q: SQL) => {
    const started = performance.now();
    const result = await execute(q);
    // drizzle logs a statement when it is sent (after this call returns its promise), so read it now.
    const captured = pending as { query: string; params: unknown[] } | null;
    log.push({ query: captured?.query ?? '?', params: captured?.params ?? [], ms: performance.now() - started });
    return result;
  };
  const memory = createMemoryCache({ defaultTtlMs: 3_600_000 });
  const cache: Cache = {
    getOrLoad: (key, load, options) => (key.startsWith('search:') ? load() : memory.getOrLoad(key, load, options)),
    invalidateTags: (tags) => memory.invalidateTags(tags),
  };
  const caller = createCaller(internalContext({ db, cache }));
  await caller.catalog.search({ limit: 1 });
  for (const shape of searchShapes) {
    if (values.shape && values.shape !== shape) continue;
    for (const c of queryMix[shape]) {
      if (values.q && c.input.q !== values.q && JSON.stringify(c.input) !== values.q) continue;
      let input = c.input as Parameters<typeof caller.catalog.search>[0];
      for (let page = 0; page < (c.depth ?? 0); page++) {
        const r = await caller.catalog.search(input);
        if (!r.nextCursor) break;
        input = { ...input, cursor: r.nextCursor };
      }
      await caller.catalog.search(input);
      const totals: number[] = [];
      const perStatement: number[][] = [];
      let last: Statement[] = [];
      for (let i = 0; i < runs; i++) {
        log = [];
        const started = performance.now();
        await caller.catalog.search(input);
        totals.push(performance.now() - started);
        log.forEach((s, j) => {
          const times = perStatement[j] ?? [];
          times.push(s.ms);
          perStatement[j] = times;
        });
        last = log;
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
      const stmtMedians = perStatement.map(median);
      const total = median(totals);
      const sqlSum = stmtMedians.reduce((a, b) => a + b, 0);
      process.stdout.write(`\n[${shape}] ${JSON.stringify(c.input)}  total ${total.toFixed(2)} ms, ${last.length} statements ${sqlSum.toFixed(2)} ms, rest ${(total - sqlSum).toFixed(2)} ms\n`);
      for (const [j, s] of last.entries()) {
        let server = '';
        if (values.explain && /^\s*(select|with)/i.test(s.query)) {
          const rows = (await client.unsafe(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.query}`, s.params as never[])) as unknown as Array<{ 'QUERY PLAN': Array<{ 'Planning Time': number; 'Execution Time': number }> }>;
          const plan = rows[0]?.['QUERY PLAN'][0];
          server = ` plan ${plan?.['Planning Time'].toFixed(2)} exec ${plan?.['Execution Time'].toFixed(2)}`;
        }
        process.stdout.write(`   ${stmtMedians[j]?.toFixed(2)} ms${server}  ${s.query.replace(/\s+/g, ' ').slice(0, 110)}\n`);
        if (values.plan && /^\s*(select|with)/i.test(s.query)) {
          const rows = (await client.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${s.query}`, s.params as never[])) as unknown as Array<Record<string, string>>;
          process.stdout.write(`${rows.map((r) => Object.values(r)[0]).join('\n')}\n`);
        }
      }
    }
  }
  await client.end();
}

main().catch((error: unknown) => {
  process.stderr.write(`statement-profile failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
