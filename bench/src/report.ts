import type { ChartInput } from './svg.ts';
import type { BenchResults, CaseResult, RateLimiterResult, StampedeResult, Style, SuiteRun, TargetCheck } from './types.ts';

export const styleLabels: Record<Style, string> = {
  bare: 'bare node:http (limit)',
  caller: 'createCaller on node:http',
  'trpc-standalone': 'tRPC stock standalone',
  trpc: 'tRPC (our API)',
  rest: 'REST',
  soap11: 'SOAP 1.1',
  soap12: 'SOAP 1.2',
};

const STYLE_ORDER: Style[] = ['bare', 'caller', 'trpc-standalone', 'trpc', 'rest', 'soap11', 'soap12'];

function find(run: SuiteRun | undefined, scenario: string, style: Style, variant?: string): CaseResult | undefined {
  return run?.results.find((r) => r.scenario === scenario && r.style === style && r.variant === variant);
}

/**
 * The issue's targets, checked on the cached product read of the production (Postgres) run. A target that
 * could not be measured is `pass: null` with the reason, never a silent pass.
 *
 * @example
 * evaluateTargets(runs, stampede, limiter).filter((t) => t.pass === false);
 */
export function evaluateTargets(runs: SuiteRun[], stampede: StampedeResult[], limiter: RateLimiterResult | null): TargetCheck[] {
  const run = runs.find((r) => r.id === 'postgres') ?? runs[0];
  const checks: TargetCheck[] = [];
  const ratioTarget = (id: string, style: Style, min: number) => {
    const r = find(run, 'product-cached', style);
    checks.push({
      id,
      description: `${styleLabels[style]} ≥ ${min.toFixed(2)} × bare node:http (cached product read)`,
      value: r?.ratioToBare ?? null,
      threshold: `≥ ${min}`,
      pass: r?.ratioToBare == null ? null : r.ratioToBare >= min,
      ...(r ? {} : { note: `${styleLabels[style]} was not measured in this run` }),
    });
  };
  ratioTarget('rest-vs-bare', 'rest', 0.4);
  ratioTarget('soap11-vs-bare', 'soap11', 0.3);
  ratioTarget('soap12-vs-bare', 'soap12', 0.3);

  const ours = find(run, 'product-cached', 'trpc');
  const stock = find(run, 'product-cached', 'trpc-standalone');
  const gateway = ours && stock ? ours.reqPerSec / stock.reqPerSec : null;
  checks.push({
    id: 'trpc-vs-standalone',
    description: 'tRPC through our gateway ≥ 0.85 × tRPC stock standalone adapter (gateway adds ≤ 15%)',
    value: gateway,
    threshold: '≥ 0.85',
    pass: gateway === null ? null : gateway >= 0.85,
    ...(gateway === null ? { note: 'needs both tRPC (our API) and the standalone reference' } : {}),
  });

  for (const s of stampede) {
    const perInstance = s.dbQueries / s.instances;
    checks.push({
      id: `stampede-${s.server.startsWith('API') ? 'api' : 'caller'}`,
      description: `Stampede, ${s.server}: ≤ 1 DB query per instance for ${s.requests.toLocaleString('en-US')} concurrent requests`,
      value: perInstance,
      threshold: '≤ 1',
      pass: s.failed > s.requests / 100 ? false : perInstance <= 1,
      ...(s.failed > 0 ? { note: `${s.failed} requests failed` } : {}),
    });
  }
  if (stampede.length === 0) checks.push({ id: 'stampede-api', description: 'Stampede: ≤ 1 DB query per instance', value: null, threshold: '≤ 1', pass: null, note: 'not run' });

  checks.push({
    id: 'ratelimit-cost',
    description: 'Rate limiter on Redis costs ≤ 20% throughput (on ÷ off ≥ 0.80)',
    value: limiter?.ratio ?? null,
    threshold: '≥ 0.80',
    pass: limiter ? limiter.ratio >= 0.8 : null,
    ...(limiter ? {} : { note: 'not measured in this run (scenario product-ratelimit not selected, or the API did not start)' }),
  });
  return checks;
}

/** Chart data: one group per scenario of each run, styles in a fixed order. */
export function chartInput(results: BenchResults): ChartInput {
  const groups = results.runs.flatMap((run) => {
    const scenarios = [...new Set(run.results.filter((r) => !r.variant).map((r) => r.scenario))];
    return scenarios.map((scenario) => ({
      title: `${scenario} — ${run.id === 'postgres' ? 'Postgres + Redis' : 'PGlite (embedded)'}`,
      rows: STYLE_ORDER.flatMap((style) => {
        const r = find(run, scenario, style);
        return r ? [{ label: styleLabels[style], ratio: r.ratioToBare, reqPerSec: r.reqPerSec, p99Ms: r.latencyMs.p99, kind: style === 'bare' ? ('reference' as const) : ('style' as const) }] : [];
      }),
    }));
  });
  const m = results.machine;
  return {
    title: 'Triport: tRPC vs REST vs SOAP on the same procedures',
    subtitle: `${m.cpuModel}, ${m.cores} cores (server on one, load generator on the other), Node ${m.nodeVersion}, load avg ${m.loadAverage.start}, ${results.settings.connections} connections × ${results.settings.durationSec} s, commit ${m.commit.slice(0, 7)}, ${results.finishedAt.slice(0, 16).replace('T', ' ')} UTC`,
    groups,
  };
}

