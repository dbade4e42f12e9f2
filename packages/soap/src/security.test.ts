import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NonceReplayCache, verifyPasswordDigest } from './security.ts';

function digestOf(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created + password, 'utf8')])).digest('base64');
}

describe('verifyPasswordDigest', () => {
  const nonce = randomBytes(16);
  const created = '2026-03-01T12:00:00Z';
  const now = new Date('2026-03-01T12:02:00Z');
  const digest = digestOf(nonce, created, 's3cret');

  it('accepts the right digest inside the window', () => {
    expect(verifyPasswordDigest({ password: 's3cret', nonce: nonce.toString('base64'), created, digest, now })).toEqual({ ok: true });
  });

  it('rejects a wrong password', () => {
    expect(verifyPasswordDigest({ password: 'other', nonce: nonce.toString('base64'), created, digest, now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a stale or future Created', () => {
    const late = new Date('2026-03-01T12:05:01Z');
    expect(verifyPasswordDigest({ password: 's3cret', nonce: nonce.toString('base64'), created, digest, now: late })).toEqual({
      ok: false,
      reason: 'stale',
    });
    const early = new Date('2026-03-01T11:54:59Z');
    expect(verifyPasswordDigest({ password: 's3cret', nonce: nonce.toString('base64'), created, digest, now: early }).ok).toBe(false);
    expect(
      verifyPasswordDigest({ password: 's3cret', nonce: nonce.toString('base64'), created, digest, now: late, maxSkewSeconds: 600 }),
    ).toEqual({ ok: true });
  });

  it('rejects malformed input without throwing', () => {
    expect(verifyPasswordDigest({ password: 'x', nonce: '!!', created, digest, now }).ok).toBe(false);
    expect(verifyPasswordDigest({ password: 'x', nonce: nonce.toString('base64'), created: 'yesterday', digest, now }).ok).toBe(false);
    expect(verifyPasswordDigest({ password: 'x', nonce: nonce.toString('base64'), created, digest: 'AAAA', now }).ok).toBe(false);
  });
});

describe('NonceReplayCache', () => {
  it('remembers nonces until their TTL and refuses replays', () => {
    const cache = new NonceReplayCache({ maxEntries: 10, ttlSeconds: 60 });
    expect(cache.remember('a', 0)).toBe(true);
    expect(cache.remember('a', 59_000)).toBe(false);
    expect(cache.remember('a', 60_001)).toBe(true);
  });

  it('stays within its bound, evicting the oldest', () => {
    const cache = new NonceReplayCache({ maxEntries: 3, ttlSeconds: 60 });
    for (const n of ['a', 'b', 'c', 'd']) expect(cache.remember(n, 1000)).toBe(true);
    expect(cache.size).toBe(3);
    expect(cache.remember('d', 1000)).toBe(false);
    expect(cache.remember('a', 1000)).toBe(true);
  });
});
