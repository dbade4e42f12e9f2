import type { Database } from '@triport/db';
import type { Cache } from './cache/types.ts';

export type ApiStyle = 'trpc' | 'rest' | 'soap' | 'internal';
export type Role = 'shopper' | 'admin';
export type Plan = 'free' | 'premium';

/** Who is calling. Resolved by the gateway before any procedure runs. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; role: Role; plan: Plan; sessionId: string }
  | { kind: 'apiKey'; keyId: string; userId: string; role: Role; plan: Plan };

/** Long-lived things shared by every request of one API instance. */
export interface Services {
  db: Database;
  cache: Cache;
}

/** Server-Timing entries for one request (name → milliseconds). */
export interface Timing {
  add(name: string, ms: number): void;
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