const fmt = (v: number | null | undefined, digits = 2) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const int = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : Math.round(v).toLocaleString('en-US'));

/** `latest.md`: the tables a person reads. */
export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const lines: string[] = [
    '# Triport API styles benchmark',
    '',
    `${results.mode} run, ${results.startedAt} → ${results.finishedAt}. Commit \`${m.commit.slice(0, 12)}\`${m.dirty ? ' (working tree had uncommitted changes)' : ''}.`,
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.nodeVersion}, ${m.platform}.`,
    `Placement: ${m.placement}. Load average (1 min) ${m.loadAverage.start} at start, ${m.loadAverage.end} at end (other work on the machine skews every number).`,
    `Load: autocannon ${results.settings.connections} connections, pipelining 1, ${results.settings.durationSec} s per case after a ${results.settings.warmupSec} s warm-up, 127.0.0.1 only. API log level \`${results.settings.logLevel}\`.`,
    '',
    'Ratios are to the bare node:http server replaying the same response body in the same run (the limit of this machine). CPU is the server process (user + system, all threads) per 2xx response. Bytes are per request/response on the wire (request line/status line + headers + body).',
    '',
  ];
  for (const run of results.runs) {
    lines.push(`## ${run.label}`, '', `${run.products.toLocaleString('en-US')} products.`, '');
    const bare = find(run, 'product-cached', 'bare');
    if (bare?.cpuUsPerReq != null) {
      const busy = (bare.reqPerSec * bare.cpuUsPerReq) / 1e6;
      if (busy < 0.8) {
        lines.push(
          `The bare server used ${(busy * 100).toFixed(0)}% of its core at ${int(bare.reqPerSec)} req/s: the "limit" is the load generator's (autocannon on the other core), not node:http's. Ratios to bare are therefore generous to slow styles; the CPU µs/req column compares server cost directly (bare ${fmt(bare.cpuUsPerReq, 1)} µs).`,
          '',
        );
      }
    }
    lines.push('| scenario | style | req/s | × bare | p50 ms | p95 ms | p99 ms | req B | resp B | CPU µs/req | errors |');
    lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const r of run.results) {
      lines.push(
        `| ${r.scenario}${r.variant ? ` (${r.variant})` : ''} | ${styleLabels[r.style]} | ${int(r.reqPerSec)} | ${fmt(r.ratioToBare)} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p95)} | ${fmt(r.latencyMs.p99)} | ${int(r.requestBytes)} | ${int(r.responseBytes)} | ${fmt(r.cpuUsPerReq, 1)} | ${r.errors} |`,
      );
    }
    if (run.skipped.length > 0) {
      lines.push('', 'Not measured:', '');
      for (const s of run.skipped) lines.push(`- ${s.scenario} / ${styleLabels[s.style]}: ${s.reason.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
    lines.push('');
  }
  if (results.stampede.length > 0) {
    lines.push('## Cache stampede', '', '| server | requests | open at once | ok | outcomes | DB queries | per instance | how counted |', '|---|--:|--:|--:|---|--:|--:|---|');
    for (const s of results.stampede) {
      const outcomes = Object.entries(s.outcomes).map(([k, v]) => `${k}: ${v}`).join(', ');
      lines.push(`| ${s.server} | ${int(s.requests)} | ${int(s.concurrency)} | ${int(s.ok)} | ${outcomes} | ${s.dbQueries} | ${fmt(s.dbQueries / s.instances, 1)} | ${s.method} |`);
    }
    lines.push('');
  }
  lines.push('## Rate limiter cost', '');
  const l = results.rateLimiter;
  const cpu = l?.onCpuUsPerReq != null && l.offCpuUsPerReq != null ? ` Server CPU per request: ${fmt(l.onCpuUsPerReq, 1)} µs on, ${fmt(l.offCpuUsPerReq, 1)} µs off.` : '';
  lines.push(l ? `${styleLabels[l.style]}: ${int(l.onReqPerSec)} req/s with the limiter on, ${int(l.offReqPerSec)} off → ${fmt(l.ratio)}.${cpu} ${l.note}` : 'Not measured (see targets).', '');
  lines.push('## Targets', '', '| target | value | threshold | result |', '|---|--:|--:|---|');
  for (const t of results.targets) {
    lines.push(`| ${t.description} | ${fmt(t.value)} | ${t.threshold} | ${t.pass === null ? `not measured${t.note ? `: ${t.note}` : ''}` : t.pass ? 'pass' : `**miss**${t.note ? ` (${t.note})` : ''}`} |`);
  }
  if (results.notes.length > 0) lines.push('', '## Notes', '', ...results.notes.map((n) => `- ${n}`));
  lines.push('', '![throughput ratios and p99 latency](latest.svg)', '');
  return lines.join('\n');
}
