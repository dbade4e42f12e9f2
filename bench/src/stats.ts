import type { LatencyMs } from './types.ts';

/**
 * The p-th percentile (0..100) of ascending-sorted values, nearest-rank method (the value below which
 * p% of the samples fall; no interpolation, so it is always a latency that was really observed).
 *
 * @example
 * percentile([1, 2, 3, 4], 50); // 2
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  if (p >= 100) return sorted[sorted.length - 1]!;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

/**
 * p50/p95/p99/mean/max of latency samples (any order; the input is not modified).
 *
 * @example
 * summarizeLatencies([3, 1, 2]); // { p50: 2, p95: 3, p99: 3, mean: 2, max: 3 }
 */
export function summarizeLatencies(samples: readonly number[]): LatencyMs {
  if (samples.length === 0) return { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, mean: Number.NaN, max: Number.NaN };
  const sorted = Float64Array.from(samples).sort();
  const list = Array.from(sorted);
  let sum = 0;
  for (const v of list) sum += v;
  return {
    p50: percentile(list, 50),
    p95: percentile(list, 95),
    p99: percentile(list, 99),
    mean: sum / list.length,
    max: list[list.length - 1]!,
  };
}

/**
 * value / reference, or null when either is missing or the reference is not positive.
 *
 * @example
 * ratio(20_000, 40_000); // 0.5
 */
export function ratio(value: number | null | undefined, reference: number | null | undefined): number | null {
  if (value == null || reference == null || !Number.isFinite(value) || !Number.isFinite(reference) || reference <= 0) return null;
  return value / reference;
}

/**
 * CPU microseconds per request from two cumulative CPU readings (µs) and the requests served between them.
 *
 * @example
 * cpuMicrosPerRequest(1_000_000, 1_500_000, 10_000); // 50
 */
export function cpuMicrosPerRequest(beforeUs: number, afterUs: number, requests: number): number | null {
  if (requests <= 0 || afterUs < beforeUs) return null;
  return (afterUs - beforeUs) / requests;
}

/** Rounds for display and JSON (keeps results readable without pretending to more precision). */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
