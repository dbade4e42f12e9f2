import { describe, expect, it } from 'vitest';
import { chartInput, evaluateTargets, renderMarkdown } from './report.ts';
import type { BenchResults, CaseResult, Style, SuiteRun } from './types.ts';

function result(style: Style, reqPerSec: number, bare = 40_000): CaseResult {
  return {
    scenario: 'product-cached',
    style,
    durationSec: 10,
    connections: 50,
    reqPerSec,
    latencyMs: { p50: 1, p95: 2, p99: 3, mean: 1.2, max: 9 },
    requests: reqPerSec * 10,
    errors: 0,
    requestBytes: 100,
    responseBytes: 600,
    cpuUsPerReq: 50,
    ratioToBare: reqPerSec / bare,
  };
}

const run: SuiteRun = {
  id: 'postgres',
  label: 'Postgres',
  database: 'postgres',
  store: 'redis',
  products: 10_000,
  results: [result('bare', 40_000), result('trpc-standalone', 4_000), result('trpc', 3_600), result('rest', 17_000), result('soap11', 11_000)],
  skipped: [{ scenario: 'product-cached', style: 'soap12', reason: 'HTTP 404' }],
};

describe('evaluateTargets', () => {
  const targets = evaluateTargets(
    [run],
    [{ server: 'API', requests: 10_000, concurrency: 10_000, ok: 10_000, failed: 0, outcomes: { 200: 10_000 }, connectMs: 500, dbQueries: 3, instances: 2, wallMs: 900, method: 'x' }],
    { style: 'rest', onReqPerSec: 7_000, offReqPerSec: 10_000, ratio: 0.7, onCpuUsPerReq: 150, offCpuUsPerReq: 120, note: '' },
  );
  const byId = Object.fromEntries(targets.map((t) => [t.id, t]));

  it('checks ratios to bare', () => {
    expect(byId['rest-vs-bare']).toMatchObject({ value: 0.425, pass: true });
    expect(byId['soap11-vs-bare']).toMatchObject({ value: 0.275, pass: false });
  });

  it('reports a style that was not measured as unknown, never as a pass', () => {
    expect(byId['soap12-vs-bare']).toMatchObject({ value: null, pass: null });
  });

  it('compares our tRPC with the stock adapter: 0.90 passes the 15% budget', () => {
    expect(byId['trpc-vs-standalone']?.value).toBeCloseTo(0.9);
    expect(byId['trpc-vs-standalone']?.pass).toBe(true);
  });

  it('counts stampede queries per instance and the limiter ratio', () => {
    expect(byId['stampede-api']).toMatchObject({ value: 1.5, pass: false });
    expect(byId['ratelimit-cost']).toMatchObject({ value: 0.7, pass: false });
  });
});

describe('renderMarkdown / chartInput', () => {
  const results: BenchResults = {
    schemaVersion: 1,
    startedAt: '2026-11-25T15:00:00.000Z',
    finishedAt: '2026-11-25T15:10:00.000Z',
    mode: 'full',
    machine: { cpuModel: 'AMD EPYC', cores: 2, memoryGiB: 24, nodeVersion: '20.20.2', platform: 'linux', commit: 'abcdef1234567890', dirty: false, placement: 'pinned', loadAverage: { start: 1, end: 1 } },
    settings: { connections: 50, durationSec: 10, warmupSec: 2, rounds: 1, pipelining: 1, logLevel: 'warn' },
    runs: [run],
    stampede: [],
    rateLimiter: null,
    targets: evaluateTargets([run], [], null),
    notes: [],
  };

  it('renders one table row per measured case and lists what was skipped', () => {
    const md = renderMarkdown(results);
    expect(md.match(/^\| product-cached \|/gm)).toHaveLength(5);
    expect(md).toContain('| product-cached | REST | 17,000 | 0.42 |');
    expect(md).toContain('SOAP 1.2: HTTP 404');
    expect(md).toContain('not measured');
  });

  it('builds chart rows in a fixed style order with bare marked as the reference', () => {
    const chart = chartInput(results);
    expect(chart.groups[0]?.rows.map((r) => r.label)).toEqual(['bare node:http (limit)', 'tRPC stock standalone', 'tRPC (our API)', 'REST', 'SOAP 1.1']);
    expect(chart.groups[0]?.rows[0]?.kind).toBe('reference');
  });
});
