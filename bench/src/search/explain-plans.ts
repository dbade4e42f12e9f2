/**
 * Captures the SQL `catalog.search` runs for the main query shapes and writes
 * `EXPLAIN (ANALYZE, BUFFERS)` of each statement to bench/results/search-plans.md.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/triport_bench_search_1m npx tsx bench/src/search/explain-plans.ts [--out file]
 *
 * Run it against a seeded catalog (the search benchmark's 1M database with --keep). Default output:
 * bench/results/search-plans.md (the 10k plans go to search-plans-10k.md).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Cache, createCaller, createMemoryCache, internalContext } from '@triport/core';
import { type Database, queryRows, schema } from '@triport/db';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

interface Captured {
  query: string;
  params: unknown[];
}

const shapes: Array<{ title: string; input: Record<string, unknown>; note?: string }> = [
  { title: 'Exact word, relevance (broad: ~35k matches, ranked and counted in a window of the newest ids)', input: { q: 'laptop' } },
  { title: 'Two words, relevance', input: { q: 'wireless headphones' } },
  { title: 'Typo: corrected against the vocabulary', input: { q: 'hedphones' } },
  { title: 'Prefix (search-as-you-type)', input: { q: 'mechanical key' } },
  { title: 'Short prefix completed from the vocabulary (`d` → desk, ...)', input: { q: 'standing d' } },
  { title: 'Broad word sorted by price (items: price index walk, exact; facets: window)', input: { q: 'coffee', sort: 'price_desc' } },
  { title: 'Text + filters + facets', input: { q: 'headphones', brand: ['Sonora'], minRating: 4 } },
  { title: 'Category page, price ascending (facets from the cube)', input: { category: 'laptops', sort: 'price_asc' } },
  { title: 'Filters off the facet edges (exact SQL up to 20k products, enclosing bands from the cube above)', input: { category: 'coffee', minPrice: 1_234, maxPrice: 4_321 } },
  { title: 'Department page sorted by price (merged per-category ranges)', input: { category: 'electronics', sort: 'price_asc', facets: false } },
  { title: 'Deep page (page 21) of a broad word', input: { q: 'headphones', facets: false }, note: 'deep' },
  { title: 'Newest, whole catalog, no facets', input: { sort: 'newest', facets: false } },
  { title: 'Two misspelled words (both corrected)', input: { q: 'hedphnes wirless' } },
  { title: 'Known words that never meet: fuzzy fallback (trigram word similarity on names)', input: { q: 'laptop yoga' } },
];

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a seeded catalog');
  const client = postgres(url, { max: 2, onnotice: () => {} });
  let captured: Captured[] = [];
  const db = drizzle(client, {
    schema,
    logger: { logQuery: (query, params) => void captured.push({ query, params }) },
  }) as unknown as Database;
  const memory = createMemoryCache({ defaultTtlMs: 3_600_000 });
  const cache: Cache = {
    getOrLoad: (key, load, options) => (key.startsWith('search:') ? load() : memory.getOrLoad(key, load, options)),
    invalidateTags: (tags) => memory.invalidateTags(tags),
  };
  const caller = createCaller(internalContext({ db, cache }));
  const [info] = await queryRows<{ n: number; v: string }>(db, sql`SELECT (SELECT count(*)::int FROM products) AS n, current_setting('server_version') AS v`);

  const out = [
    '# catalog.search query plans',
    '',
    `EXPLAIN (ANALYZE, BUFFERS) of every statement \`catalog.search\` sends, captured from the procedure itself, on ` +
      `${info?.n.toLocaleString('en-US')} seeded products (seed 42, clustered by category), Postgres ${info?.v}, ` +
      `shared_buffers 128MB, ${new Date().toISOString()}. Each shape runs once to warm the caches first. ` +
      'Timings vary with the load of the shared 2-core machine; buffer counts do not. Reasoning: docs/search.md.',
    '',
  ];
  // Warm the tree and the facet cube outside the captures.
  await caller.catalog.search({ limit: 1 });
  for (const shape of shapes) {
    let input = shape.input;
    if (shape.note === 'deep') {
      for (let page = 0; page < 20; page++) {
        const r = await caller.catalog.search(input as never);
        if (!r.nextCursor) break;
        input = { ...input, cursor: r.nextCursor };
      }
    }
    await caller.catalog.search(input as never);
    captured = [];
    await caller.catalog.search(input as never);
    const statements = captured;
    captured = [];
    out.push(`## ${shape.title}`, '', `Input: \`${JSON.stringify(shape.input)}\``, '');
    let jitOff = false;
    let n = 0;
    for (const c of statements) {
      // The procedure runs its heavy statements after `SET LOCAL jit = off` (search.ts, withoutJit).
      if (/^\s*set local jit = off/i.test(c.query)) {
        jitOff = true;
        continue;
      }
      if (!/^\s*(select|with)/i.test(c.query)) continue;
      const rows = await client.begin(async (tx) => {
        if (jitOff) await tx.unsafe('SET LOCAL jit = off');
        return tx.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${c.query}`, c.params as never[]);
      });
      const plan = (rows as unknown as Array<Record<string, unknown>>).map((r) => String(Object.values(r)[0])).join('\n');
      n++;
      const title = `### Statement ${n}${jitOff ? ' (jit off)' : ''}`;
      jitOff = false;
      out.push(title, '', '```sql', c.query.replace(/\s+/g, ' ').trim(), '```', '', `Params: \`${JSON.stringify(c.params)}\``, '', '```', plan, '```', '');
    }
  }
  await client.end();
  const outPath = process.argv[process.argv.indexOf('--out') + 1];
  const file = process.argv.includes('--out') && outPath ? path.resolve(outPath) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../results/search-plans.md');
  writeFileSync(file, `${out.join('\n')}\n`);
  process.stderr.write(`wrote ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`explain-plans failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
