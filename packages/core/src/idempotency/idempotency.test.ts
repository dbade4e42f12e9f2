import { idempotencyKeys } from '@triport/db';
import { testDrivers, type TestDb } from '@triport/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimIdempotencyKey,
  idempotencyScope,
  idempotencyKeySchema,
  purgeExpiredIdempotencyKeys,
  requestHash,
  storeIdempotentResponse,
} from './idempotency.ts';

describe('requestHash', () => {
  it('ignores object key order and undefined fields, not array order or values', () => {
    expect(requestHash({ b: 1, a: [1, { y: 2, x: 1 }] })).toBe(requestHash({ a: [1, { x: 1, y: 2 }], b: 1, c: undefined }));
    expect(requestHash({ a: [1, 2] })).not.toBe(requestHash({ a: [2, 1] }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: '1' }));
  });
});

describe('idempotencyScope and key format', () => {
  it('separates sessions from API keys', () => {
    expect(idempotencyScope({ kind: 'user', userId: 'u', role: 'shopper', plan: 'free', sessionId: 's' })).toBe('user:u');
    expect(idempotencyScope({ kind: 'apiKey', keyId: 'k', userId: 'u', role: 'shopper', plan: 'free' })).toBe('apikey:k');
  });
  it('accepts UUIDs and rejects spaces, empties and overlong keys', () => {
    expect(idempotencyKeySchema.safeParse('0b6f7e7e-1c1a-4d2f-9f55-0d6b1f7c2a10').success).toBe(true);
    for (const bad of ['', 'a b', 'é', 'x'.repeat(256)]) expect(idempotencyKeySchema.safeParse(bad).success).toBe(false);
  });
});

describe.each(testDrivers)('idempotency keys on %s', (_driver, createTestDb) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t?.dispose());

  const req = (key: string, hash = 'h1', operation = 'op') => ({ scope: 's', key, operation, requestHash: hash });

  it('claims, replays the stored response, and refuses another body or operation', async () => {
    await t.db.transaction(async (tx) => {
      expect(await claimIdempotencyKey(tx, req('k1'))).toEqual({ kind: 'new' });
      await storeIdempotentResponse(tx, req('k1'), { id: 42, nested: { ok: true } });
    });
    await expect(t.db.transaction((tx) => claimIdempotencyKey(tx, req('k1')))).resolves.toEqual({
      kind: 'replay',
      response: { id: 42, nested: { ok: true } },
    });
    await expect(t.db.transaction((tx) => claimIdempotencyKey(tx, req('k1', 'h2')))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(t.db.transaction((tx) => claimIdempotencyKey(tx, req('k1', 'h1', 'other')))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('forgets a claim whose transaction rolled back', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await claimIdempotencyKey(tx, req('k2'));
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    await expect(t.db.transaction((tx) => claimIdempotencyKey(tx, req('k2', 'other-body')))).resolves.toEqual({ kind: 'new' });
  });

  it('purges expired keys only', async () => {
    await t.db.transaction(async (tx) => {
      await claimIdempotencyKey(tx, req('old'));
      await claimIdempotencyKey(tx, req('fresh'));
    });
    await t.db.update(idempotencyKeys).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(idempotencyKeys.key, 'old'));
    expect(await purgeExpiredIdempotencyKeys(t.db)).toBe(1);
    const left = await t.db.select({ key: idempotencyKeys.key }).from(idempotencyKeys);
    expect(left.map((r) => r.key)).toContain('fresh');
    expect(left.map((r) => r.key)).not.toContain('old');
  });
});
