import { causeChain } from './cause-chain.ts';

/**
 * Errors that mean "the database cannot be reached right now" (connection lost, server shutting
 * down, too many connections), as opposed to a bug or a bad query. The gateway turns them into
 * UNAVAILABLE (503 + Retry-After) instead of INTERNAL: the client should retry, nothing is broken.
 */

/** SQLSTATE classes/codes: 08 connection exception, 57P01-03 shutdown/crash/starting, 53300 too many connections. */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/** postgres.js connection errors and the socket errors below them. */
const connectionCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/**
 * True when the error (or one of its causes: TRPCError → DrizzleQueryError → PostgresError) is a
 * lost or refused database connection.
 *
 * @example
 * isDatabaseUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' })); // true
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const current of causeChain(error, 6)) {
    if (!(current instanceof Error)) break;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (connectionCodes.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code)))) {
      return true;
    }
  }
  return false;
}
