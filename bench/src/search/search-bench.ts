/**
 * Search latency by query shape at several catalog sizes on the local Postgres.
 *
 *   npx tsx bench/src/search/search-bench.ts [--sizes 10000,100000,1000000] [--iterations 20] [--keep]
 *
 * Each size gets a throwaway database `triport_bench_search_<size>` (reused when it already holds the
 * same seed, so the 1M catalog is built once), dropped at the end unless --keep. Requests go through
 * `createCaller` (zod, procedure, SQL; no HTTP). Search results are never cached; the category tree
 * and the facet cube are, as in production (see docs/search.md). Writes bench/results/search-latency.json
 * and search-latency.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Cache, createCaller, createMemoryCache, internalContext } from '@triport/core';
import { createDb, createRng, type Database, generateProduct, migrate, planCatalog, queryRows, seedDatabase } from '@triport/db';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { queryMix, type SearchCase, type SearchShape, searchShapes } from './query-mix.ts';

export interface SearchBenchOptions {
  sizes?: number[];
  /** Timed runs of every query (after one warm-up run). */
  iterations?: number;
  seed?: number;
  /** Server to create the databases on. */
  serverUrl?: string;
  /** Keep the databases for the next run. */
  keep?: boolean;
  /** Where to write search-latency.json/.md; null = do not write. */
  outDir?: string | null;
  log?: (line: string) => void;
  /** Only these shapes (default: all). */
  shapes?: SearchShape[];
}

export interface ShapeStats {
  shape: SearchShape;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /**
   * Mean CPU per request (ms): Node (process.cpuUsage) + the Postgres backends of the database
   * (/proc/<pid>/stat, 10 ms ticks, so only meaningful as a mean). Wall-clock latency on a shared,
   * loaded machine is mostly waiting for a core; this is what one request costs.
   */
  cpuMsMean: number | null;
  /** The Node part of `cpuMsMean` (the rest is Postgres). */
  nodeCpuMsMean?: number;
}

export interface SizeResult {
  products: number;
  seedMs: number | null;
  shapes: ShapeStats[];
}

export interface SearchBenchResult {
  date: string;
  machine: { cpus: number; node: string; postgres: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  iterations: number;
  sizes: SizeResult[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultOutDir = path.resolve(here, '../../results');

/** Results are never cached; the tree and the facet cube are (they are catalog-wide aggregates). */
function benchCache(): Cache {
  const memory = createMemoryCache({ defaultTtlMs: 3_600_000 });
  return {
    getOrLoad: (key, load, options) => (key.startsWith('search:') ? load() : memory.getOrLoad(key, load, options)),
    invalidateTags: (tags) => memory.invalidateTags(tags),
  };
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round((sorted[i] ?? 0) * 100) / 100;
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * True when the database already holds exactly this catalog: the count, and 500 products spread over
 * the id range compared with the generator (it is sequential, so this regenerates the whole stream).
 */
async function holdsSeed(db: Database, products: number, seed: number): Promise<boolean> {
  try {
    const [row] = await queryRows<{ n: number; terms: number }>(
      db,
      sql`SELECT (SELECT count(*)::int FROM products) AS n, (SELECT count(*)::int FROM search_terms) AS terms`,
    );
    if (row?.n !== products || row.terms === 0) return false;
    const step = Math.max(1, Math.floor(products / 500));
    const plan = planCatalog();
    const rng = createRng(seed);
    const expected = new Map<number, string>();
    for (let id = 1; id <= products; id++) {
      const p = generateProduct(plan, rng, id);
      if (id % step === 0) expected.set(id, `${p.sku}|${p.name}|${p.priceCents}`);
    }
    const actual = await queryRows<{ id: number; v: string }>(
      db,
      sql`SELECT id, sku || '|' || name || '|' || price_cents AS v FROM products WHERE id % ${step}::int = 0 AND id <= ${products}::int`,
    );
    return actual.length === expected.size && actual.every((a) => expected.get(a.id) === a.v);
  } catch {
    return false;
  }
}

/** Pids of every backend connected to the current database (the pool warmed up by the warm-up run). */
async function backendPids(db: Database): Promise<number[]> {
  const rows = await queryRows<{ pid: number }>(db, sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  return rows.map((r) => r.pid);
}

/** utime + stime of those processes in clock ticks (100/s), or null off Linux / another machine. */
function backendTicks(pids: number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      return null;
    }
  }
  return total;
}

async function timeCase(caller: ReturnType<typeof createCaller>, c: SearchCase): Promise<() => Promise<number>> {
  let input = { ...c.input } as Parameters<typeof caller.catalog.search>[0];
  // Small catalogs may have fewer pages: time the deepest page there is.
  for (let page = 0; page < (c.depth ?? 0); page++) {
    const r = await caller.catalog.search(input);
    if (!r.nextCursor) break;
    input = { ...input, cursor: r.nextCursor };
  }
  return async () => {
    const started = performance.now();
    await caller.catalog.search(input);
    return performance.now() - started;
  };
}

/**
 * Runs the whole benchmark; see the file comment.
 *
 * @example
 * const result = await runSearchBench({ sizes: [10_000], iterations: 10, outDir: null });
 */
export async function runSearchBench(options: SearchBenchOptions = {}): Promise<SearchBenchResult> {
  const sizes = options.sizes ?? [10_000, 100_000, 1_000_000];
  const iterations = options.iterations ?? 20;
  const seed = options.seed ?? 42;
  const serverUrl = options.serverUrl ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const result: SearchBenchResult = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, postgres: '', loadAverageAtStart: loadavg(), loadAverageAtEnd: [] },
    iterations,
    sizes: [],
  };
  try {
    const [version] = await admin`SELECT current_setting('server_version') AS v`;
    result.machine.postgres = String(version?.v ?? '');
    for (const size of sizes) {
      const name = `triport_bench_search_${size >= 1_000_000 ? `${size / 1_000_000}m` : size >= 1_000 ? `${size / 1_000}k` : size}`;
      const [exists] = await admin`SELECT 1 AS ok FROM pg_database WHERE datname = ${name}`;
      if (!exists) await admin.unsafe(`CREATE DATABASE "${name}"`);
      const handle = await createDb({ url: databaseUrl(serverUrl, name), maxConnections: 4 });
      let seedMs: number | null = null;
      try {
        await migrate(handle);
        if (await holdsSeed(handle.db, size, seed)) {
          log(`${name}: reusing the seeded catalog`);
        } else {
          log(`${name}: seeding ${size.toLocaleString('en-US')} products...`);
          const report = await seedDatabase(handle.db, { products: size, seed, reset: true });
          seedMs = report.ms;
          log(`${name}: seeded in ${(report.ms / 1000).toFixed(1)} s`);
        }
        await handle.db.execute(sql`VACUUM ANALYZE products`);
        const caller = createCaller(internalContext({ db: handle.db, cache: benchCache() }));
        const shapes: ShapeStats[] = [];
        for (const shape of options.shapes ?? searchShapes) {
          const runs = await Promise.all(queryMix[shape].map((c) => timeCase(caller, c)));
          for (const run of runs) await run(); // warm-up: caches of Postgres, the tree, the facet cube
          const samples: number[] = [];
          const pids = await backendPids(handle.db);
          const cpuBefore = process.cpuUsage();
          const ticksBefore = backendTicks(pids);
          for (let i = 0; i < iterations; i++) for (const run of runs) samples.push(await run());
          const node = process.cpuUsage(cpuBefore);
          const ticksAfter = backendTicks(pids);
          const cpuMsMean =
            ticksBefore === null || ticksAfter === null
              ? null
              : Math.round(((ticksAfter - ticksBefore) * 10 + (node.user + node.system) / 1000) / samples.length * 100) / 100;
          samples.sort((a, b) => a - b);
          const stats: ShapeStats = {
            shape,
            samples: samples.length,
            p50: quantile(samples, 0.5),
            p95: quantile(samples, 0.95),
            p99: quantile(samples, 0.99),
            max: Math.round((samples[samples.length - 1] ?? 0) * 100) / 100,
            cpuMsMean,
            nodeCpuMsMean: Math.round((node.user + node.system) / 1000 / samples.length * 100) / 100,
          };
          shapes.push(stats);
          log(`${name} ${shape.padEnd(8)} p50 ${stats.p50} ms  p95 ${stats.p95} ms  p99 ${stats.p99} ms  cpu ${stats.cpuMsMean} ms/req (node ${stats.nodeCpuMsMean})`);
        }
        result.sizes.push({ products: size, seedMs, shapes });
      } finally {
        await handle.close();
        if (!options.keep) await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    }
  } finally {
    await admin.end();
  }
  result.machine.loadAverageAtEnd = loadavg();
  const outDir = options.outDir === undefined ? defaultOutDir : options.outDir;
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, 'search-latency.json'), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(path.join(outDir, 'search-latency.md'), toMarkdown(result));
  }
  return result;
}

