import type { ScenarioId, Style } from './types.ts';

export interface BenchOptions {
  quick: boolean;
  durationSec: number;
  warmupSec: number;
  rounds: number;
  connections: number;
  products: number;
  pgliteProducts: number;
  pgliteDurationSec: number;
  scenarios: ScenarioId[];
  pgliteScenarios: ScenarioId[];
  pglite: boolean;
  /** `reference`: also stampede the createCaller reference (core's cache alone, exact query count). */
  stampede: { requests: number; instances: number; reference: boolean } | null;
  /** `--cpu-prof` on every server child, profiles in bench/results/profiles/. */
  profile: boolean;
  logLevel: string;
  /** Write results files (false with --no-write, for trying things out). */
  write: boolean;
  /** Only these styles (`--styles=trpc,rest`), e.g. to profile one adapter alone. */
  styles?: Style[];
  /** catalog.search latency (bench/src/search/search-bench.ts) at these catalog sizes; null = skip. */
  search: number[] | null;
}

const STYLES: Style[] = ['bare', 'caller', 'trpc-standalone', 'trpc', 'rest', 'soap11', 'soap12'];

const FULL_SCENARIOS: ScenarioId[] = ['product-cached', 'search-cached', 'search-uncached', 'create-order', 'product-ratelimit'];

/**
 * Command line → options. `--quick` is the under-a-minute development mode.
 *
 * @example
 * parseOptions(['--quick']).durationSec; // 2
 */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const flags = new Set(argv.filter((a) => a.startsWith('--') && !a.includes('=')));
  const values = new Map(
    argv.filter((a) => a.startsWith('--') && a.includes('=')).map((a) => [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as const),
  );
  const known = new Set(['--quick', '--profile', '--no-pglite', '--no-write', '--no-stampede', '--search', '--no-search']);
  for (const f of flags) if (!known.has(f)) throw new Error(`Unknown flag ${f} (known: ${[...known].join(', ')}, --duration=s, --connections=n, --products=n, --only=a,b)`);
  for (const k of values.keys()) if (!['duration', 'rounds', 'connections', 'products', 'only', 'styles', 'log-level', 'search'].includes(k)) throw new Error(`Unknown option --${k}`);
  const quick = flags.has('--quick');
  const num = (key: string, fallback: number) => {
    const raw = values.get(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${key} must be a positive number, got "${raw}"`);
    return n;
  };
  const only = values.get('only')?.split(',').map((s) => s.trim()) as ScenarioId[] | undefined;
  for (const s of only ?? []) if (!FULL_SCENARIOS.includes(s)) throw new Error(`--only: unknown scenario "${s}" (${FULL_SCENARIOS.join(', ')})`);
  const styles = values.get('styles')?.split(',').map((s) => s.trim()) as Style[] | undefined;
  for (const s of styles ?? []) if (!STYLES.includes(s)) throw new Error(`--styles: unknown style "${s}" (${STYLES.join(', ')})`);
  // Search latency: 10k products in a full run (or with --search), other sizes with --search=10000,100000.
  const search = values.get('search')?.split(',').map((n) => Number(n.replace(/_/g, '')));
  if (search?.some((n) => !Number.isInteger(n) || n < 100)) throw new Error('--search: comma-separated catalog sizes ≥ 100');
  const scenarios = only ?? (quick ? (['product-cached'] as ScenarioId[]) : FULL_SCENARIOS);
  return {
    quick,
    durationSec: num('duration', quick ? 1.5 : 4),
    warmupSec: quick ? 0.5 : 1,
    rounds: num('rounds', quick ? 1 : 3),
    connections: num('connections', 50),
    products: num('products', quick ? 2_000 : 10_000),
    pgliteProducts: 2_000,
    pgliteDurationSec: quick ? 1.5 : 3,
    scenarios,
    pgliteScenarios: scenarios.filter((s) => s === 'product-cached' || s === 'search-cached'),
    pglite: !quick && !flags.has('--no-pglite'),
    stampede: flags.has('--no-stampede') ? null : quick ? { requests: 1_000, instances: 1, reference: false } : { requests: 10_000, instances: 2, reference: true },
    profile: flags.has('--profile'),
    logLevel: values.get('log-level') ?? 'warn',
    write: !flags.has('--no-write'),
    ...(styles ? { styles } : {}),
    search: search ?? (flags.has('--search') || (!quick && !flags.has('--no-search')) ? [10_000] : null),
  };
}
