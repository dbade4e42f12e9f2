import { LEASE_END_MARGIN_MS, LEASE_MAX_TOKENS, LEASE_MIN_TOKENS, LEASE_SHARE_DIVISOR, LEASE_TTL_MS, type Lease, leaseSize, takeFromLease } from './lease.ts';
import type { LimitTier, RateLimitStore, SlidingWindowResult } from './types.ts';

interface Waiter {
  cost: number;
  resolve(result: SlidingWindowResult): void;
  reject(error: unknown): void;
}

/** Checks of one identifier: at most one store call in flight; checks arriving meanwhile wait for the next. */
interface Lane {
  waiting: Waiter[];
  draining: boolean;
  /** The store's last answer for this identifier: whether the next batch (and lease) surely fits. */
  last: SlidingWindowResult | undefined;
  /** Tokens charged ahead of need, handed out without a store call. */
  lease: Lease | undefined;
  /** What the next lease asks for: the concurrency seen, doubled while leases run out early, cut to what was used when one expires. */
  wanted: number;
}

export interface CoalescingStoreOptions {
  /** Charge blocks of tokens ahead of need while far from the limit (default true). */
  lease?: boolean;
}

/** Idle lanes kept for their last answer; beyond this many, idle ones are dropped (many distinct IPs). */
const MAX_LANES = 10_000;
/**
 * No batch unless the last answer left at least this many tokens: the same floor under which no lease
 * is taken (16 × 4 = 64). A batch refused because other instances drained the window meanwhile is still
 * counted by the script (up to what was left is lost), so the end of every budget, and small budgets
 * entirely, are charged one check at a time: exact. (The chaos scale-out test, limit 30 over three
 * instances, lost 8 tokens once in 8 runs without it.)
 */
const MIN_BATCH_REMAINING = LEASE_SHARE_DIVISOR * LEASE_MIN_TOKENS;

/**
 * Fewer store calls for a busy identifier: concurrent checks share one call, and while far from the
 * limit a block of tokens is charged ahead of need and handed out locally (a lease).
 *
 * **Coalescing.** While one store call for an identifier is in flight, its checks queue; the queue is
 * then charged as ONE call with the summed cost and shared out in arrival order. A batch is used only
 * when the identifier's last answer left at least twice its cost: the sliding-window script admits a
 * call whenever one token is left and then counts all of it, so a batch near the limit would be refused
 * whole after spending tokens. Near the limit (fewer than MIN_BATCH_REMAINING left, or without a fresh
 * answer) every check goes alone.
 *
 * **Leases.** A charge may take `k` extra tokens, which the next checks of that identifier take locally
 * (no store call) until they are used up or the lease expires. Why this never admits more than the limit
 * across instances, with `@upstash/ratelimit`'s sliding window (epoch-aligned windows of W ms; a charge
 * at time t in window n is admitted when `floor(prev·(1 − (t mod W)/W)) + current_n` stays within the
 * limit, and then counted in `current_n`):
 * - Every leased token is counted in Redis, in window n, before the request it admits runs.
 * - A lease admits nothing after `min(charge answer + LEASE_TTL_MS, end of window n − LEASE_END_MARGIN_MS)`,
 *   so each token is used in the window it was charged in (a token charged in n but used in n+1 would
 *   count only as weighted `prev` there, i.e. be undercounted). Expiry is checked against the clock on
 *   every take, and a timer zeroes the lease as well (so a wall-clock jump cannot extend it).
 * - Within window n, charging a token earlier than its use only raises `current_n` sooner: every check
 *   in between (any instance) sees at least as much used as without the lease, and window n+1 sees the
 *   same `prev`. The weighted `prev` only falls during a window, so a token admitted at t0 would also
 *   have been admitted at its later use.
 * - When a lease expires with tokens left, they are given back to window n (a negative-cost call, made
 *   only while window n is still current: the store picks the window from the clock at call time).
 *   Until then other instances see them as used, so the client may be refused early by at most the
 *   outstanding leases — one per instance, each ≤ 1/16 of what was left and ≤ 256 tokens, for ≤ 100 ms.
 *   A slow refund still lands in window n (its key is fixed at call time); it only makes window n+1's
 *   `prev` truthful. Tokens are lost for good only when a charge's answer arrives in the window's last
 *   20 ms or a lease's timer fires within 10 ms of its window's end (one lease at most), or, as for any
 *   batch, when another instance drained the window between the last answer and a charge (the script
 *   counted a refused charge). (If Redis loses its data while a lease is out, the refund of up to 256
 *   tokens lands on an empty window — next to losing every count of that window, a small excess.)
 * - No lease is taken when the last answer is stale (another window), refused, or left under twice the
 *   batch + lease, nor when it would be under 4 tokens (so never with fewer than 64 tokens left: small
 *   budgets and the end of every budget are charged exactly), nor within LEASE_TTL_MS + 20 ms of the
 *   window's end: then the coalescing path above runs.
 * - Lease size follows demand: the first lease asks for the queued batch's cost (a client with one
 *   request at a time never leases, one needs about 4 concurrent checks), it doubles while leases run
 *   out before expiring, and drops to what was used when one expires with tokens left.
 *
 * A store error while charging reaches every waiting check, as without leases (the limiter applies the
 * fail policy); a failed charge creates no lease. An unexpired lease keeps admitting during an outage:
 * its tokens were taken before it.
 *
 * `remaining` of a check served from a lease is the store's `remaining` after the lease's charge plus the
 * lease tokens not yet handed out: what was left counting this instance's requests one by one, not
 * counting other instances' use since the charge (at most LEASE_TTL_MS old). `reset` is the charge's.
 *
 * The store must charge a negative cost as a refund to the window current at call time (the Upstash and
 * memory stores do).
 *
 * @example
 * const store = createCoalescingStore(createUpstashStore({ kind: 'redis', redis, prefix, policies }));
 */
