import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appRouter } from '@triport/core';
import { createDb, migrate } from '@triport/db';
import { apiKeyAuth, createOrderCall, productCall, searchCall } from './calls.ts';
import { repoRoot, type ServerChild, startServer } from './children.ts';
import { createBenchDatabase } from './env/postgres.ts';
import { takeRedisDatabase } from './env/redis.ts';
import { BENCH_AUTH_SECRET, type SeedSample, sampleProducts, seedBench } from './env/seed.ts';
import { isSkipped, type MeasureSettings, measure, probe } from './measure.ts';
import { type Endpoint, endpointsFor, type ScenarioPlan, type StylePorts } from './scenarios.ts';
import { parseWsdl, type SoapService } from './soap-envelope.ts';
import { runStampede } from './stampede.ts';
import { ratio, round } from './stats.ts';
import type { CaseResult, RateLimiterResult, ScenarioId, Skipped, StampedeResult, Style, SuiteRun } from './types.ts';

export interface SuiteOptions {
  id: 'postgres' | 'pglite';
  settings: MeasureSettings;
  /** Each style is measured this many times, interleaved with the others; the best round is reported. */
  rounds: number;
  products: number;
  scenarios: ScenarioId[];
  /** Start the createCaller and stock standalone references (Postgres run only: PGlite is single-process). */
  references: boolean;
  logLevel: string;
  /** Only these styles (profiling one adapter alone). */
  styles?: Style[];
  /** Write V8 CPU profiles of server children here. */
  profileDir?: string;
  stampede?: { requests: number; instances: number; reference: boolean };
  log(line: string): void;
}

export interface SuiteOutcome {
  run: SuiteRun;
  stampede: StampedeResult[];
  rateLimiter: RateLimiterResult | null;
  notes: string[];
}

const ALL_STYLES: Style[] = ['bare', 'caller', 'trpc-standalone', 'trpc', 'rest', 'soap11', 'soap12'];
const apiEntry = path.join(repoRoot, 'apps/api/src/main.ts');
const referenceEntry = path.join(repoRoot, 'bench/src/servers/reference-server.ts');
const variantEntry = path.join(repoRoot, 'bench/src/servers/api-variant.ts');

