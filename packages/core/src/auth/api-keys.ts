import { apiKeys, type Database, users } from '@triport/db';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Plan, Principal } from '../context.ts';
import { formatApiKey, maskApiKey, newKeyPrefix, parseApiKey, sameDigest, sha256Hex } from './tokens.ts';

export type ApiKeyPrincipal = Extract<Principal, { kind: 'apiKey' }>;

/** Compared against when the prefix is unknown, so every rejected key costs the same work. */
const NO_KEY_HASH = '0'.repeat(64);
/** Cannot match a real prefix (tp_<plan>_<12 chars>): malformed keys still pay for one lookup. */
const NO_PREFIX = '-';
/** `last_used_at` is written at most this often per key (it costs a write). */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The principal for a presented API key, or null for malformed, unknown, revoked or wrong keys. Every
 * path does one lookup by prefix, one SHA-256 of the presented key and one constant-time compare.
 *
 * @example
 * const principal = await verifyApiKey(db, bearerToken);
 * if (!principal) throw appError('UNAUTHENTICATED', 'Invalid API key');
 */
export async function verifyApiKey(db: Database, key: string): Promise<ApiKeyPrincipal | null> {
  const parsed = parseApiKey(key);
  const [hash, rows] = await Promise.all([
    sha256Hex(key),
    db
      .select({
        id: apiKeys.id,
        keyHash: apiKeys.keyHash,
        plan: apiKeys.plan,
        revokedAt: apiKeys.revokedAt,
        lastUsedAt: apiKeys.lastUsedAt,
        userId: apiKeys.userId,
        role: users.role,
      })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.prefix, parsed?.prefix ?? NO_PREFIX))
      .limit(1),
  ]);
  const row = rows[0];
  const matches = sameDigest(hash, row?.keyHash ?? NO_KEY_HASH);
  if (!row || !matches || row.revokedAt !== null) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Bookkeeping only: never delays or fails the request.
    db.update(apiKeys)
      .set({ lastUsedAt: new Date() })
      .where(eq(apiKeys.id, row.id))
      .catch(() => {});
  }
  return { kind: 'apiKey', keyId: row.id, userId: row.userId, role: row.role, plan: row.plan };
}

export interface ApiKeySummary {
  id: string;
  name: string;
  /** `tp_<plan>_<12 chars>_…`: never the secret. */
  maskedKey: string;
  plan: Plan;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type ApiKeyRow = typeof apiKeys.$inferSelect;

function summarize(row: ApiKeyRow): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    maskedKey: maskApiKey(row.prefix),
    plan: row.plan,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/**
 * Issues a key for a user with the user's plan. The key is returned once; only its hash is stored.
 *
 * @example
 * const { key, summary } = await createApiKey(db, secret, { userId, name: 'ci', plan: 'free' });
 */
export async function createApiKey(
  db: Database,
  authSecret: Buffer,
  input: { userId: string; name: string; plan: Plan },
): Promise<{ key: string; summary: ApiKeySummary }> {
  const prefix = newKeyPrefix(input.plan);
  const key = formatApiKey(authSecret, prefix);
  const [row] = await db
    .insert(apiKeys)
    .values({ userId: input.userId, name: input.name, prefix, keyHash: await sha256Hex(key), plan: input.plan })
    .returning();
  return { key, summary: summarize(row as ApiKeyRow) };
}

/** A user's keys, newest first, masked. */
export async function listApiKeys(db: Database, userId: string): Promise<ApiKeySummary[]> {
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt));
  return rows.map(summarize);
}

/** Counts a user's active keys (to cap how many one account holds). */
export async function countActiveApiKeys(db: Database, userId: string): Promise<number> {
  const rows = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)));
  return rows.length;
}

/** Revokes one of the user's keys; false when the user has no such key (or it is already revoked). */
export async function revokeApiKey(db: Database, userId: string, keyId: string): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
