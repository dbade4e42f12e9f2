import { type Database, users } from '@triport/db';
import { eq, sql } from 'drizzle-orm';
import { pgCodes, pgErrorCode } from '../admin/pg-errors.ts';
import { appError } from '../errors.ts';
import type { Profile, UpdateProfileInput } from './schemas.ts';

/** The public columns only: a profile query can never carry the password hash. */
const profileColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  plan: users.plan,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

type ProfileRow = { [K in keyof typeof profileColumns]: (typeof users.$inferSelect)[K] };

function toProfile(row: ProfileRow): Profile {
  return { ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/**
 * One user's profile, or null.
 *
 * @example
 * const me = await findProfile(db, principal.userId);
 */
export async function findProfile(db: Database, userId: string): Promise<Profile | null> {
  const [row] = await db.select(profileColumns).from(users).where(eq(users.id, userId)).limit(1);
  return row ? toProfile(row) : null;
}

/**
 * Changes a user's name and/or email (lower-cased, trimmed like registration does). An email that
 * another account uses is a CONFLICT.
 *
 * @example
 * await updateProfile(db, userId, { name: 'Ada Lovelace' });
 */
export async function updateProfile(db: Database, userId: string, input: UpdateProfileInput): Promise<Profile> {
  const changes: Partial<typeof users.$inferInsert> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.email !== undefined) changes.email = input.email.trim().toLowerCase();
  try {
    const [row] = await db
      .update(users)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(users.id, userId))
      .returning(profileColumns);
    if (!row) throw appError('NOT_FOUND', 'User not found');
    return toProfile(row);
  } catch (err) {
    if (pgErrorCode(err) === pgCodes.uniqueViolation) {
      throw appError('CONFLICT', 'That email address is already used by another account');
    }
    throw err;
  }
}
