import { appError } from '../errors.ts';

/** Position of the last order of a page: creation time in microseconds (exact, unlike a JS Date) and id. */
export interface OrderCursor {
  micros: string;
  id: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Opaque to clients: base64url of a small JSON document.
 *
 * @example
 * decodeOrderCursor(encodeOrderCursor({ micros: '1764083000000000', id })) // same value back
 */
export function encodeOrderCursor(cursor: OrderCursor): string {
  return Buffer.from(JSON.stringify([cursor.micros, cursor.id])).toString('base64url');
}

/** Parses a cursor from a client; anything malformed is a validation error, never a query. */
export function decodeOrderCursor(text: string): OrderCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw appError('VALIDATION', 'Invalid cursor');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    !/^\d{1,17}$/.test(parsed[0]) ||
    typeof parsed[1] !== 'string' ||
    !uuidPattern.test(parsed[1])
  ) {
    throw appError('VALIDATION', 'Invalid cursor');
  }
  return { micros: parsed[0], id: parsed[1] };
}