export function createCoalescingStore(store: RateLimitStore, options: CoalescingStoreOptions = {}): RateLimitStore {
  const leasing = options.lease ?? true;
  const lanes: Record<LimitTier, Map<string, Lane>> = { anonymous: new Map(), free: new Map(), premium: new Map() };
  let laneCount = 0;

  function laneOf(tier: LimitTier, identifier: string): Lane {
    const tierLanes = lanes[tier];
    let lane = tierLanes.get(identifier);
    if (lane) return lane;
    if (laneCount >= MAX_LANES) dropIdleLanes();
    lane = { waiting: [], draining: false, last: undefined, lease: undefined, wanted: 0 };
    tierLanes.set(identifier, lane);
    laneCount += 1;
    return lane;
  }

  /** A dropped lane's lease is no longer handed out; its timer still gives the rest back. */
  function dropIdleLanes(): void {
    for (const tierLanes of Object.values(lanes)) {
      for (const [identifier, lane] of tierLanes) {
        if (lane.draining) continue;
        tierLanes.delete(identifier);
        laneCount -= 1;
      }
    }
  }

  async function drain(tier: LimitTier, identifier: string, lane: Lane): Promise<void> {
    lane.draining = true;
    while (lane.waiting.length > 0) {
      // Checks that queued while a charge was in flight may fit in the lease that charge opened.
      const batch = lane.lease === undefined ? lane.waiting : serveFromLease(lane);
      lane.waiting = [];
      if (batch.length === 0) continue;
      let total = 0;
      for (const w of batch) total += w.cost;
      const now = Date.now();
      const last = lane.last;
      const fresh = last?.success === true && last.reset > now;
      let extra = 0;
      if (leasing && fresh) {
        noteDemand(lane, batch.length, total, now);
        extra = leaseSize(last, total, lane.wanted, now);
      }
      if (extra > 0 || (batch.length > 1 && fresh && last.remaining >= Math.max(2 * total, MIN_BATCH_REMAINING))) {
        await chargeTogether(tier, identifier, lane, batch, total, extra);
      } else {
        await Promise.all(batch.map((w) => chargeAlone(tier, identifier, lane, w)));
      }
    }
    lane.draining = false;
  }

  /** Resolves the waiting checks the lane's lease covers; returns the others. */
  function serveFromLease(lane: Lane): Waiter[] {
    const rest: Waiter[] = [];
    for (const w of lane.waiting) {
      const leased = takeFromLease(lane.lease, w.cost);
      if (leased === undefined) rest.push(w);
      else w.resolve(leased);
    }
    return rest;
  }

  function noteDemand(lane: Lane, checks: number, total: number, now: number): void {
    const lease = lane.lease;
    // The lease is still live yet a check could not be served: it ran out before expiring.
    if (lease !== undefined && now < lease.expiresAt) lane.wanted = Math.max(lane.wanted, Math.min(2 * lease.size, LEASE_MAX_TOKENS));
    if (checks > 1) lane.wanted = Math.max(lane.wanted, total);
  }

  async function chargeAlone(tier: LimitTier, identifier: string, lane: Lane, waiter: Waiter): Promise<void> {
    try {
      const result = await store.limit(tier, identifier, waiter.cost);
      lane.last = result;
      waiter.resolve(result);
    } catch (error) {
      waiter.reject(error);
    }
  }

  /** One store call for the batch plus `extra` tokens to lease. */
  async function chargeTogether(tier: LimitTier, identifier: string, lane: Lane, batch: Waiter[], total: number, extra: number): Promise<void> {
    let result: SlidingWindowResult;
    try {
      result = await store.limit(tier, identifier, total + extra);
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    lane.last = result;
    if (!result.success) {
      // Other instances used the window up meanwhile: ask for each on its own (each is refused or fits).
      // If the script counted the charge before refusing it, up to `total + extra` tokens of this window
      // are lost: the client is refused a little early, never admitted beyond the limit.
      await Promise.all(batch.map((w) => chargeAlone(tier, identifier, lane, w)));
      return;
    }
    const leased = extra > 0 ? openLease(tier, identifier, lane, result, extra) : 0;
    // As if charged one after another, the batch before the lease: the first waiter saw the most left.
    let after = total + leased;
    for (const w of batch) {
      after -= w.cost;
      w.resolve({ success: true, limit: result.limit, remaining: result.remaining + after, reset: result.reset });
    }
  }

  /** Installs a lease of `extra` fresh tokens (plus a live lease's rest from the same window); returns its size. */
  function openLease(tier: LimitTier, identifier: string, lane: Lane, result: SlidingWindowResult, extra: number): number {
    const now = Date.now();
    const expiresAt = Math.min(now + LEASE_TTL_MS, result.reset - LEASE_END_MARGIN_MS);
    // The answer came back at the very end of its window: the extra tokens can be neither used nor returned.
    if (expiresAt <= now) return 0;
    const previous = lane.lease;
    let carried = 0;
    if (previous !== undefined && previous.reset === result.reset && now < previous.expiresAt) {
      carried = previous.left;
      previous.left = 0;
    }
    const lease: Lease = { left: extra + carried, size: extra + carried, remainingAfter: result.remaining, limit: result.limit, reset: result.reset, expiresAt };
    lane.lease = lease;
    setTimeout(expireLease, expiresAt - now, tier, identifier, lane, lease).unref();
    return lease.size;
  }

  /** Ends a lease: nothing more is taken from it, and what is left goes back to its window if that is still current. */
  function expireLease(tier: LimitTier, identifier: string, lane: Lane, lease: Lease): void {
    const left = lease.left;
    if (left === 0) return;
    lease.left = 0;
    if (lane.lease === lease) lane.wanted = lease.size - left;
    // The store picks the window from the clock at call time: half the margin keeps a late timer off the next window.
    if (Date.now() < lease.reset - LEASE_END_MARGIN_MS / 2) store.limit(tier, identifier, -left).catch(() => {});
  }

  return {
    kind: store.kind,
    limit(tier, identifier, cost) {
      const lane = laneOf(tier, identifier);
      const leased = takeFromLease(lane.lease, cost);
      if (leased !== undefined) return Promise.resolve(leased);
      const promise = new Promise<SlidingWindowResult>((resolve, reject) => lane.waiting.push({ cost, resolve, reject }));
      if (!lane.draining) void drain(tier, identifier, lane);
      return promise;
    },
  };
}
