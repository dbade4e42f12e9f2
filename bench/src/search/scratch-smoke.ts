import { createDb, refreshSearchTerms } from '@triport/db';
import { createCaller, createMemoryCache, internalContext } from '@triport/core';

const handle = await createDb({ url: process.env.DATABASE_URL });
if (process.argv.includes('--terms')) { const t = performance.now(); await refreshSearchTerms(handle.db); console.log('terms', performance.now() - t); }
const passthrough = { getOrLoad: <T,>(_k: string, load: () => Promise<T>) => load(), invalidateTags: async () => {} };
const caller = createCaller(internalContext({ db: handle.db, cache: process.argv.includes('--cache') ? createMemoryCache() : passthrough }));
const cases: Array<Record<string, unknown>> = JSON.parse(process.argv[2] ?? '[]');
for (const input of cases) {
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await caller.catalog.search(input as never);
    const ms = performance.now() - t;
    if (i === 2) console.log(JSON.stringify(input), ms.toFixed(1), 'ms', r.query, 'total', r.total, r.items.slice(0, 3).map((x) => x.name), r.facets?.brands.slice(0, 2), r.nextCursor?.slice(0, 20));
  }
}
await handle.close();
