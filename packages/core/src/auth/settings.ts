import { randomBytes } from 'node:crypto';
import { createMemoryNonceStore, type NonceStore } from './nonce-store.ts';

/** Auth knobs shared by the gateway and the auth procedures (`Services.auth`). */
export interface AuthSettings {
  /**
   * HMAC key from which API key secrets are derived (`AUTH_SECRET`, ≥ 32 bytes). Every instance must share
   * it; changing it breaks WS-Security PasswordDigest for existing keys (Bearer keys keep working: they
   * are checked against their stored SHA-256).
   */
  secret: Buffer;
  /** Session lifetime; a session used in its second half is extended to a full lifetime again. */
  sessionTtlMs: number;
  /** Seen WS-Security nonces (Redis when configured, so replays are caught across instances). */
  nonces: NonceStore;
  /** Accepted clock difference for `wsu:Created` (either direction). */
  digestMaxSkewMs: number;
}

let processDefault: AuthSettings | undefined;

/**
 * Settings with a random per-process secret: for tests and for callers that build `Services` without
 * `auth`. Production passes `AUTH_SECRET` through {@link createAuthSettings}.
 *
 * @example
 * const settings = ctx.services.auth ?? defaultAuthSettings();
 */
export function defaultAuthSettings(): AuthSettings {
  processDefault ??= createAuthSettings({});
  return processDefault;
}

/**
 * @example
 * const auth = createAuthSettings({ secret: process.env.AUTH_SECRET, nonces: createRedisNonceStore(redis, 'tp:') });
 */
export function createAuthSettings(options: {
  secret?: string | undefined;
  sessionTtlMs?: number;
  nonces?: NonceStore;
  digestMaxSkewMs?: number;
}): AuthSettings {
  if (options.secret !== undefined && Buffer.byteLength(options.secret) < 32) {
    throw new Error('AUTH_SECRET must be at least 32 bytes');
  }
  return {
    secret: options.secret ? Buffer.from(options.secret, 'utf8') : randomBytes(32),
    sessionTtlMs: options.sessionTtlMs ?? 7 * 24 * 3600 * 1000,
    nonces: options.nonces ?? createMemoryNonceStore(),
    digestMaxSkewMs: options.digestMaxSkewMs ?? 5 * 60 * 1000,
  };
}
