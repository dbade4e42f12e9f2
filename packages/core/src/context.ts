import type { Database } from '@triport/db';
import type { TRPCError } from '@trpc/server';
import type { AuthSettings } from './auth/settings.ts';
import type { Cache } from './cache/types.ts';
import type { RateLimiter } from './ratelimit/types.ts';

export type ApiStyle = 'trpc' | 'rest' | 'soap' | 'internal';
export type Role = 'shopper' | 'admin';
export type Plan = 'free' | 'premium';

/** Who is calling. Resolved by the gateway before any procedure runs. */
export type Principal =
  | { kind: 'anonymous' }
  /** `sessionId` is null when the user authenticated per message (WS-Security UsernameToken). */
  | { kind: 'user'; userId: string; role: Role; plan: Plan; sessionId: string | null }
  | { kind: 'apiKey'; keyId: string; userId: string; role: Role; plan: Plan };

/** Long-lived things shared by every request of one API instance. */
export interface Services {
  db: Database;
  cache: Cache;
  /** Absent: no rate limiting (tests and scripts). The API server always sets it. */
  rateLimiter?: RateLimiter;
  /** Absent: {@link defaultAuthSettings} (random per-process secret). */
  auth?: AuthSettings;
}

/** Server-Timing entries for one request (name → milliseconds). */
export interface Timing {
  add(name: string, ms: number): void;
}

/** What the gateway wants to know about a request for its log line and metrics; procedures fill it. */
export interface RequestObservation {
  /** Procedure path(s) called (a tRPC batch has several). */
  procedure: string | undefined;
  /** Cache outcome of the request's last cached read: hit | miss | coalesced | stale. */
  cache: string | undefined;
}

export interface Context {
  services: Services;
  requestId: string;
  style: ApiStyle;
  principal: Principal;
  /** Client address (after the trusted-proxy rules of the gateway). */
  clientIp: string;
  /** Sets a response header (rate-limit fields, Set-Cookie, ...), whatever the API style. */
  setHeader(name: string, value: string | string[]): void;
  timing: Timing;
  /** The request arrived over TLS (directly, or per X-Forwarded-Proto behind a trusted proxy): cookies get `Secure`. */
  secure?: boolean;
  observation?: RequestObservation;
  /**
   * Credentials were presented but rejected (or could not be checked). The gateway middleware throws it
   * after the rate-limit check, so every procedure of every style answers 401 with the request id.
   */
  authError?: TRPCError;
}

const noopTiming: Timing = { add: () => {} };

/**
 * A context for server-side callers (tests, scripts, server components) that need no HTTP.
 *
 * @example
 * const caller = createCaller(internalContext(services));
 */
export function internalContext(services: Services, principal: Principal = { kind: 'anonymous' }): Context {
  return {
    services,
    requestId: 'internal',
    style: 'internal',
    principal,
    clientIp: '127.0.0.1',
    setHeader: () => {},
    timing: noopTiming,
  };
}
