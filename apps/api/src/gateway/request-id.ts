import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A caller's id is kept only when it is short and plain: it ends up in logs and response bodies. */
const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The request id: the caller's `X-Request-Id` when sane, a fresh UUID otherwise.
 *
 * @example
 * const id = requestIdOf(req); res.setHeader('X-Request-Id', id);
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}
