/**
 * `npm run bench [-- --quick]`: tRPC, REST and SOAP side by side on this machine, against the bare
 * node:http limit, createCaller and tRPC's stock standalone adapter, in one run. See bench/README.md.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, setupPlacement } from './children.ts';
import { machineInfo } from './machine.ts';
import { parseOptions } from './options.ts';
import { type CpuProfile, summarizeProfile } from './profile.ts';
import { chartInput, evaluateTargets, renderMarkdown } from './report.ts';
import { runSuite } from './run-suite.ts';
import { runSearchBench } from './search/search-bench.ts';
import { renderChart } from './svg.ts';
import type { BenchResults, RateLimiterResult, StampedeResult, SuiteRun } from './types.ts';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const placement = setupPlacement();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const log = (line: string) => console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}`);
  const t0 = performance.now();
  log(`${options.quick ? 'quick' : 'full'} run; ${placement}`);
  const resultsDir = path.join(repoRoot, 'bench/results', options.quick ? 'quick' : '');
  const profileDir = options.profile ? path.join(repoRoot, 'bench/results/profiles') : undefined;

  const runs: SuiteRun[] = [];
  const stampede: StampedeResult[] = [];
  const notes: string[] = [];
  let rateLimiter: RateLimiterResult | null = null;
  const settings = { durationSec: options.durationSec, warmupSec: options.warmupSec, connections: options.connections };

  const pg = await runSuite({
    id: 'postgres',
    settings,
    products: options.products,
    rounds: options.rounds,
    scenarios: options.scenarios,
    references: true,
    logLevel: options.logLevel,
    ...(profileDir ? { profileDir } : {}),
    ...(options.styles ? { styles: options.styles } : {}),
    ...(options.stampede ? { stampede: options.stampede } : {}),
    log,
  });
  runs.push(pg.run);
  stampede.push(...pg.stampede);
  rateLimiter = pg.rateLimiter;
  notes.push(...pg.notes);

  if (options.pglite) {
    const lite = await runSuite({
      id: 'pglite',
      settings: { ...settings, durationSec: options.pgliteDurationSec, warmupSec: Math.min(1, options.warmupSec) },
      products: options.pgliteProducts,
      rounds: Math.min(2, options.rounds),
      scenarios: options.pgliteScenarios,
      references: false,
      logLevel: options.logLevel,
      log,
    });
    runs.push(lite.run);
    notes.push(...lite.notes);
  }

  if (options.search) {
    const search = await runSearchBench({ sizes: options.search, iterations: options.quick ? 5 : 15, outDir: options.write ? path.join(resultsDir, 'search') : null, log });
    for (const size of search.sizes) {
      for (const x of size.shapes) notes.push(`catalog.search, ${size.products.toLocaleString('en-US')} products, ${x.shape}: p50 ${x.p50} ms, p95 ${x.p95} ms, ${x.cpuMsMean} ms CPU/request (createCaller, uncached; bench/src/search)`);
    }
  }

  const results: BenchResults = {
    schemaVersion: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: options.quick ? 'quick' : 'full',
    machine: machineInfo(placement, loadAtStart),
    settings: { connections: options.connections, durationSec: options.durationSec, warmupSec: options.warmupSec, rounds: options.rounds, pipelining: 1, logLevel: options.logLevel },
    runs,
    stampede,
    rateLimiter,
    targets: evaluateTargets(runs, stampede, rateLimiter),
    notes,
  };

  if (options.write) {
    mkdirSync(resultsDir, { recursive: true });
    const json = `${JSON.stringify(results, null, 2)}\n`;
    const stamp = startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'); // ISO 8601 basic: 20261125T154012Z
    writeFileSync(path.join(resultsDir, `${stamp}.json`), json);
    writeFileSync(path.join(resultsDir, 'latest.json'), json);
    writeFileSync(path.join(resultsDir, 'latest.md'), renderMarkdown(results));
    writeFileSync(path.join(resultsDir, 'latest.svg'), renderChart(chartInput(results)));
    log(`results written to ${path.relative(repoRoot, resultsDir) || '.'}/ (${stamp}.json, latest.json, latest.md, latest.svg)`);
  }

  if (profileDir) summarizeProfiles(profileDir, log);

  console.log('\nTargets (informational: the process does not fail on a miss)');
  for (const t of results.targets) {
    const verdict = t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'MISS';
    console.log(`  ${verdict}  ${t.description}: ${t.value === null ? '–' : t.value.toFixed(2)}${t.note ? ` (${t.note})` : ''}`);
  }
  log('done');
}

/** Writes `summary.txt` beside each child's profiles (the main thread's profile is the largest file). */
function summarizeProfiles(dir: string, log: (line: string) => void): void {
  for (const child of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const childDir = path.join(dir, child.name);
    const files = readdirSync(childDir).filter((f) => f.endsWith('.cpuprofile'));
    const main = files.sort((a, b) => statSync(path.join(childDir, b)).size - statSync(path.join(childDir, a)).size)[0];
    if (!main || readdirSync(childDir).includes('summary.txt')) continue;
    const s = summarizeProfile(JSON.parse(readFileSync(path.join(childDir, main), 'utf8')) as CpuProfile, 30);
    const pct = (v: number) => `${(v * 100).toFixed(1).padStart(5)}%`;
    const text = [
      `${child.name}: ${(s.busyUs / 1000).toFixed(0)} ms busy of ${(s.totalUs / 1000).toFixed(0)} ms sampled (${main})`,
      '',
      'by owner, node internals charged to their nearest non-node caller:',
      ...s.attributed.slice(0, 20).map((o) => `  ${pct(o.share)}  ${o.owner}`),
      '',
      'top functions (self time):',
      ...s.functions.map((f) => `  ${pct(f.share)}  ${f.name}  ${f.where}`),
      '',
    ].join('\n');
    writeFileSync(path.join(childDir, 'summary.txt'), text);
    log(`profile summary: ${path.relative(repoRoot, path.join(childDir, 'summary.txt'))}`);
  }
}

await main();
