import { createHash, timingSafeEqual } from 'node:crypto';

export interface VerifyPasswordDigestOptions {
  /** The user's clear-text secret as the app knows it. */
  password: string;
  /** `wsse:Nonce` text (base64). */
  nonce: string;
  /** `wsu:Created` text (ISO 8601 UTC). */
  created: string;
  /** `wsse:Password` text with Type PasswordDigest (base64). */
  digest: string;
  now?: Date;
  maxSkewSeconds?: number;
}

export type VerifyPasswordDigestResult =
  | { ok: true }
  | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Checks a WS-Security UsernameToken PasswordDigest: `Base64(SHA-1(nonce + created + password))`,
 * compared in constant time, and that `created` lies within ±maxSkewSeconds of `now`. Replay
 * protection (remembering nonces) is the caller's job, e.g. with {@link NonceReplayCache}.
 *
 * @example
 * const result = verifyPasswordDigest({ password: 'secret', nonce: token.nonce!, created: token.created!,
 *   digest: token.password });
 * if (!result.ok || !replayCache.remember(token.nonce!)) throw new TRPCError({ code: 'UNAUTHORIZED' });
 */
export function verifyPasswordDigest(options: VerifyPasswordDigestOptions): VerifyPasswordDigestResult {
  const { password, nonce, created, digest, now = new Date(), maxSkewSeconds = 300 } = options;
  if (!BASE64.test(nonce) || !BASE64.test(digest) || nonce.length > 1024) return { ok: false, reason: 'malformed' };
  const createdMs = Date.parse(created);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(created) || Number.isNaN(createdMs)) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = createHash('sha1')
    .update(Buffer.from(nonce, 'base64'))
    .update(created, 'utf8')
    .update(password, 'utf8')
    .digest();
  const given = Buffer.from(digest, 'base64');
  // Compare before the freshness check so both outcomes cost the same hash work.
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  if (Math.abs(now.getTime() - createdMs) > maxSkewSeconds * 1000) return { ok: false, reason: 'stale' };
  return matches ? { ok: true } : { ok: false, reason: 'mismatch' };
}

export interface NonceReplayCacheOptions {
  /** Entries kept at most; the oldest are evicted first. Default 100,000. */
  maxEntries?: number;
  /** How long a nonce is remembered; keep it ≥ 2 × maxSkewSeconds. Default 600. */
  ttlSeconds?: number;
}

/**
 * In-memory, bounded, TTL'd set of seen nonces (single process; use a shared store across instances).
 *
 * @example
 * const cache = new NonceReplayCache({ maxEntries: 50_000, ttlSeconds: 600 });
 * if (!cache.remember(nonce)) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Replayed nonce' });
 */
export class NonceReplayCache {
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  /** nonce → expiry (ms); Map keeps insertion order, so the first entries are the oldest. */
  readonly #seen = new Map<string, number>();

  constructor(options: NonceReplayCacheOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 100_000);
    this.#ttlMs = Math.max(1, options.ttlSeconds ?? 600) * 1000;
  }

  /** Returns true the first time a nonce is seen (and remembers it), false for a replay. */
  remember(nonce: string, now: number = Date.now()): boolean {
    this.#evictExpired(now);
    const expiry = this.#seen.get(nonce);
    if (expiry !== undefined && expiry > now) return false;
    this.#seen.delete(nonce);
    while (this.#seen.size >= this.#maxEntries) {
      const oldest = this.#seen.keys().next().value as string;
      this.#seen.delete(oldest);
    }
    this.#seen.set(nonce, now + this.#ttlMs);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }

  #evictExpired(now: number): void {
    for (const [nonce, expiry] of this.#seen) {
      if (expiry > now) break;
      this.#seen.delete(nonce);
    }
  }
}
