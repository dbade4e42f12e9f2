import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIpOf, fromTrustedProxy, isSecure } from './context.ts';

// Plain objects stand in for sockets: these functions only read the peer address and headers.
function request(peer: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers } as unknown as IncomingMessage;
}

describe('trusted proxies', () => {
  const forwarded = { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' };

  it('ignores X-Forwarded-* unless TRUST_PROXY is set', () => {
    const req = request('127.0.0.1', forwarded);
    const trusted = fromTrustedProxy(req, { trustProxy: false, trustProxyPeers: 'any' });
    expect(trusted).toBe(false);
    expect(clientIpOf(req, trusted)).toBe('127.0.0.1');
    expect(isSecure(req, trusted)).toBe(false);
  });

  it('with TRUST_PROXY=loopback believes only a proxy on this host', () => {
    const config = { trustProxy: true, trustProxyPeers: 'loopback' as const };
    for (const peer of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const req = request(peer, forwarded);
      expect(fromTrustedProxy(req, config)).toBe(true);
      expect(clientIpOf(req, true)).toBe('203.0.113.9');
    }
    const remote = request('198.51.100.7', forwarded);
    expect(fromTrustedProxy(remote, config)).toBe(false);
    expect(clientIpOf(remote, false)).toBe('198.51.100.7');
  });

  it('takes the address the nearest proxy saw (the last X-Forwarded-For entry)', () => {
    const req = request('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' });
    expect(clientIpOf(req, fromTrustedProxy(req, { trustProxy: true, trustProxyPeers: 'any' }))).toBe('203.0.113.9');
  });
});
