import { apiKeys, type Database, users } from '@triport/db';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Cache } from '../cache/types.ts';
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
 * How long a key's row may be served from the cache. A revocation drops it at once on every instance
 * (tag invalidation over Redis pub/sub); this bounds it only when that broadcast is lost (Redis down).
 */
export const API_KEY_CACHE_TTL_MS = 30_000;

/** The cache tag (and key) of one key's row: revocation invalidates it. */
export function apiKeyCacheTag(prefix: string): string {
  return `apikey:${prefix}`;
}

/** What a key lookup needs, JSON-safe so it can live in the shared (Redis) cache. */
interface KeyRecord {
  id: string;
  keyHash: string;
  plan: Plan;
  revoked: boolean;
  userId: string;
  role: ApiKeyPrincipal['role'];
  lastUsedMs: number | null;
}

async function loadKeyRecord(db: Database, prefix: string): Promise<KeyRecord | null> {
  const [row] = await db
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
    .where(eq(apiKeys.prefix, prefix))
    .limit(1);
  if (!row) return null;
  return {
    id: row.id,
    keyHash: row.keyHash,
    plan: row.plan,
    revoked: row.revokedAt !== null,
    userId: row.userId,
    role: row.role,
    lastUsedMs: row.lastUsedAt?.getTime() ?? null,
  };
}

/** When this process last wrote `last_used_at` per key: a cached row's own value may be stale. */
const lastUsedWrites = new Map<string, number>();
const MAX_LAST_USED_ENTRIES = 10_000;

function touchLastUsed(db: Database, record: KeyRecord): void {
  const now = Date.now();
  const last = Math.max(record.lastUsedMs ?? 0, lastUsedWrites.get(record.id) ?? 0);
  if (now - last <= LAST_USED_RESOLUTION_MS) return;
  if (lastUsedWrites.size >= MAX_LAST_USED_ENTRIES) lastUsedWrites.clear();
  lastUsedWrites.set(record.id, now);
  // Bookkeeping only: never delays or fails the request.
  db.update(apiKeys)
    .set({ lastUsedAt: new Date(now) })
    .where(eq(apiKeys.id, record.id))
    .catch(() => {});
}

/**
 * The principal for a presented API key, or null for malformed, unknown, revoked or wrong keys. Every
 * path does one lookup by prefix, one SHA-256 of the presented key and one constant-time compare.
 *
 * With `cache`, the lookup by prefix is served from it (unknown prefixes too, so a known and an
 * unknown prefix cost the same): third parties send a key with every request, and without the cache
 * each one paid a database round trip. Revoking a key invalidates its entry everywhere
 * (`apiKeyCacheTag`); the hash compare still runs on every request.
 *
 * @example
 * const principal = await verifyApiKey(db, bearerToken, services.cache);
 * if (!principal) throw appError('UNAUTHENTICATED', 'Invalid API key');
 */
export async function verifyApiKey(db: Database, key: string, cache?: Cache): Promise<ApiKeyPrincipal | null> {
  const prefix = parseApiKey(key)?.prefix ?? NO_PREFIX;
  const lookup = () => loadKeyRecord(db, prefix);
  const [hash, record] = await Promise.all([
    sha256Hex(key),
    cache && prefix !== NO_PREFIX
      ? cache.getOrLoad(apiKeyCacheTag(prefix), lookup, { ttlMs: API_KEY_CACHE_TTL_MS, tags: [apiKeyCacheTag(prefix)] })
      : lookup(),
  ]);
  const matches = sameDigest(hash, record?.keyHash ?? NO_KEY_HASH);
  if (!record || !matches || record.revoked) return null;
  touchLastUsed(db, record);
  return { kind: 'apiKey', keyId: record.id, userId: record.userId, role: record.role, plan: record.plan };
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

/**
 * Revokes one of the user's keys; false when the user has no such key (or it is already revoked). With
 * `cache`, the key's cached row is dropped on every instance before this returns.
 */
export async function revokeApiKey(db: Database, userId: string, keyId: string, cache?: Cache): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ prefix: apiKeys.prefix });
  const row = rows[0];
  if (row && cache) await cache.invalidateTags([apiKeyCacheTag(row.prefix)]);
  return row !== undefined;
}