function fmtLoad(load: number[]): string {
  return load.map((x) => x.toFixed(1)).join('/');
}

/** The result as a markdown table (one row per size and shape). */
export function toMarkdown(result: SearchBenchResult): string {
  const lines = [
    '# catalog.search latency',
    '',
    `${result.date} · ${result.machine.cpus} CPUs · Node ${result.machine.node} · Postgres ${result.machine.postgres} · ` +
      `${result.iterations} timed runs per query after one warm-up, sequential, via createCaller (no HTTP), results uncached. ` +
      `Load average (1/5/15 min) at start ${fmtLoad(result.machine.loadAverageAtStart)}, at end ${fmtLoad(result.machine.loadAverageAtEnd)}: ` +
      'other work shared the 2 cores.',
    '',
    '| products | shape | samples | p50 ms | p95 ms | p99 ms | max ms | CPU ms/request (mean) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of result.sizes) {
    for (const x of s.shapes) {
      lines.push(`| ${s.products.toLocaleString('en-US')} | ${x.shape} | ${x.samples} | ${x.p50} | ${x.p95} | ${x.p99} | ${x.max} | ${x.cpuMsMean ?? 'n/a'} |`);
    }
  }
  lines.push(
    '',
    'Query mix: bench/src/search/query-mix.ts. Targets: p95 ≤ 10 ms at 10k, ≤ 50 ms at 1M for every shape.',
    'CPU ms/request: Node + Postgres backends, summed over the timed runs and divided by their number: what a request costs',
    'on an idle core (wall-clock percentiles include waiting for one of the 2 shared cores).',
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      iterations: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      shapes: { type: 'string' },
    },
  });
  const sizes = values.sizes?.split(',').map((s) => Number(s.replace(/_/g, '')));
  if (sizes?.some((n) => !Number.isInteger(n) || n < 100)) throw new Error('--sizes: comma-separated integers ≥ 100');
  const iterations = values.iterations ? Number(values.iterations) : undefined;
  const shapes = values.shapes?.split(',') as SearchShape[] | undefined;
  if (shapes?.some((s) => !searchShapes.includes(s))) throw new Error(`--shapes: any of ${searchShapes.join(', ')}`);
  const result = await runSearchBench({ sizes, iterations, keep: values.keep, outDir: values['no-write'] ? null : undefined, ...(shapes ? { shapes } : {}) });
  process.stdout.write(toMarkdown(result));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`search bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
