import { createHash, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { sessions, users } from '@triport/db';
import { createDb } from '@triport/db';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createMemoryCache } from '../cache/memory-cache.ts';
import { createTwoTierCache } from '../cache/two-tier-cache.ts';
import { type Context, internalContext, type Principal, type Services } from '../context.ts';
import { createCaller } from '../router.ts';
import { verifyApiKey } from './api-keys.ts';
import { authenticateRequest, authenticateSoap } from './authenticate.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { createAuthSettings } from './settings.ts';

let t: TestDb;
let services: Services;
const settings = createAuthSettings({ secret: 'a-test-secret-that-is-32-bytes-long!', sessionTtlMs: 60_000 });

beforeAll(async () => {
  t = await createTestPostgres();
  services = { db: t.db, cache: createMemoryCache(), auth: settings };
});
afterAll(() => t.dispose());

/** A caller whose Set-Cookie headers are recorded. */
function callerFor(principal: Principal = { kind: 'anonymous' }) {
  const cookies: string[] = [];
  const ctx: Context = {
    ...internalContext(services, principal),
    setHeader: (name, value) => {
      if (name.toLowerCase() === 'set-cookie') cookies.push(...(Array.isArray(value) ? value : [value]));
    },
  };
  return { caller: createCaller(ctx), cookies };
}

function tokenOf(setCookie: string | undefined): string {
  const match = /^tp_session=([A-Za-z0-9_-]{43});/.exec(setCookie ?? '');
  if (!match?.[1]) throw new Error(`no session cookie in ${setCookie}`);
  return match[1];
}

async function principalOf(token: string): Promise<Principal> {
  return (await authenticateRequest(t.db, settings, { cookie: `other=1; tp_session=${token}` })).principal;
}

const email = () => `User-${randomUUID()}@Example.test`;
const REDIS_URL = 'redis://127.0.0.1:6379';