/**
 * One run: a throwaway database (Postgres + Redis, or a fresh PGlite directory), every server started as a
 * child, every scenario measured style by style, everything stopped and dropped at the end.
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteOutcome> {
  const { log } = options;
  const cleanups: Array<() => Promise<void>> = [];
  const children: ServerChild[] = [];
  const notes: string[] = [];
  const tmp = mkdtempSync(path.join(tmpdir(), `triport-bench-${options.id}-`));
  cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));
  try {
    // 1. Data.
    let apiEnv: Record<string, string>;
    let databaseUrl: string | undefined;
    let countPkScans: (() => Promise<number>) | undefined;
    let sample: SeedSample;
    if (options.id === 'postgres') {
      log(`postgres: creating a throwaway database with ${options.products} products`);
      const database = await createBenchDatabase({ products: options.products });
      cleanups.push(() => database.drop());
      const redis = await takeRedisDatabase();
      cleanups.push(() => redis.release());
      log(`postgres: ${database.name}, redis db ${redis.db}`);
      databaseUrl = database.url;
      countPkScans = () => database.productPkScans();
      sample = database.sample;
      apiEnv = { DATABASE_URL: database.url, REDIS_URL: redis.url, REDIS_PREFIX: `bench${redis.db}:` };
    } else {
      const dir = path.join(tmp, 'pglite');
      log(`pglite: seeding ${options.products} products in ${dir}`);
      const handle = await createDb({ url: '', pgliteDir: dir });
      await migrate(handle);
      await seedBench(handle.db, options.products);
      sample = await sampleProducts(handle.db);
      await handle.close(); // PGlite is single-process: the API opens it next.
      apiEnv = { PGLITE_DIR: dir };
    }
    const commonEnv = {
      API_HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: options.logLevel,
      // The limiter runs on every request (Redis in production mode), with budgets no bench can exhaust:
      // we measure its cost, not its rejections.
      RATE_LIMIT_ANONYMOUS: UNLIMITED,
      RATE_LIMIT_FREE: UNLIMITED,
      RATE_LIMIT_PREMIUM: UNLIMITED,
      // API keys are derived from it (the bench issues one in the throwaway database).
      AUTH_SECRET: BENCH_AUTH_SECRET,
    };
    const profile = options.profileDir ? { cpuProfileDir: options.profileDir } : {};

    // 2. Servers (bare last: it replays bodies captured from the real procedures).
    const ports: StylePorts = {};
    const pids = new Map<number, number>();
    const start = async (child: Promise<ServerChild>) => {
      const c = await child;
      children.push(c);
      pids.set(c.port, c.pid);
      return c;
    };
    const api = await start(startServer({ name: `api-${options.id}`, script: apiEntry, env: { ...commonEnv, ...apiEnv }, portVariable: 'API_PORT', ...profile })).catch(
      (error: unknown) => {
        notes.push(`The API (apps/api/src/main.ts) did not start in the ${options.id} run: ${String(error).slice(0, 300)}`);
        log(`API did not start: ${String(error).slice(0, 600)}`);
        return undefined;
      },
    );
    if (api) ports.api = api.port;
    if (options.references && databaseUrl) {
      const url = databaseUrl;
      await Promise.all(
        (['caller', 'trpc-standalone'] as const).map(async (kind) => {
          const c = await start(startServer({ name: kind, script: referenceEntry, args: [kind], env: { BENCH_DATABASE_URL: url }, portVariable: 'BENCH_PORT', ...profile }));
          ports[kind] = c.port;
        }),
      );
    }
    const soap = api ? await discoverSoap(api.port, notes) : undefined;

    // 3. Plans and probes.
    const plans = planScenarios(options.scenarios, sample).map((p) =>
      options.styles ? { ...p, styles: p.styles.filter((s) => options.styles?.includes(s)) } : p,
    );
    for (const id of options.scenarios) {
      if (id !== 'product-ratelimit' && !plans.some((p) => p.id === id)) notes.push(`${options.id}: scenario ${id} not run: its procedure is not in appRouter yet`);
    }
    const endpoints = new Map<ScenarioId, Endpoint[]>();
    const bareRoutes: Record<string, { status: number; contentType: string; body: string }> = {};
    for (const plan of plans) {
      const list = endpointsFor(plan, ports, soap);
      endpoints.set(plan.id, list);
      const captured = await captureJson(list);
      if (captured) bareRoutes[`/bare/${plan.id}`] = { status: 200, contentType: 'application/json', body: captured };
    }
    const routesFile = path.join(tmp, 'bare-routes.json');
    writeFileSync(routesFile, JSON.stringify(bareRoutes));
    const bare = await start(startServer({ name: 'bare', script: referenceEntry, args: ['bare'], env: { BENCH_BARE_ROUTES: routesFile }, portVariable: 'BENCH_PORT', ...profile }));
    ports.bare = bare.port;

    // 4. Measure.
    const results: CaseResult[] = [];
    const skipped: Skipped[] = [];
    const reported = new Set<string>();
    for (const plan of plans) {
      const list = endpointsFor(plan, ports, soap);
      for (const style of ALL_STYLES.filter((s) => plan.styles.includes(s) && !list.some((e) => e.style === s))) {
        skipped.push({ scenario: plan.id, style, reason: style.startsWith('soap') ? 'no SOAP endpoint (/soap?wsdl) on the API' : 'no server for this style in this run' });
      }
      // Rounds: every style once per round, so a burst of other work on the machine hits one round of
      // every style instead of all rounds of one; each style keeps its best round (all are recorded).
      const best = new Map<Style, CaseResult>();
      const rounds = new Map<Style, number[]>();
      for (let round = 1; round <= options.rounds; round++) {
        for (const endpoint of list) {
          if (round > 1 && !best.has(endpoint.style)) continue; // failed its probe or its load run
          const settings = round === 1 ? options.settings : { ...options.settings, warmupSec: Math.min(0.5, options.settings.warmupSec) };
          const r = await measure(endpoint, pids.get(endpoint.port)!, settings);
          if (isSkipped(r)) {
            log(`  ${plan.id} ${endpoint.style}: skipped (${r.reason.slice(0, 160)})`);
            if (round === 1) skipped.push(r);
            continue;
          }
          log(`  ${plan.id} ${endpoint.style} #${round}: ${r.reqPerSec} req/s, p99 ${r.latencyMs.p99} ms, ${r.cpuUsPerReq} µs CPU/req, ${r.errors} errors`);
          rounds.set(endpoint.style, [...(rounds.get(endpoint.style) ?? []), r.reqPerSec]);
          const prev = best.get(endpoint.style);
          if (!prev || r.reqPerSec > prev.reqPerSec) best.set(endpoint.style, r);
        }
      }
      for (const endpoint of list) {
        const r = best.get(endpoint.style);
        if (r) results.push({ ...r, roundsReqPerSec: rounds.get(endpoint.style) ?? [] });
      }
      for (const c of children) {
        const how = c.exited();
        if (how && !reported.has(c.name)) {
          reported.add(c.name);
          const tail = c.output().trim().split('\n').slice(-12).join('\n');
          notes.push(`${c.name} exited (${how}) during ${plan.id}; its last output: ${tail.slice(-1500)}`);
          log(`${c.name} exited (${how}) during ${plan.id}:\n${tail}`);
        }
      }
      const bareRps = results.find((r) => r.scenario === plan.id && r.style === 'bare')?.reqPerSec;
      for (const r of results) if (r.scenario === plan.id) r.ratioToBare = round(ratio(r.reqPerSec, bareRps) ?? Number.NaN, 3);
    }
    for (const r of results) if (!Number.isFinite(r.ratioToBare ?? Number.NaN)) r.ratioToBare = null;

    // 5. Rate limiter on vs off: the same REST read on two otherwise identical API builds, alternated.
    let rateLimiter: RateLimiterResult | null = null;
    const productPlan = plans.find((p) => p.id === 'product-cached');
    if (options.scenarios.includes('product-ratelimit') && productPlan && api) {
      const [restRead] = endpointsFor({ ...productPlan, styles: ['rest'] }, ports, soap);
      const variants: Record<'on' | 'off', ServerChild> = {
        on: await start(startServer({ name: 'api-limiter-on', script: variantEntry, env: { ...commonEnv, ...apiEnv, BENCH_RATE_LIMIT: 'on' }, portVariable: 'API_PORT' })),
        off: await start(startServer({ name: 'api-limiter-off', script: variantEntry, env: { ...commonEnv, ...apiEnv, BENCH_RATE_LIMIT: 'off' }, portVariable: 'API_PORT' })),
      };
      const pairs: CaseResult[] = [];
      for (const round of options.rounds > 1 ? [1, 2] : [1]) {
        for (const which of ['on', 'off'] as const) {
          const child = variants[which];
          const r = restRead ? await measure({ ...restRead, scenario: 'product-ratelimit', port: child.port }, child.pid, options.settings, `limiter ${which}, round ${round}`) : undefined;
          if (r && !isSkipped(r)) {
            pairs.push(r);
            log(`  rate limiter ${which} (round ${round}): ${r.reqPerSec} req/s, ${r.cpuUsPerReq} µs CPU/req`);
          } else if (r) log(`  rate limiter ${which}: skipped (${r.reason.slice(0, 200)})`);
        }
      }
      const mean = (which: string, field: (p: CaseResult) => number | null = (p) => p.reqPerSec) => {
        const list = pairs.filter((p) => p.variant?.startsWith(`limiter ${which}`));
        return list.length ? list.reduce((a, p) => a + (field(p) ?? Number.NaN), 0) / list.length : Number.NaN;
      };
      const cpu = (which: string) => {
        const v = mean(which, (p) => p.cpuUsPerReq);
        return Number.isFinite(v) ? round(v, 1) : null;
      };
      const on = mean('on');
      const off = mean('off');
      if (Number.isFinite(on) && Number.isFinite(off) && off > 0) {
        rateLimiter = {
          style: 'rest',
          onReqPerSec: Math.round(on),
          offReqPerSec: Math.round(off),
          ratio: round(on / off, 3),
          onCpuUsPerReq: cpu('on'),
          offCpuUsPerReq: cpu('off'),
          note: `Cached REST product read; ${options.id === 'postgres' ? 'Redis store (sliding window via EVALSHA)' : 'in-memory store'}; mean of alternated runs (on, off, on, off). "Off" is the same API build with the limiter removed from the procedures' services (bench/src/servers/api-variant.ts): the API has no switch for it.`,
        };
        results.push(...pairs);
      }
      for (const c of Object.values(variants)) await c.stop();
    }

    // 6. Stampede on fresh instances (cold caches), others stopped so nothing else touches the table.
    const stampede: StampedeResult[] = [];
    if (options.stampede) {
      for (const c of children.splice(0)) await c.stop();
      stampede.push(
        ...(await runStampede({
          requests: options.stampede.requests,
          instances: options.stampede.instances,
          productId: Math.floor(options.products / 2) + 7,
          startApi: () => startServer({ name: `api-stampede-${options.id}`, script: apiEntry, env: { ...commonEnv, ...apiEnv }, portVariable: 'API_PORT' }),
          startCaller: databaseUrl && options.stampede.reference
            ? () => startServer({ name: 'caller-stampede', script: referenceEntry, args: ['caller'], env: { BENCH_DATABASE_URL: databaseUrl }, portVariable: 'BENCH_PORT' })
            : undefined,
          countPkScans,
          log,
        })),
      );
    }

    return {
      run: {
        id: options.id,
        label: options.id === 'postgres' ? 'Postgres 15 + Redis 7 (production mode)' : 'Embedded default (PGlite, in-process cache and limiter)',
        database: options.id,
        store: options.id === 'postgres' ? 'redis' : 'memory',
        products: options.products,
        results,
        skipped,
      },
      stampede,
      rateLimiter,
      notes,
    };
  } finally {
    for (const c of children) await c.stop().catch(() => {});
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
  }
}

const UNLIMITED = '1000000000/60s';

function planScenarios(ids: ScenarioId[], sample: SeedSample): ScenarioPlan[] {
  const procedures = appRouter._def.procedures as Record<string, unknown>;
  const first = sample.products[0];
  if (!first) throw new Error('The seed wrote no products');
  const plans: ScenarioPlan[] = [];
  for (const id of ids) {
    if (id === 'product-cached') plans.push({ id, call: productCall(first.id, first.sku), varying: false, styles: ALL_STYLES });
    if (id === 'search-cached' && procedures['catalog.search']) plans.push({ id, call: searchCall(false), varying: false, styles: ALL_STYLES });
    if (id === 'search-uncached' && procedures['catalog.search']) plans.push({ id, call: searchCall(true), varying: true, styles: ALL_STYLES });
    if (id === 'create-order' && procedures['orders.create']) {
      plans.push({
        id,
        call: createOrderCall(sample.products.slice(0, 500).map((p) => p.id)),
        varying: true,
        auth: apiKeyAuth(sample.apiKey),
        // The references run without a gateway, hence without a principal: orders need one.
        styles: ['bare', 'trpc', 'rest', 'soap11', 'soap12'],
      });
    }
  }
  return plans;
}

/** The JSON the bare server replays: the procedure's output as the caller (or REST, or tRPC) returned it. */
async function captureJson(list: Endpoint[]): Promise<string | undefined> {
  for (const style of ['caller', 'rest', 'trpc'] as const) {
    const endpoint = list.find((e) => e.style === style);
    if (!endpoint) continue;
    const p = await probe(endpoint);
    if (!p.ok || !p.response) continue;
    if (style !== 'trpc') return p.response.body;
    const batch = JSON.parse(p.response.body) as Array<{ result?: { data?: unknown } }>;
    return JSON.stringify(batch[0]?.result?.data);
  }
  return undefined;
}

async function discoverSoap(port: number, notes: string[]): Promise<SoapService | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/soap?wsdl`);
    const text = await res.text();
    if (res.status !== 200) return undefined;
    return parseWsdl(text);
  } catch (error) {
    notes.push(`SOAP WSDL not readable: ${String(error)}`);
    return undefined;
  }
}
