import type { Principal } from '../context.ts';
import type { LimitTier, RateLimiter, RateLimitPolicies, RateLimitStore } from './types.ts';

export interface RateLimiterOptions {
  store: RateLimitStore;
  policies: RateLimitPolicies;
  /** When the store is unreachable: admit (`open`) or refuse (`closed`) the request. */
  failPolicy: 'open' | 'closed';
  /** Called for every store failure (log + metric); must not throw. */
  onStoreFailure?: (error: unknown) => void;
  /** Called for every rejection (metric). */
  onRejected?: (tier: LimitTier) => void;
}

function tierOf(principal: Principal): LimitTier {
  return principal.kind === 'anonymous' ? 'anonymous' : principal.plan;
}

/** Identifiers already built, per kind: the same string object each time, so the store's map lookups hash it once. */
const identifiers = { k: new Map<string, string>(), u: new Map<string, string>(), ip: new Map<string, string>() };
/** Per kind; beyond this many distinct ids the memo starts over (many distinct clients). */
const MAX_MEMOIZED_IDENTIFIERS = 10_000;

function identifierOf(principal: Principal, clientIp: string): string {
  if (principal.kind === 'apiKey') return memoized('k', principal.keyId);
  if (principal.kind === 'user') return memoized('u', principal.userId);
  return memoized('ip', clientIp);
}

function memoized(kind: keyof typeof identifiers, id: string): string {
  const memo = identifiers[kind];
  let identifier = memo.get(id);
  if (identifier === undefined) {
    if (memo.size >= MAX_MEMOIZED_IDENTIFIERS) memo.clear();
    identifier = `${kind}:${kind === 'ip' ? ipBucket(id) : id}`;
    memo.set(id, identifier);
  }
  return identifier;
}

/**
 * The address an anonymous budget belongs to: IPv4 (also IPv4-mapped IPv6) as is, IPv6 by its /64 —
 * one subscriber usually holds a whole /64 and could otherwise rotate through it.
 *
 * @example
 * ipBucket('2001:db8::1'); // '2001:db8:0:0::/64'
 */
export function ipBucket(ip: string): string {
  if (!ip.includes(':')) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  const [head = '', tail] = ip.toLowerCase().split('%', 1)[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * Plan-aware sliding-window limiter: keyed by API key, user or client IP; answers with IETF
 * `RateLimit-Policy` / `RateLimit` field values (draft-ietf-httpapi-ratelimit-headers).
 *
 * @example
 * const limiter = createRateLimiter({ store, policies, failPolicy: 'open' });
 * const d = await limiter.check(ctx.principal, ctx.clientIp, meta.cost ?? 1);
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { store, policies, failPolicy, onStoreFailure, onRejected } = options;
  // Constant per tier: built once.
  const policyHeaders = Object.fromEntries(
    (Object.keys(policies) as LimitTier[]).map((tier) => [
      tier,
      `"${tier}";q=${policies[tier].limit};w=${Math.ceil(policies[tier].windowMs / 1000)}`,
    ]),
  ) as Record<LimitTier, string>;

  return {
    async check(principal, clientIp, cost) {
      const tier = tierOf(principal);
      const policyHeader = policyHeaders[tier];
      try {
        const r = await store.limit(tier, identifierOf(principal, clientIp), cost);
        const seconds = Math.max(0, Math.ceil((r.reset - Date.now()) / 1000));
        if (!r.success) onRejected?.(tier);
        return {
          allowed: r.success,
          tier,
          policyHeader,
          header: `"${tier}";r=${r.remaining};t=${seconds}`,
          retryAfterSeconds: Math.max(1, seconds),
          storeFailed: false,
        };
      } catch (error) {
        onStoreFailure?.(error);
        return { allowed: failPolicy === 'open', tier, policyHeader, header: undefined, retryAfterSeconds: 1, storeFailed: true };
      }
    },
  };
}

/**
 * Parses `"<limit>/<window>"` such as `100/60s`, `1000/1m`, `50/500ms`.
 *
 * @example
 * parseTierPolicy('100/60s'); // { limit: 100, windowMs: 60000 }
 */
export function parseTierPolicy(text: string): { limit: number; windowMs: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*(ms|s|m|h)\s*$/.exec(text);
  if (!match) throw new Error(`Rate limit must look like "100/60s", got "${text}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[3] as 'ms' | 's' | 'm' | 'h'];
  const limit = Number(match[1]);
  const windowMs = Number(match[2]) * unit;
  if (limit < 1 || windowMs < 1) throw new Error(`Rate limit and window must be positive, got "${text}"`);
  return { limit, windowMs };
}

/** Defaults when nothing is configured: anonymous < free < premium, per minute. */
export const defaultRateLimitPolicies: RateLimitPolicies = {
  anonymous: { limit: 120, windowMs: 60_000 },
  free: { limit: 600, windowMs: 60_000 },
  premium: { limit: 6000, windowMs: 60_000 },
};
