import { type Database, sessions, users } from '@triport/db';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Principal } from '../context.ts';
import { newSessionToken, sha256Hex } from './tokens.ts';

export interface NewSession {
  /** Goes into the cookie only; the database keeps its SHA-256. */
  token: string;
  id: string;
  expiresAt: Date;
}

/**
 * Starts a server-side session for a user (a fresh token every login: rotation).
 *
 * @example
 * const { token } = await createSession(db, user.id, settings.sessionTtlMs);
 */
export async function createSession(db: Database, userId: string, ttlMs: number): Promise<NewSession> {
  const token = newSessionToken();
  const id = await sha256Hex(token);
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.insert(sessions).values({ id, userId, expiresAt });
  return { token, id, expiresAt };
}

export interface ResolvedSession {
  principal: Extract<Principal, { kind: 'user' }>;
  /** Set when the session was extended (sliding refresh): the cookie's Max-Age must be renewed. */
  renewedUntil?: Date;
}

/**
 * The user behind a session token, or null when the session is unknown or expired. A session used in
 * the second half of its lifetime is extended to a full lifetime.
 *
 * @example
 * const session = await resolveSession(db, token, settings.sessionTtlMs);
 */
export async function resolveSession(db: Database, token: string, ttlMs: number): Promise<ResolvedSession | null> {
  const id = await sha256Hex(token);
  const now = new Date();
  const [row] = await db
    .select({ userId: users.id, role: users.role, plan: users.plan, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  const principal = { kind: 'user' as const, userId: row.userId, role: row.role, plan: row.plan, sessionId: id };
  if (row.expiresAt.getTime() - now.getTime() > ttlMs / 2) return { principal };
  const renewedUntil = new Date(now.getTime() + ttlMs);
  await db.update(sessions).set({ expiresAt: renewedUntil }).where(eq(sessions.id, id));
  return { principal, renewedUntil };
}

/** Ends a session (logout). */
export async function deleteSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/**
 * Deletes sessions past their expiry (housekeeping; expired sessions are already ignored on read).
 *
 * @example
 * setInterval(() => void deleteExpiredSessions(db), 3_600_000).unref();
 */
export async function deleteExpiredSessions(db: Database): Promise<number> {
  const rows = await db.delete(sessions).where(lt(sessions.expiresAt, new Date())).returning({ id: sessions.id });
  return rows.length;
}
