import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopback } from '../gateway/context.ts';

/** Who may read `/metrics`: `ok`, or the status to refuse with. */
export type MetricsAccess = 'ok' | 401 | 403;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Metrics name every procedure, outcome and rate of the API: not for the public. With `METRICS_TOKEN`,
 * a scraper sends `Authorization: Bearer <token>` (compared in constant time); without it, only a
 * client on this host talking to the API directly may read them (a loopback peer that forwards for
 * someone else, i.e. sends X-Forwarded-For, is refused).
 *
 * @example
 * const access = metricsAccess(req, config.metricsToken);
 * if (access !== 'ok') return refuse(res, access);
 */
export function metricsAccess(req: IncomingMessage, token: string | undefined): MetricsAccess {
  if (token !== undefined) {
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    return presented !== '' && timingSafeEqual(digest(presented), digest(token)) ? 'ok' : 401;
  }
  return isLoopback(req.socket.remoteAddress) && req.headers['x-forwarded-for'] === undefined ? 'ok' : 403;
}
