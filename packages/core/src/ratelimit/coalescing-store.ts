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
  /** The store's last answer for this identifier: whether the next batch surely fits. */
  last: SlidingWindowResult | undefined;
}

/** Idle lanes kept for their last answer; beyond this many, idle ones are dropped (many distinct IPs). */
const MAX_LANES = 10_000;

/**
 * One store call for all the concurrent checks of one identifier, instead of one each.
 *
 * A busy client (an API key, a crawler's IP) sends many requests at once; each check is a Redis round
 * trip that costs more CPU than serving a cached read. While one call for an identifier is in flight,
 * checks of that identifier queue; when it returns, the queue is charged as ONE call with the summed
 * cost and the answer is shared out in arrival order. Admission stays exact across instances: every
 * token is still taken in Redis, atomically, before a request runs.
 *
 * The batch is only used when the identifier's last answer left at least twice the batch's cost: the
 * sliding-window script admits a call whenever one token is left and then counts all of it, so a batch
 * near the limit would be refused whole after spending tokens. Near the limit (or without a recent
 * answer) every check goes to the store on its own, exactly as without this wrapper.
 *
 * @example
 * const store = createCoalescingStore(createUpstashStore({ kind: 'redis', redis, prefix, policies }));
 */
export function createCoalescingStore(store: RateLimitStore): RateLimitStore {
  const lanes = new Map<string, Lane>();

  function laneOf(key: string): Lane {
    let lane = lanes.get(key);
    if (lane) return lane;
    if (lanes.size >= MAX_LANES) {
      for (const [k, l] of lanes) if (!l.draining) lanes.delete(k);
    }
    lane = { waiting: [], draining: false, last: undefined };
    lanes.set(key, lane);
    return lane;
  }

  async function drain(tier: LimitTier, identifier: string, lane: Lane): Promise<void> {
    lane.draining = true;
    while (lane.waiting.length > 0) {
      const batch = lane.waiting;
      lane.waiting = [];
      let total = 0;
      for (const w of batch) total += w.cost;
      const last = lane.last;
      if (batch.length > 1 && last?.success && last.reset > Date.now() && last.remaining >= 2 * total) {
        await chargeTogether(tier, identifier, lane, batch, total);
      } else {
        await Promise.all(batch.map((w) => chargeAlone(tier, identifier, lane, w)));
      }
    }
    lane.draining = false;
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

  async function chargeTogether(tier: LimitTier, identifier: string, lane: Lane, batch: Waiter[], total: number): Promise<void> {
    let result: SlidingWindowResult;
    try {
      result = await store.limit(tier, identifier, total);
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    lane.last = result;
    if (!result.success) {
      // Other instances used the window up meanwhile: ask for each on its own (each is refused or fits).
      // If the script counted the batch before refusing it, up to `total` tokens of this window are lost:
      // the client is refused a little early, never admitted beyond the limit.
      await Promise.all(batch.map((w) => chargeAlone(tier, identifier, lane, w)));
      return;
    }
    // As if charged one after another: the first waiter saw the most tokens left.
    let after = total;
    for (const w of batch) {
      after -= w.cost;
      w.resolve({ success: true, limit: result.limit, remaining: result.remaining + after, reset: result.reset });
    }
  }

  return {
    kind: store.kind,
    limit(tier, identifier, cost) {
      const lane = laneOf(`${tier}\0${identifier}`);
      const promise = new Promise<SlidingWindowResult>((resolve, reject) => lane.waiting.push({ cost, resolve, reject }));
      if (!lane.draining) void drain(tier, identifier, lane);
      return promise;
    },
  };
}
