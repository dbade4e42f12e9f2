import type { IncomingMessage } from 'node:http';
import {
  type ApiStyle,
  appError,
  authenticateRequest,
  authenticateSoap,
  type Cache,
  type CacheEntryOptions,
  type Context,
  type Principal,
  type Services,
  type SoapCredentials,
  sessionCookie,
  type TwoTierCache,
} from '@triport/core';
import { TRPCError } from '@trpc/server';
import type { ApiConfig } from '../config.ts';
import type { ApiServices } from '../services.ts';
import type { GatewayResponse } from './response.ts';

/** The shared cache seen through one request: reports outcome and timing to that request's response. */
class ObservedCache implements Cache {
  readonly #inner: TwoTierCache;
  readonly #res: GatewayResponse;

  constructor(inner: TwoTierCache, res: GatewayResponse) {
    this.#inner = inner;
    this.#res = res;
  }

  async getOrLoad<T>(key: string, load: () => Promise<T>, options?: CacheEntryOptions): Promise<T> {
    const started = performance.now();
    try {
      return await this.#inner.getOrLoad(key, load, options, this.#res);
    } finally {
      this.#res.add('cache', performance.now() - started);
    }
  }

  invalidateTags(tags: string[]): Promise<void> {
    return this.#inner.invalidateTags(tags);
  }
}

const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

/**
 * Builds the procedure context for one request of any style: resolves the principal once (Bearer key,
 * session cookie, or the SOAP header credentials), renews a sliding session cookie, and wires
 * `setHeader`, timing and the observation to the response.
 *
 * Authentication failures do not throw here: they ride in `ctx.authError` and the gateway middleware
 * throws them after the per-IP rate-limit check, so every style renders them with the request id and
 * failed attempts spend the anonymous budget.
 */
export async function buildContext(
  api: ApiServices,
  req: IncomingMessage,
  res: GatewayResponse,
  style: ApiStyle,
  soapCredentials?: SoapCredentials,
): Promise<Context> {
  const { services, auth, config } = api;
  const trusted = fromTrustedProxy(req, config);
  const secure = isSecure(req, trusted);
  let principal: Principal = ANONYMOUS;
  let authError: TRPCError | undefined;
  const { authorization, cookie } = req.headers;
  if (authorization !== undefined || cookie !== undefined || soapCredentials) {
    const started = performance.now();
    try {
      // Two credentials in one request are ambiguous: refuse rather than silently pick one.
      if (soapCredentials && authorization !== undefined) {
        throw appError('UNAUTHENTICATED', 'Send credentials either in the SOAP header or in Authorization, not both');
      }
      if (soapCredentials) principal = await authenticateSoap(services.db, auth, soapCredentials, api.cache);
      else {
        const result = await authenticateRequest(services.db, auth, { authorization, cookie }, api.cache);
        principal = result.principal;
        if (result.renewSession) {
          res.setHeader('Set-Cookie', sessionCookie(result.renewSession.token, result.renewSession.maxAgeSeconds, secure));
        }
      }
    } catch (error) {
      authError =
        error instanceof TRPCError ? error : appError('UNAVAILABLE', 'Authentication is temporarily unavailable', error);
      if (!(error instanceof TRPCError)) api.logger.error({ requestId: res.requestId, err: String(error) }, 'Authentication failed');
    }
    res.add('auth', performance.now() - started);
  }
  res.principal = principal;
  res.style = style;
  const requestServices: Services = {
    db: services.db,
    cache: new ObservedCache(api.cache, res),
    rateLimiter: services.rateLimiter,
    auth: services.auth,
  };
  return {
    services: requestServices,
    requestId: res.requestId,
    style,
    principal,
    clientIp: clientIpOf(req, trusted),
    // Bound, not an arrow: a closure per request also costs a defineProperty under tsx (keepNames).
    setHeader: res.setHeader.bind(res),
    timing: res,
    secure,
    observation: res.observation,
    authError,
  };
}

/** Whether this peer's X-Forwarded-* headers are believed (see `ApiConfig.trustProxyPeers`). */
export function fromTrustedProxy(req: IncomingMessage, config: Pick<ApiConfig, 'trustProxy' | 'trustProxyPeers'>): boolean {
  if (!config.trustProxy) return false;
  if (config.trustProxyPeers === 'any') return true;
  return isLoopback(req.socket.remoteAddress);
}

/** 127.0.0.0/8 or ::1 (also as an IPv4-mapped IPv6 address): a peer on this host. */
export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/** TLS on the socket, or `X-Forwarded-Proto: https` from a trusted proxy. */
export function isSecure(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted === true) return true;
  if (!trustProxy) return false;
  const proto = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',', 1)[0]?.trim().toLowerCase();
  return first === 'https';
}

/** The peer address, or with a trusted proxy the address it saw (last `X-Forwarded-For` entry). */
export function clientIpOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const list = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const last = list?.split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
