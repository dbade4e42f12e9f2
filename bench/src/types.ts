/**
 * The shape of `bench/results/*.json` (documented in bench/README.md; the storefront's /compare page
 * reads `latest.json`). Bump `schemaVersion` on any breaking change.
 */
export type Style = 'bare' | 'caller' | 'trpc-standalone' | 'trpc' | 'rest' | 'soap11' | 'soap12';
export type ScenarioId = 'product-cached' | 'search-cached' | 'search-uncached' | 'create-order' | 'product-ratelimit';

export interface LatencyMs {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export interface CaseResult {
  scenario: ScenarioId;
  style: Style;
  /** Free-form variant, e.g. `limiter on` / `limiter off` for the rate-limit pair. */
  variant?: string;
  durationSec: number;
  connections: number;
  /** 2xx responses per second. */
  reqPerSec: number;
  latencyMs: LatencyMs;
  requests: number;
  /** Responses that were not 2xx, plus socket errors and timeouts. */
  errors: number;
  /** Bytes of one request on the wire (request line + headers + body). */
  requestBytes: number;
  /** Mean bytes of one 2xx response on the wire (status line + headers + body). */
  responseBytes: number;
  /** Server-process CPU (user + system) per 2xx response, microseconds. */
  cpuUsPerReq: number | null;
  /** reqPerSec / the bare node:http reply's reqPerSec for the same scenario in the same run. */
  ratioToBare: number | null;
  /** req/s of every round (the row reports the best one). */
  roundsReqPerSec?: number[];
  /** First non-2xx response seen under load, when there were errors. */
  firstError?: string;
}

export interface Skipped {
  scenario: ScenarioId;
  style: Style;
  reason: string;
}

export interface SuiteRun {
  id: 'postgres' | 'pglite';
  label: string;
  database: 'postgres' | 'pglite';
  /** Cache L2 and rate-limit store the API ran with. */
  store: 'redis' | 'memory';
  products: number;
  results: CaseResult[];
  skipped: Skipped[];
}

export interface StampedeResult {
  /** Which server served the requests. */
  server: string;
  requests: number;
  /** Simultaneously open connections (one request each). */
  concurrency: number;
  ok: number;
  failed: number;
  /** HTTP status (or socket outcome) → count. A 408 is a connection that sat idle past the server's
   * header timeout while the other connections were still opening: an artifact of the harness. */
  outcomes: Record<string, number>;
  /** Time to open every connection before the first request was written. */
  connectMs: number;
  /** SELECTs on the products table counted while the stampede ran. */
  dbQueries: number;
  /** How the queries were counted. */
  method: string;
  instances: number;
  wallMs: number;
}

export interface RateLimiterResult {
  style: Style;
  onReqPerSec: number;
  offReqPerSec: number;
  /** on / off; 0.8 means the limiter costs 20% throughput. */
  ratio: number;
  /** Server CPU per request (mean of the rounds): steadier than req/s on a busy machine. */
  onCpuUsPerReq: number | null;
  offCpuUsPerReq: number | null;
  note: string;
}

export interface TargetCheck {
  id: string;
  description: string;
  value: number | null;
  threshold: string;
  /** null: could not be measured in this run (see note). */
  pass: boolean | null;
  note?: string;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  nodeVersion: string;
  platform: string;
  commit: string;
  dirty: boolean;
  /** How server and load generator were placed on cores. */
  placement: string;
  /** 1-minute load average at start and end: other work on the machine skews every number. */
  loadAverage: { start: number; end: number };
}

export interface BenchResults {
  schemaVersion: 1;
  startedAt: string;
  finishedAt: string;
  mode: 'full' | 'quick';
  machine: MachineInfo;
  settings: { connections: number; durationSec: number; warmupSec: number; rounds: number; pipelining: 1; logLevel: string };
  runs: SuiteRun[];
  stampede: StampedeResult[];
  rateLimiter: RateLimiterResult | null;
  targets: TargetCheck[];
  notes: string[];
}
