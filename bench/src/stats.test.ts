import { describe, expect, it } from 'vitest';
import { cpuMicrosPerRequest, percentile, ratio, round, summarizeLatencies } from './stats.ts';

describe('percentile', () => {
  it('uses the nearest rank, so the answer is an observed sample', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it('handles tiny and empty inputs', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 9], 50)).toBe(1);
    expect(percentile([1, 9], 51)).toBe(9);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarizeLatencies', () => {
  it('sorts numerically (not as strings) and leaves the input alone', () => {
    const samples = [10, 9, 100, 2, 1];
    const s = summarizeLatencies(samples);
    expect(s).toEqual({ p50: 9, p95: 100, p99: 100, mean: 24.4, max: 100 });
    expect(samples).toEqual([10, 9, 100, 2, 1]);
  });

  it('separates the tail from the median', () => {
    const samples = [...Array.from({ length: 980 }, () => 1), ...Array.from({ length: 20 }, () => 50)];
    const s = summarizeLatencies(samples);
    expect(s.p50).toBe(1);
    expect(s.p95).toBe(1);
    expect(s.p99).toBe(50);
  });

  it('reports NaN for no samples rather than zeros that look like a fast server', () => {
    expect(summarizeLatencies([]).p50).toBeNaN();
  });
});

describe('ratio', () => {
  it('divides by the reference', () => {
    expect(ratio(20_000, 40_000)).toBe(0.5);
  });
  it('is null when the reference is missing or zero', () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, null)).toBeNull();
    expect(ratio(undefined, 3)).toBeNull();
    expect(ratio(Number.NaN, 3)).toBeNull();
  });
});

describe('cpuMicrosPerRequest', () => {
  it('divides the CPU delta by the requests', () => {
    expect(cpuMicrosPerRequest(1_000_000, 1_500_000, 10_000)).toBe(50);
  });
  it('is null without requests or with a counter that went backwards', () => {
    expect(cpuMicrosPerRequest(0, 10, 0)).toBeNull();
    expect(cpuMicrosPerRequest(10, 5, 3)).toBeNull();
  });
});

describe('round', () => {
  it('rounds to the given digits', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(1.5, 0)).toBe(2);
    expect(round(Number.NaN)).toBeNaN();
  });
});
