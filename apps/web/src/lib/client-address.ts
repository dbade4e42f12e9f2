import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * Whose `X-Forwarded-For` / `X-Forwarded-Proto` the storefront believes (`WEB_TRUST_PROXY`):
 * nobody (`off`, the default: the storefront faces shoppers directly), a proxy on this host
 * (`loopback`), or any peer (`any`: only when every connection comes through a proxy you control).
 */
export type TrustProxy = 'off' | 'loopback' | 'any';

/**
 * Parses `WEB_TRUST_PROXY`. Unknown values throw: a typo must not silently trust (or distrust) a proxy.
 *
 * @example
 * parseTrustProxy(process.env.WEB_TRUST_PROXY); // 'off' when unset
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  switch ((value ?? '').trim().toLowerCase()) {
    case '':
    case '0':
    case 'false':
      return 'off';
    case '1':
    case 'true':
      return 'any';
    case 'loopback':
      return 'loopback';
    default:
      throw new Error(`WEB_TRUST_PROXY must be unset, 0, 1 or loopback, got "${value}"`);
  }
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function isTrustedPeer(peer: string, trust: TrustProxy): boolean {
  return trust === 'any' || (trust === 'loopback' && isLoopback(peer));
}

/** The last comma-separated entry of a (possibly repeated) header: what the nearest proxy wrote. */
function lastEntry(header: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(header) ? header.join(',') : header;
  const last = joined?.split(',').pop()?.trim();
  return last || undefined;
}

/**
 * The shopper's address and scheme for a request from `peer`: the socket's own unless `peer` is a
 * trusted proxy, then the last `X-Forwarded-For` / `X-Forwarded-Proto` entry (what that proxy saw).
 * A missing or malformed entry falls back to the peer: an unparseable header never yields a rate-limit
 * bucket of its own.
 *
 * @example
 * forwardedFrom('127.0.0.1', { 'x-forwarded-for': '6.6.6.6' }, false, 'off'); // { for: '127.0.0.1', proto: 'http' }
 */
export function forwardedFrom(
  peer: string,
  headers: IncomingHttpHeaders,
  encrypted: boolean,
  trust: TrustProxy,
): { for: string; proto: 'http' | 'https' } {
  const socketProto = encrypted ? 'https' : 'http';
  if (!isTrustedPeer(peer, trust)) return { for: peer, proto: socketProto };
  const forwardedFor = lastEntry(headers['x-forwarded-for']);
  const forwardedProto = lastEntry(headers['x-forwarded-proto'])?.toLowerCase();
  return {
    for: forwardedFor !== undefined && isIP(forwardedFor) !== 0 ? forwardedFor : peer,
    proto: forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : socketProto,
  };
}

/**
 * Rewrites the request's `X-Forwarded-For` to exactly one address, the shopper's, and
 * `X-Forwarded-Proto` to exactly one scheme (`forwardedFrom`), before Next.js sees the request.
 *
 * Next.js passes both headers through as the client sent them: its rewrite proxy (/trpc, /rest, /soap
 * → API) forwards them verbatim and adds no `X-Forwarded-For` of its own, and the request headers that
 * server components read (`headers()`) get the socket address only when the client sent none. The API
 * (with `TRUST_PROXY=loopback`) takes the last `X-Forwarded-For` entry as the client, so without this
 * a shopper could pick a fresh rate-limit bucket on every request.
 *
 * @example
 * createServer((req, res) => {
 *   normalizeForwardedHeaders(req, 'off');
 *   return handle(req, res);
 * });
 */
export function normalizeForwardedHeaders(req: IncomingMessage, trust: TrustProxy): void {
  const peer = req.socket.remoteAddress;
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  if (peer === undefined) {
    // The socket is already gone: send no address rather than one the client wrote.
    delete req.headers['x-forwarded-for'];
    req.headers['x-forwarded-proto'] = encrypted ? 'https' : 'http';
    return;
  }
  const forwarded = forwardedFrom(peer, req.headers, encrypted, trust);
  req.headers['x-forwarded-for'] = forwarded.for;
  req.headers['x-forwarded-proto'] = forwarded.proto;
}
