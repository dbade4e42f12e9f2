import { createServer, request, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardedFrom, normalizeForwardedHeaders, parseTrustProxy, type TrustProxy } from './client-address';

describe('parseTrustProxy', () => {
  it('is off unless set, and refuses values it does not know', () => {
    expect(parseTrustProxy(undefined)).toBe('off');
    expect(parseTrustProxy('')).toBe('off');
    expect(parseTrustProxy('0')).toBe('off');
    expect(parseTrustProxy('1')).toBe('any');
    expect(parseTrustProxy('true')).toBe('any');
    expect(parseTrustProxy(' Loopback ')).toBe('loopback');
    expect(() => parseTrustProxy('yes')).toThrow(/WEB_TRUST_PROXY/);
  });
});

describe('forwardedFrom', () => {
  const forged = { 'x-forwarded-for': '6.6.6.6, 203.0.113.9', 'x-forwarded-proto': 'https' };

  it('ignores X-Forwarded-* from an untrusted peer', () => {
    expect(forwardedFrom('198.51.100.7', forged, false, 'off')).toEqual({ for: '198.51.100.7', proto: 'http' });
    expect(forwardedFrom('127.0.0.1', forged, false, 'off')).toEqual({ for: '127.0.0.1', proto: 'http' });
    expect(forwardedFrom('198.51.100.7', forged, false, 'loopback')).toEqual({ for: '198.51.100.7', proto: 'http' });
    expect(forwardedFrom('198.51.100.7', forged, true, 'off')).toEqual({ for: '198.51.100.7', proto: 'https' });
  });

  it('takes the last entry (what the trusted proxy saw) from a trusted peer', () => {
    for (const peer of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(forwardedFrom(peer, forged, false, 'loopback')).toEqual({ for: '203.0.113.9', proto: 'https' });
    }
    expect(forwardedFrom('10.0.0.2', forged, false, 'any')).toEqual({ for: '203.0.113.9', proto: 'https' });
    expect(forwardedFrom('10.0.0.2', { 'x-forwarded-for': ['6.6.6.6', '2001:db8::1'] }, false, 'any')).toEqual({
      for: '2001:db8::1',
      proto: 'http',
    });
  });

  it('falls back to the proxy itself when its header is missing or not an address', () => {
    expect(forwardedFrom('10.0.0.2', {}, false, 'any')).toEqual({ for: '10.0.0.2', proto: 'http' });
    expect(forwardedFrom('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, unknown' }, false, 'any').for).toBe('10.0.0.2');
    expect(forwardedFrom('10.0.0.2', { 'x-forwarded-for': '6.6.6.6,' }, false, 'any').for).toBe('10.0.0.2');
    expect(forwardedFrom('10.0.0.2', { 'x-forwarded-proto': 'gopher' }, true, 'any').proto).toBe('https');
  });
});

/** A real server that normalizes like `server.ts` and answers with the headers Next would then see. */
function startEchoServer(trust: TrustProxy): Promise<Server> {
  const server = createServer((req, res) => {
    normalizeForwardedHeaders(req, trust);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ for: req.headers['x-forwarded-for'], proto: req.headers['x-forwarded-proto'] }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** node:http rather than fetch: it can send the same header on two lines, as chained proxies do. */
function get(server: Server, headers: OutgoingHttpHeaders): Promise<{ for?: string; proto?: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(JSON.parse(body) as { for?: string; proto?: string }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('normalizeForwardedHeaders over a real connection', () => {
  const servers: Partial<Record<TrustProxy, Server>> = {};
  beforeAll(async () => {
    servers.off = await startEchoServer('off');
    servers.loopback = await startEchoServer('loopback');
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('replaces a forged X-Forwarded-For with the socket address when no proxy is trusted', async () => {
    const off = servers.off as Server;
    expect(await get(off, {})).toEqual({ for: '127.0.0.1', proto: 'http' });
    expect(await get(off, { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https' })).toEqual({ for: '127.0.0.1', proto: 'http' });
    expect(await get(off, { 'x-forwarded-for': ['6.6.6.6', '7.7.7.7'] })).toEqual({ for: '127.0.0.1', proto: 'http' });
  });

  it('keeps one address, the last one, from a trusted loopback proxy', async () => {
    const loopback = servers.loopback as Server;
    expect(await get(loopback, {})).toEqual({ for: '127.0.0.1', proto: 'http' });
    expect(await get(loopback, { 'x-forwarded-for': ['6.6.6.6', '203.0.113.9'], 'x-forwarded-proto': 'https' })).toEqual({
      for: '203.0.113.9',
      proto: 'https',
    });
  });
});
