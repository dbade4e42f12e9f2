import { causeChain } from '../internal/cause-chain.ts';

/**
 * SQLSTATE of a database error, whichever driver raised it and however drizzle wrapped it
 * (drizzle 0.45 wraps driver errors in `DrizzleQueryError` with the original as `cause`).
 *
 * @example
 * if (pgErrorCode(err) === pgCodes.uniqueViolation) throw appError('CONFLICT', 'SKU already in use');
 */
export function pgErrorCode(err: unknown): string | undefined {
  for (const e of causeChain(err, 5)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Constraint name of a database error (unique / foreign key / check), when the driver reports it. */
export function pgConstraint(err: unknown): string | undefined {
  for (const e of causeChain(err, 5)) {
    const c = e as { constraint?: unknown; constraint_name?: unknown };
    if (typeof c.constraint_name === 'string') return c.constraint_name; // postgres.js
    if (typeof c.constraint === 'string') return c.constraint; // PGlite
  }
  return undefined;
}

export const pgCodes = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
} as const;
