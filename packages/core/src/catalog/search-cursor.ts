import { createHash } from 'node:crypto';
import { appError } from '../errors.ts';
import type { SearchInput } from './search-schemas.ts';

/**
 * Position after the last row of a page: the sort key as Postgres printed it (exact: a float4 rank,
 * cents, or microseconds since the epoch) and the id that breaks ties. Rows inserted later land
 * before or after the position but never shift it, so pages neither repeat nor skip existing rows.
 */
export interface SearchCursor {
  key: string;
  id: number;
  /**
   * Lowest id of the candidate window a broad text match was ranked in (broad-match.ts): later pages
   * rank the same window, so they continue the same list even after inserts. Absent = every match.
   */
  fromId?: number;
}

const keyPatterns = {
  int: /^\d{1,16}$/,
  float: /^-?\d+(?:\.\d+)?(?:e[+-]?\d{1,3})?$/i,
} as const;

/** Which kind of key a sort uses (see search.ts). */
export type CursorKeyKind = keyof typeof keyPatterns;

/** A short digest of everything that defines the result list, so a cursor cannot be replayed on another search. */
export function searchFingerprint(input: SearchInput, normalizedQ: string): string {
  const canonical = JSON.stringify([
    normalizedQ,
    input.category ?? null,
    [...(input.brand ?? [])].sort(),
    input.minPrice ?? null,
    input.maxPrice ?? null,
    input.minRating ?? null,
    input.inStock ?? null,
    input.sort,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

/**
 * Opaque base64url text for clients.
 *
 * @example
 * decodeSearchCursor(encodeSearchCursor({ key: '12999', id: 7 }, 'fp'), 'fp', 'int') // { key: '12999', id: 7 }
 */
export function encodeSearchCursor(cursor: SearchCursor, fingerprint: string): string {
  const fields: unknown[] = [1, fingerprint, cursor.key, cursor.id];
  if (cursor.fromId !== undefined) fields.push(cursor.fromId);
  return Buffer.from(JSON.stringify(fields)).toString('base64url');
}

/** Parses and checks a client's cursor; anything wrong is a validation error, never a query. */
export function decodeSearchCursor(text: string, fingerprint: string, kind: CursorKeyKind): SearchCursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw appError('VALIDATION', 'Invalid cursor');
  }
  const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 2_147_483_647;
  if (
    !Array.isArray(parsed) ||
    (parsed.length !== 4 && !(parsed.length === 5 && isId(parsed[4]))) ||
    parsed[0] !== 1 ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string' ||
    !keyPatterns[kind].test(parsed[2]) ||
    !isId(parsed[3])
  ) {
    throw appError('VALIDATION', 'Invalid cursor');
  }
  if (parsed[1] !== fingerprint) throw appError('VALIDATION', 'The cursor belongs to another search (filters or sort changed)');
  const cursor: SearchCursor = { key: parsed[2], id: parsed[3] as number };
  if (parsed.length === 5) cursor.fromId = parsed[4] as number;
  return cursor;
}
