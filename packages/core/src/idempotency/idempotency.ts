import { createHash } from 'node:crypto';
import { type Database, idempotencyKeys } from '@triport/db';
import { and, eq, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../context.ts';
import { appError } from '../errors.ts';

/** How long a key is remembered: a retry after this is a new request. */
export const idempotencyTtlMs = 24 * 60 * 60 * 1000;

/**
 * A client-chosen key (REST `Idempotency-Key` header, a tRPC/SOAP input field): printable ASCII,
 * no spaces, at most 255 characters. UUIDs are the usual choice.
 */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7E]+$/, 'Printable ASCII without spaces')
  .describe('Retries with the same key and body return the first result; another body is a conflict (24 h)');

type Authenticated = Exclude<Principal, { kind: 'anonymous' }>;

/**
 * Keys are scoped per principal: a session and each API key have their own key space, so one
 * client can never replay (or block) another's request.
 *
 * @example
 * idempotencyScope({ kind: 'apiKey', keyId: 'k1', userId: 'u1', role: 'shopper', plan: 'free' }) // 'apikey:k1'
 */
export function idempotencyScope(principal: Authenticated): string {
  return principal.kind === 'apiKey' ? `apikey:${principal.keyId}` : `user:${principal.userId}`;
}

/**
 * SHA-256 of a canonical JSON rendering (object keys sorted), so `{a,b}` and `{b,a}` hash alike.
 *
 * @example
 * requestHash({ b: 1, a: [2] }) === requestHash({ a: [2], b: 1 }) // true
 */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface IdempotencyRequest {
  scope: string;
  key: string;
  /** Procedure path: the same key on another operation is a conflict, not a replay. */
  operation: string;
  requestHash: string;
}

export type IdempotencyClaim = { kind: 'new' } | { kind: 'replay'; response: unknown };

/**
 * Claims `(scope, key)` inside the caller's transaction, before it does the work.
 *
 * The unique insert is the lock: a concurrent duplicate blocks on it until the first transaction
 * ends, then sees the stored response (replay) or, if the first rolled back, claims the key itself.
 * An expired row is taken over in the same statement. Failed operations roll back their claim, so
 * a retry after an error runs again.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   const claim = await claimIdempotencyKey(tx, req);
 *   if (claim.kind === 'replay') return claim.response;
 *   const result = await work(tx);
 *   await storeIdempotentResponse(tx, req, result);
 *   return result;
 * });
 */
export async function claimIdempotencyKey(tx: Database, req: IdempotencyRequest): Promise<IdempotencyClaim> {
  const expiresAt = sql`now() + ${Math.round(idempotencyTtlMs / 1000)}::int * interval '1 second'`;
  const claimed = await tx
    .insert(idempotencyKeys)
    .values({ scope: req.scope, key: req.key, operation: req.operation, requestHash: req.requestHash, expiresAt })
    .onConflictDoUpdate({
      target: [idempotencyKeys.scope, idempotencyKeys.key],
      set: {
        operation: req.operation,
        requestHash: req.requestHash,
        response: null,
        createdAt: sql`now()`,
        expiresAt,
      },
      setWhere: lte(idempotencyKeys.expiresAt, sql`now()`),
    })
    .returning({ key: idempotencyKeys.key });
  if (claimed.length > 0) return { kind: 'new' };

  const [row] = await tx
    .select({
      operation: idempotencyKeys.operation,
      requestHash: idempotencyKeys.requestHash,
      response: idempotencyKeys.response,
    })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, req.scope), eq(idempotencyKeys.key, req.key)));
  // Purged between the two statements (it had just expired): nothing to replay; try again later.
  if (!row) throw appError('CONFLICT', 'Idempotency key is being recycled; retry the request');
  if (row.operation !== req.operation || row.requestHash !== req.requestHash) {
    throw appError('CONFLICT', 'Idempotency key was already used for a different request');
  }
  if (row.response === null) throw appError('CONFLICT', 'A request with this idempotency key is still in progress');
  return { kind: 'replay', response: row.response };
}

/** Stores the result of a claimed key, in the same transaction as the work it describes. */
export async function storeIdempotentResponse(
  tx: Database,
  req: Pick<IdempotencyRequest, 'scope' | 'key'>,
  response: unknown,
): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ response })
    .where(and(eq(idempotencyKeys.scope, req.scope), eq(idempotencyKeys.key, req.key)));
}

/**
 * Deletes expired keys; returns how many. Expired keys are also reclaimed on reuse, so this only
 * bounds the table's size: run it from a periodic job.
 *
 * @example
 * setInterval(() => purgeExpiredIdempotencyKeys(db), 3_600_000).unref();
 */
export async function purgeExpiredIdempotencyKeys(db: Database): Promise<number> {
  const deleted = await db
    .delete(idempotencyKeys)
    .where(lte(idempotencyKeys.expiresAt, sql`now()`))
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
