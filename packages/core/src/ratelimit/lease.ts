import type { SlidingWindowResult } from './types.ts';

/**
 * Tokens one instance charged in the store ahead of need for one identifier, handed out locally.
 * Every token here was already counted in the store's window ending at `reset`.
 */
export interface Lease {
  /** Charged, not handed out yet. Zeroed when the lease expires (then nothing more is admitted from it). */
  left: number;
  /** Tokens the lease started with (fresh + carried over): `size - left` were used. */
  readonly size: number;
  /** The store's `remaining` right after the charge that created the lease (the lease itself counted). */
  readonly remainingAfter: number;
  readonly limit: number;
  /** End of the window the tokens were charged in (epoch ms). */
  readonly reset: number;
  /** Epoch ms after which the lease admits nothing: at most LEASE_TTL_MS after the charge, before `reset`. */
  readonly expiresAt: number;
}

/** How long leased tokens may be handed out after the charge that took them. */
export const LEASE_TTL_MS = 100;
/** Leases end this long before their window does, so leftovers go back to the window they came from. */
export const LEASE_END_MARGIN_MS = 20;
/** A lease never asks for more than this share of what the store said was left (1/16)... */
export const LEASE_SHARE_DIVISOR = 16;
/** ...nor for more than this many tokens. */
export const LEASE_MAX_TOKENS = 256;
/**
 * Smaller leases are not taken: no lease while fewer than 16 × 4 = 64 tokens are left, so small budgets
 * (and the last 64 tokens of any) are always charged exactly, and a client needs ≥ 4 concurrent checks.
 */
export const LEASE_MIN_TOKENS = 4;

/**
 * Tokens to lease next to a charge of `batchCost`, or 0 to charge exactly (today's path).
 *
 * `wanted` is the lane's demand estimate (see the coalescing store); the result never exceeds
 * 1/16 of the last `remaining`, never breaks the twice-the-charge rule, and is 0 when it would be under
 * LEASE_MIN_TOKENS or the last answer is stale, refused, or too close to its window's end for a lease to live.
 */
export function leaseSize(last: SlidingWindowResult | undefined, batchCost: number, wanted: number, now: number): number {
  if (wanted < 1 || !last?.success || last.reset - now < LEASE_TTL_MS + LEASE_END_MARGIN_MS) return 0;
  const size = Math.min(
    wanted,
    LEASE_MAX_TOKENS,
    Math.floor(last.remaining / LEASE_SHARE_DIVISOR),
    // Batch and lease are one charge: it must fit twice into what was left, as for any batch.
    Math.floor(last.remaining / 2) - batchCost,
  );
  return size >= LEASE_MIN_TOKENS ? size : 0;
}

/** Takes `cost` from a live lease, or answers undefined (lease missing, short or past its time; a refund). */
export function takeFromLease(lease: Lease | undefined, cost: number): SlidingWindowResult | undefined {
  if (lease === undefined || cost < 0 || lease.left < cost || Date.now() >= lease.expiresAt) return undefined;
  lease.left -= cost;
  return { success: true, limit: lease.limit, remaining: lease.remainingAfter + lease.left, reset: lease.reset };
}