/** Polls (2 s at most): cross-instance invalidation arrives over pub/sub, not with the write. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached in 2 s');
}

describe('passwords', () => {
  it('writes and verifies the seed format, in constant time, and rejects wrong passwords', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('anything', undefined)).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$garbage')).toBe(false);
    // A hash made the way the seed makes it (scryptSync, 16-byte salt, 32-byte key).
    const salt = randomBytes(16);
    const seeded = `scrypt$16384$8$1$${salt.toString('base64url')}$${scryptSync('demo-password', salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64url')}`;
    expect(await verifyPassword('demo-password', seeded)).toBe(true);
  });
});

describe('register, login, logout, sessions', () => {
  it('registers with a normalized email and a password policy, and signs in', async () => {
    const address = email();
    const { caller, cookies } = callerFor();
    const { user } = await caller.auth.register({ email: address, password: 'long enough pass' });
    expect(user.email).toBe(address.toLowerCase());
    expect(cookies[0]).toMatch(/^tp_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=60; HttpOnly; SameSite=Lax$/);
    expect(await principalOf(tokenOf(cookies[0]))).toMatchObject({ kind: 'user', userId: user.id, plan: 'free', role: 'shopper' });
    await expect(callerFor().caller.auth.register({ email: address, password: 'another long one' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(callerFor().caller.auth.register({ email: email(), password: 'short' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const same = email();
    await expect(callerFor().caller.auth.register({ email: same, password: same })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('logs in (rotating the session), logs out, and forgets expired sessions', async () => {
    const address = email();
    await callerFor().caller.auth.register({ email: address, password: 'a good password' });
    await expect(callerFor().caller.auth.login({ email: address, password: 'a bad password' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(callerFor().caller.auth.login({ email: email(), password: 'a good password' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    const first = callerFor();
    await first.caller.auth.login({ email: address.toUpperCase(), password: 'a good password' });
    const firstToken = tokenOf(first.cookies[0]);
    const firstPrincipal = await principalOf(firstToken);
    expect(firstPrincipal.kind).toBe('user');

    // Logging in again from that session replaces it: the old token stops working.
    const second = callerFor(firstPrincipal);
    await second.caller.auth.login({ email: address, password: 'a good password' });
    const secondToken = tokenOf(second.cookies[0]);
    expect(secondToken).not.toBe(firstToken);
    expect((await principalOf(firstToken)).kind).toBe('anonymous');
    const secondPrincipal = await principalOf(secondToken);
    expect(secondPrincipal.kind).toBe('user');

    // The session is stored as SHA-256 of the token, never the token.
    const id = createHash('sha256').update(secondToken).digest('hex');
    expect((await t.db.select().from(sessions).where(eq(sessions.id, id))).length).toBe(1);

    const out = callerFor(secondPrincipal);
    expect(await out.caller.auth.logout()).toEqual({ signedOut: true });
    expect(out.cookies[0]).toMatch(/^tp_session=; Path=\/; Max-Age=0/);
    expect((await principalOf(secondToken)).kind).toBe('anonymous');

    // Expiry and sliding refresh.
    const third = callerFor();
    await third.caller.auth.login({ email: address, password: 'a good password' });
    const thirdToken = tokenOf(third.cookies[0]);
    const thirdId = createHash('sha256').update(thirdToken).digest('hex');
    await t.db.update(sessions).set({ expiresAt: new Date(Date.now() + 10_000) }).where(eq(sessions.id, thirdId));
    const renewed = await authenticateRequest(t.db, settings, { cookie: `tp_session=${thirdToken}` });
    expect(renewed.renewSession?.token).toBe(thirdToken);
    expect(renewed.renewSession?.maxAgeSeconds).toBeGreaterThan(30);
    const [row] = await t.db.select().from(sessions).where(eq(sessions.id, thirdId));
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
    await t.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1) }).where(eq(sessions.id, thirdId));
    expect((await principalOf(thirdToken)).kind).toBe('anonymous');
  });

  it('answers auth.me for each kind of caller', async () => {
    expect(await callerFor().caller.auth.me()).toEqual({ kind: 'anonymous', user: null, apiKeyId: null });
  });
});

describe('API keys', () => {
  async function signedInUser(plan: 'free' | 'premium' = 'free') {
    const address = email();
    const { caller, cookies } = callerFor();
    const { user } = await caller.auth.register({ email: address, password: 'a good password' });
    if (plan === 'premium') await t.db.update(users).set({ plan }).where(eq(users.id, user.id));
    return { user, principal: await principalOf(tokenOf(cookies[0])), address };
  }

  it('creates a key once, lists it masked, authenticates with it, and revokes it', async () => {
    const { user, principal } = await signedInUser('premium');
    const { caller } = callerFor(principal);
    const created = await caller.account.apiKeys.create({ name: 'ci' });
    expect(created.key).toMatch(/^tp_premium_[a-z0-9]{12}_[0-9a-f]{64}$/);
    expect(created.maskedKey).toBe(`${created.key.slice(0, 'tp_premium_'.length + 12)}_…`);

    const listed = await caller.account.apiKeys.list();
    expect(listed.items).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.key.slice(-64));

    const keyPrincipal = await verifyApiKey(t.db, created.key);
    expect(keyPrincipal).toEqual({ kind: 'apiKey', keyId: created.id, userId: user.id, role: 'shopper', plan: 'premium' });
    expect(await callerFor(keyPrincipal!).caller.auth.me()).toMatchObject({ kind: 'apiKey', apiKeyId: created.id, user: { id: user.id } });
    // A key cannot mint keys.
    await expect(callerFor(keyPrincipal!).caller.account.apiKeys.create({ name: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await caller.account.apiKeys.revoke({ id: created.id });
    expect(await verifyApiKey(t.db, created.key)).toBeNull();
    await expect(caller.account.apiKeys.revoke({ id: created.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(authenticateRequest(t.db, settings, { authorization: `Bearer ${created.key}` })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('rejects malformed, unknown and wrong keys alike', async () => {
    const { principal } = await signedInUser();
    const { key } = await callerFor(principal).caller.account.apiKeys.create({ name: 'k' });
    const wrongSecret = `${key.slice(0, -4)}0000`;
    const unknownPrefix = `tp_free_zzzzzzzzzzzz_${key.slice(-64)}`;
    for (const presented of ['garbage', '', wrongSecret, unknownPrefix, `Basic ${key}`]) {
      const authorization = presented.startsWith('Basic') ? presented : `Bearer ${presented}`;
      await expect(authenticateRequest(t.db, settings, { authorization })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect((await authenticateRequest(t.db, settings, { authorization: `Bearer ${key}` })).principal.kind).toBe('apiKey');
  });

  it('does the same work for every rejected key: one lookup, one hash, one compare', async () => {
    // Equal work is what keeps timing flat (timing itself is not asserted: no timed tests).
    const statements: string[] = [];
    const counted = await createDb({ url: t.url, maxConnections: 1, onQuery: (q) => statements.push(q) });
    try {
      const { principal } = await signedInUser();
      const { key, id } = await callerFor(principal).caller.account.apiKeys.create({ name: 'timing' });
      await callerFor(principal).caller.account.apiKeys.revoke({ id });
      const cases = ['garbage', `tp_free_zzzzzzzzzzzz_${key.slice(-64)}`, `${key.slice(0, -1)}0`, key];
      for (const presented of cases) {
        statements.length = 0;
        expect(await verifyApiKey(counted.db, presented)).toBeNull();
        expect(statements).toHaveLength(1);
        expect(statements[0]).toContain('from "api_keys"');
      }
    } finally {
      await counted.close();
    }
  });

  it('serves key rows from the shared cache, and a revocation on one instance is seen by the others at once', async () => {
    const redisPrefix = `test-apikey-cache-${randomUUID()}:`;
    const statements: string[] = [];
    const counted = await createDb({ url: t.url, maxConnections: 1, onQuery: (q) => statements.push(q) });
    const connections: Redis[] = [];
    const instance = async () => {
      const redis = new Redis(REDIS_URL, { lazyConnect: true });
      const subscriber = new Redis(REDIS_URL);
      connections.push(redis, subscriber);
      await redis.connect();
      const cache = createTwoTierCache({ redis, subscriber, prefix: redisPrefix });
      await cache.ready;
      return cache;
    };
    const [a, b] = [await instance(), await instance()];
    try {
      const { principal } = await signedInUser('premium');
      const { key, id } = await callerFor(principal).caller.account.apiKeys.create({ name: 'cached' });
      const keyLookups = () => statements.filter((s) => s.includes('from "api_keys"')).length;

      expect(await verifyApiKey(counted.db, key, a)).toMatchObject({ kind: 'apiKey', keyId: id });
      expect(keyLookups()).toBe(1);
      // Warm everywhere: A from memory, B from Redis (filled by A); no more lookups.
      for (let i = 0; i < 5; i += 1) {
        expect(await verifyApiKey(counted.db, key, a)).toMatchObject({ keyId: id });
        expect(await verifyApiKey(counted.db, key, b)).toMatchObject({ keyId: id });
      }
      expect(keyLookups()).toBe(1);
      // The hash is still compared on every request: a wrong secret under a cached prefix is refused.
      expect(await verifyApiKey(counted.db, `${key.slice(0, -4)}0000`, b)).toBeNull();

      // Revoked through the procedure on A: B refuses the key on its next request.
      const onA: Context = { ...internalContext({ ...services, cache: a }, principal), setHeader: () => {} };
      await createCaller(onA).account.apiKeys.revoke({ id });
      await until(async () => (await verifyApiKey(counted.db, key, b)) === null);
      expect(await verifyApiKey(counted.db, key, a)).toBeNull();
      await expect(authenticateRequest(counted.db, settings, { authorization: `Bearer ${key}` }, b)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      await expect(authenticateSoap(counted.db, settings, { kind: 'apiKey', key }, b)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    } finally {
      await a.close();
      await b.close();
      const cleaner = connections[0]!;
      const keys = await cleaner.keys(`${redisPrefix}*`);
      if (keys.length > 0) await cleaner.del(...keys);
      for (const c of connections) c.disconnect();
      await counted.close();
    }
  });

  it('verifies SOAP credentials: API key, PasswordText, PasswordDigest with replay and freshness checks', async () => {
    const { user, principal, address } = await signedInUser();
    const { key, id } = await callerFor(principal).caller.account.apiKeys.create({ name: 'soap' });
    expect(await authenticateSoap(t.db, settings, { kind: 'apiKey', key })).toMatchObject({ kind: 'apiKey', keyId: id });
    expect(
      await authenticateSoap(t.db, settings, { kind: 'usernameToken', username: address, password: 'a good password', passwordType: 'text' }),
    ).toEqual({ kind: 'user', userId: user.id, role: 'shopper', plan: 'free', sessionId: null });
    await expect(
      authenticateSoap(t.db, settings, { kind: 'usernameToken', username: address, password: 'nope nope nope', passwordType: 'text' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    const username = key.slice(0, key.lastIndexOf('_'));
    const digestToken = (created: string, nonce = randomBytes(16)) => ({
      kind: 'usernameToken' as const,
      username,
      passwordType: 'digest' as const,
      nonce: nonce.toString('base64'),
      created,
      password: createHash('sha1').update(nonce).update(created).update(key).digest('base64'),
    });
    const fresh = digestToken(new Date().toISOString());
    expect(await authenticateSoap(t.db, settings, fresh)).toMatchObject({ kind: 'apiKey', keyId: id });
    await expect(authenticateSoap(t.db, settings, fresh)).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('nonce') });
    await expect(authenticateSoap(t.db, settings, digestToken(new Date(Date.now() - 3_600_000).toISOString()))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    const tampered = { ...digestToken(new Date().toISOString()), password: createHash('sha1').update('x').digest('base64') };
    await expect(authenticateSoap(t.db, settings, tampered)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // Another server secret derives another key: the digest no longer verifies.
    const otherSettings = createAuthSettings({ secret: 'another-secret-that-is-32-bytes-long' });
    await expect(authenticateSoap(t.db, otherSettings, digestToken(new Date().toISOString()))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
