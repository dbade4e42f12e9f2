import { type Database, queryRows } from '@triport/db';
import { type SQL, sql } from 'drizzle-orm';

/**
 * Bounded work for broad text matches. Exact relevance order and exact facet counts need every
 * match: at 1M products `laptop` or `head:*` match ~30k rows, and ranking + counting them costs
 * 50–100 ms of CPU (bench/results/search-plans.md). Above `threshold` estimated matches, a search
 * ranks and counts only a window of the newest products instead: `p.id >= fromId`, sized for about
 * `target` matches. Postgres intersects the GIN bitmap of the words with a primary-key range
 * (BitmapAnd), so the cost follows the window, not the match count.
 *
 * Ids are assigned in insertion order and say nothing about category, brand, price or rating, so the
 * window is a fair sample for facet counts: they (and the total) are scaled by catalog ids / window
 * ids and flagged `countsApproximate`. Relevance pages list the window's matches, best first.
 */
export interface CandidateWindow {
  /** Lowest id in the window (the window ends at the highest id). */
  fromId: number;
  /** Ids in the catalog per id in the window: multiply window counts by this to estimate totals. */
  scale: number;
}

/** What a search should read: the window, or every match (`window: null`) and how many there are. */
export interface MatchScope {
  window: CandidateWindow | null;
  /** Estimated matches of the words (exact on catalogs of up to 20,000 ids); null when not measured. */
  estimatedMatches: number | null;
  /** True when `estimatedMatches` is an exact count (the slice was the whole catalog). */
  exact: boolean;
}

export interface BroadMatchOptions {
  /** Estimated matches above which the window is used (default 1,000). */
  threshold?: number;
  /** Matches the window aims for (default 1,000). */
  target?: number;
  /** Rows passing every filter the window aims for at least, when filters are narrow (default 250, ~10 pages). */
  minFiltered?: number;
  /**
   * Price/newest/rating pages of a broad word: sort-index entries to walk before sorting every match
   * instead (default 2,000; search.ts).
   */
  sortWalkRows?: number;
}

export const defaultBroadMatchThreshold = 2_000;
const defaultTarget = 1_000;
const defaultMinFiltered = 250;
/** The estimate counts the matches among the newest ids: at least this many ids, or 2% of them. */
const minSliceIds = 20_000;
const sliceFraction = 0.02;

export interface IdRange {
  lo: number;
  hi: number;
}

/** Reused for a few seconds: it only sizes windows (an insert since then is inside any window: `id >= fromId`). */
const idRangeTtlMs = 5_000;
const idRanges = new WeakMap<Database, { at: number; range: IdRange | null }>();

async function idRange(db: Database): Promise<IdRange | null> {
  const cached = idRanges.get(db);
  if (cached && Date.now() - cached.at < idRangeTtlMs) return cached.range;
  const [row] = await queryRows<{ lo: number | null; hi: number | null }>(db, sql`SELECT min(id) AS lo, max(id) AS hi FROM products`);
  const range = row?.lo == null || row.hi == null ? null : { lo: Number(row.lo), hi: Number(row.hi) };
  idRanges.set(db, { at: Date.now(), range });
  return range;
}

async function countFrom(db: Database, where: SQL, filtered: SQL, fromId: number): Promise<{ n: number; filtered: number }> {
  const [row] = await queryRows<{ n: number; f: number }>(
    db,
    sql`SELECT count(*)::int AS n, (count(*) FILTER (WHERE ${filtered}))::int AS f FROM products p WHERE ${where} AND p.id >= ${fromId}::int`,
  );
  return { n: row?.n ?? 0, filtered: row?.f ?? 0 };
}

/**
 * Where the estimate counts: the newest 2% of ids (at least 20,000). `whole` when that is every id,
 * so the count is exact; then the catalog is also small enough that no statement over it gets near
 * `jit_above_cost` (search.ts).
 */
export interface EstimateSlice {
  range: IdRange;
  /** Lowest id counted. */
  fromId: number;
  whole: boolean;
  /** Matches in the slice above which the words are broad (the estimate exceeds the threshold). */
  maxMatches: number;
}

/** The slice to count in, or null for an empty catalog. */
export async function estimateSlice(db: Database, options: BroadMatchOptions = {}): Promise<EstimateSlice | null> {
  const range = await idRange(db);
  if (!range) return null;
  const span = range.hi - range.lo + 1;
  const slice = Math.min(span, Math.max(minSliceIds, Math.ceil(span * sliceFraction)));
  const threshold = options.threshold ?? defaultBroadMatchThreshold;
  // estimated = n * span / slice <= threshold  <=>  n <= threshold * slice / span (n is an integer).
  return { range, fromId: range.hi - slice + 1, whole: slice === span, maxMatches: Math.floor((threshold * slice) / span) };
}

/**
 * The scope for `n` matches of the words in the slice, `filtered` of them passing the other filters
 * (counted by the caller, possibly inside a larger statement).
 */
function scopeFromCounts(s: EstimateSlice, n: number, filtered: number, options: BroadMatchOptions = {}): MatchScope {
  const span = s.range.hi - s.range.lo + 1;
  const slice = s.range.hi - s.fromId + 1;
  const estimatedMatches = (n * span) / slice;
  // The slice started at the lowest id (ids inserted since the range was read are above it): exact.
  const exact = s.whole;
  if (n <= s.maxMatches) return { window: null, estimatedMatches, exact };
  // `target` matches, and at least `minFiltered` rows passing the filters, so that a narrow filter on
  // a broad word still finds its rows (up to the whole catalog, which is then searched exactly).
  const fraction = Math.max((options.target ?? defaultTarget) / n, (options.minFiltered ?? defaultMinFiltered) / Math.max(filtered, 0.5)) * (slice / span);
  if (fraction >= 1) return { window: null, estimatedMatches, exact };
  const width = Math.max(1, Math.ceil(span * fraction));
  return { window: { fromId: s.range.hi - width + 1, scale: span / width }, estimatedMatches, exact };
}

/**
 * The window to rank and count in, or `window: null` when the words (`where`) match few enough rows
 * to do it exactly. `filtered` is the rest of the filters: the window is sized for the rows passing them.
 * Catalogs of up to 20,000 ids are counted exactly (the slice is the whole catalog); larger ones
 * extrapolate from the newest 2% of ids. With `fromId` (from a cursor) the window is kept as it was.
 *
 * @example
 * const w = await candidateWindow(db, sql`p.search_vector @@ to_tsquery('english', 'laptop:*')`, sql`true`);
 * // 1M products: { window: { fromId: 971429, scale: 35 }, estimatedMatches: 35000, exact: false }; 3,000 products: { window: null, estimatedMatches: 110, exact: true }
 */
export async function candidateWindow(
  db: Database,
  where: SQL,
  filtered: SQL,
  options: BroadMatchOptions & { fromId?: number } = {},
): Promise<MatchScope> {
  const s = await estimateSlice(db, options);
  if (!s) return { window: null, estimatedMatches: 0, exact: false };
  const { range } = s;
  const span = range.hi - range.lo + 1;
  if (options.fromId !== undefined) {
    const fromId = Math.max(range.lo, Math.min(options.fromId, range.hi));
    return { window: { fromId, scale: span / (range.hi - fromId + 1) }, estimatedMatches: null, exact: false };
  }
  const inSlice = await countFrom(db, where, filtered, s.fromId);
  return scopeFromCounts(s, inSlice.n, inSlice.filtered, options);
}
