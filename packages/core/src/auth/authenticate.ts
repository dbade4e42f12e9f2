import { createHash, timingSafeEqual } from 'node:crypto';
import { apiKeys, type Database, users } from '@triport/db';
import { eq } from 'drizzle-orm';
import type { Cache } from '../cache/types.ts';
import type { Principal } from '../context.ts';
import { appError } from '../errors.ts';
import { verifyApiKey } from './api-keys.ts';
import { readSessionToken } from './cookies.ts';
import { verifyPassword } from './password.ts';
import { resolveSession } from './sessions.ts';
import type { AuthSettings } from './settings.ts';
import { formatApiKey, parseKeyId, sameDigest, sha256Hex } from './tokens.ts';

export interface RequestCredentials {
  /** `Authorization` header as received. */
  authorization?: string | undefined;
  /** `Cookie` header as received. */
  cookie?: string | undefined;
}

export interface Authentication {
  principal: Principal;
  /** The session was extended: send the cookie again with a new Max-Age (seconds). */
  renewSession?: { token: string; maxAgeSeconds: number };
}

const ANONYMOUS: Authentication = Object.freeze({ principal: Object.freeze({ kind: 'anonymous' as const }) });

/**
 * Resolves the caller once per request: `Authorization: Bearer <api key>` first, then the session
 * cookie, else anonymous. A present but invalid Authorization header is a 401 whatever the route (an
 * unknown or expired session cookie is simply anonymous: browsers keep stale cookies). With `cache`,
 * API key rows come from it (see `verifyApiKey`).
 *
 * @example
 * const { principal } = await authenticateRequest(db, settings, { authorization: req.headers.authorization });
 */
export async function authenticateRequest(
  db: Database,
  settings: AuthSettings,
  credentials: RequestCredentials,
  cache?: Cache,
): Promise<Authentication> {
  const { authorization } = credentials;
  if (authorization !== undefined) {
    const key = authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
    const principal = await verifyApiKey(db, key, cache);
    if (!principal) throw appError('UNAUTHENTICATED', 'Invalid API key');
    return { principal };
  }
  const token = readSessionToken(credentials.cookie);
  if (!token) return ANONYMOUS;
  const session = await resolveSession(db, token, settings.sessionTtlMs);
  if (!session) return ANONYMOUS;
  if (!session.renewedUntil) return { principal: session.principal };
  const maxAgeSeconds = Math.floor((session.renewedUntil.getTime() - Date.now()) / 1000);
  return { principal: session.principal, renewSession: { token, maxAgeSeconds } };
}

/** Credentials the SOAP adapter finds in a WS-Security header or `<ApiKey>` header, unverified. */
export type SoapCredentials =
  | {
      kind: 'usernameToken';
      username: string;
      password: string;
      passwordType: 'text' | 'digest';
      nonce?: string;
      created?: string;
    }
  | { kind: 'apiKey'; key: string };

/**
 * Verifies SOAP header credentials and returns the principal, or throws UNAUTHENTICATED.
 *
 * - `apiKey`: the same check as a Bearer key.
 * - UsernameToken PasswordText: `username` is the account email, `password` its password (scrypt).
 * - UsernameToken PasswordDigest: `username` is an API key's public part `tp_<plan>_<prefix>` and the
 *   digest secret is the whole API key (keys issued by this server; seeded demo keys work as Bearer only): `Base64(SHA-1(nonce + created + key))`. The server stores only
 *   hashes of passwords and keys, so it cannot check a digest of a password; it re-derives the key from
 *   `AUTH_SECRET` instead (see `deriveKeySecret`). Nonces are remembered (Redis across instances) and
 *   `created` must be within `digestMaxSkewMs` of the server clock.
 *
 * @example
 * const principal = await authenticateSoap(db, settings, { kind: 'apiKey', key });
 */
export async function authenticateSoap(
  db: Database,
  settings: AuthSettings,
  credentials: SoapCredentials,
  cache?: Cache,
): Promise<Principal> {
  if (credentials.kind === 'apiKey') {
    const principal = await verifyApiKey(db, credentials.key, cache);
    if (!principal) throw appError('UNAUTHENTICATED', 'Invalid API key');
    return principal;
  }
  if (credentials.passwordType === 'text') return passwordLogin(db, credentials.username, credentials.password);
  return digestLogin(db, settings, credentials);
}

async function passwordLogin(db: Database, username: string, password: string): Promise<Principal> {
  const user = await findUserByEmail(db, username);
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!user || !ok) throw appError('UNAUTHENTICATED', 'Wrong email or password');
  return { kind: 'user', userId: user.id, role: user.role, plan: user.plan, sessionId: null };
}

/** Normalized form of an email: trimmed and lower-cased (as stored). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The login row for an email, or undefined. */
export async function findUserByEmail(db: Database, email: string) {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, role: users.role, plan: users.plan })
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .limit(1);
  return user;
}

const BASE64 = /^[A-Za-z0-9+/]{4,1024}={0,2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

async function digestLogin(
  db: Database,
  settings: AuthSettings,
  token: Extract<SoapCredentials, { kind: 'usernameToken' }>,
): Promise<Principal> {
  const { nonce, created, password: digest } = token;
  const parsed = parseKeyId(token.username);
  if (!parsed || !nonce || !created || !BASE64.test(nonce) || !BASE64.test(digest) || !ISO_INSTANT.test(created)) {
    throw appError(
      'UNAUTHENTICATED',
      'PasswordDigest needs Username = the public part of an API key (tp_<plan>_<12 chars>), Nonce and Created',
    );
  }
  const createdMs = Date.parse(created);
  if (Number.isNaN(createdMs) || Math.abs(Date.now() - createdMs) > settings.digestMaxSkewMs) {
    throw appError('UNAUTHENTICATED', 'UsernameToken Created is outside the accepted window');
  }
  const key = formatApiKey(settings.secret, parsed.prefix);
  const [row] = await db
    .select({ id: apiKeys.id, keyHash: apiKeys.keyHash, plan: apiKeys.plan, revokedAt: apiKeys.revokedAt, userId: apiKeys.userId, role: users.role })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.prefix, parsed.prefix))
    .limit(1);
  // The derived key must be the one that was issued (and AUTH_SECRET the one it was issued under).
  const issued = sameDigest(await sha256Hex(key), row?.keyHash ?? '0'.repeat(64));
  const expected = createHash('sha1').update(Buffer.from(nonce, 'base64')).update(created).update(key).digest();
  const given = Buffer.from(digest, 'base64');
  const digestOk = given.length === expected.length && timingSafeEqual(given, expected);
  if (!row || !issued || !digestOk || row.revokedAt !== null) throw appError('UNAUTHENTICATED', 'Invalid UsernameToken');
  // Only a valid digest consumes its nonce: strangers cannot burn nonces of real clients.
  const fresh = await settings.nonces.remember(nonce, 2 * settings.digestMaxSkewMs).catch((error: unknown) => {
    throw appError('UNAVAILABLE', 'Replay protection is unavailable; retry shortly', error);
  });
  if (!fresh) throw appError('UNAUTHENTICATED', 'UsernameToken nonce was already used');
  return { kind: 'apiKey', keyId: row.id, userId: row.userId, role: row.role, plan: row.plan };
}
