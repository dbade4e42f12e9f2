import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The slice of `bench/results/latest.json` (bench/src/types.ts, schemaVersion 1) the chart needs. */
export interface BenchBar {
  style: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  responseBytes: number;
}

export interface BenchChart {
  finishedAt: string;
  mode: string;
  runLabel: string;
  scenario: string;
  bars: BenchBar[];
  machine: string;
}

interface CaseLike {
  scenario?: unknown;
  style?: unknown;
  variant?: unknown;
  reqPerSec?: unknown;
  responseBytes?: unknown;
  latencyMs?: { p50?: unknown; p99?: unknown };
}

const SHOWN_STYLES = ['bare', 'caller', 'trpc', 'rest', 'soap11', 'soap12'];
const SCENARIO_PREFERENCE = ['product-cached', 'search-cached', 'search-uncached', 'create-order'];

/** Where latest.json may be: the repo (next start in apps/web) or the image's working dir (docker). */
function candidates(): string[] {
  const fromEnv = process.env.BENCH_RESULTS;
  return [
    ...(fromEnv ? [fromEnv] : []),
    path.resolve(process.cwd(), '../../bench/results/latest.json'),
    path.resolve(process.cwd(), 'bench/results/latest.json'),
  ];
}

/**
 * Reads the latest benchmark results at request time; null when `npm run bench` has not run yet
 * (or the file is not in the expected shape).
 */
export function readBenchChart(): BenchChart | null {
  const file = candidates().find((f) => existsSync(f));
  if (!file) return null;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      schemaVersion?: unknown;
      finishedAt?: unknown;
      mode?: unknown;
      machine?: { cpuModel?: unknown; cores?: unknown };
      runs?: { label?: unknown; results?: CaseLike[] }[];
    };
    if (data.schemaVersion !== 1 || !Array.isArray(data.runs)) return null;
    for (const scenario of SCENARIO_PREFERENCE) {
      for (const run of data.runs) {
        const bars: BenchBar[] = (run.results ?? [])
          .filter((r) => r.scenario === scenario && typeof r.style === 'string' && SHOWN_STYLES.includes(r.style) && !r.variant)
          .map((r) => ({
            style: String(r.style),
            reqPerSec: Number(r.reqPerSec) || 0,
            p50: Number(r.latencyMs?.p50) || 0,
            p99: Number(r.latencyMs?.p99) || 0,
            responseBytes: Number(r.responseBytes) || 0,
          }))
          .sort((a, b) => SHOWN_STYLES.indexOf(a.style) - SHOWN_STYLES.indexOf(b.style));
        if (bars.length > 0) {
          return {
            finishedAt: String(data.finishedAt ?? ''),
            mode: String(data.mode ?? ''),
            runLabel: String(run.label ?? ''),
            scenario,
            bars,
            machine: `${String(data.machine?.cpuModel ?? 'unknown CPU')}, ${String(data.machine?.cores ?? '?')} cores`,
          };
        }
      }
    }
    return null;
  } catch {
    return null;
  }
}
