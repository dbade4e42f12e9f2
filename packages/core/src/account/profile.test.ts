import { randomUUID } from 'node:crypto';
import { users } from '@triport/db';
import { testDrivers, type TestDb } from '@triport/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalContext, type Principal } from '../context.ts';
import { createCaller } from '../router.ts';
import { apiKeyOf, insertUser, sessionOf, testServices, type TestUser } from '../orders/testing/fixtures.ts';

describe.each(testDrivers)('account on %s', (_driver, createTestDb) => {
  let t: TestDb;
  let services: ReturnType<typeof testServices>;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  const as = (p: Principal) => createCaller(internalContext(services, p));

  beforeAll(async () => {
    t = await createTestDb();
    services = testServices(t.db);
    alice = await insertUser(t.db, { name: 'Alice' });
    bob = await insertUser(t.db, { name: 'Bob', plan: 'premium' });
    admin = await insertUser(t.db, { role: 'admin' });
  });
  afterAll(() => t?.dispose());

  it('reads your own profile, without any password material', async () => {
    const me = await as(sessionOf(alice)).account.profile();
    expect(me).toMatchObject({ id: alice.id, email: alice.email, name: 'Alice', role: 'shopper', plan: 'free' });
    expect(Object.keys(me).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'plan', 'role', 'updatedAt']);
    expect(JSON.stringify(me)).not.toContain('password');
    await expect(as(apiKeyOf(alice)).account.profile({})).resolves.toEqual(me);
    await expect(as(sessionOf(alice)).account.profile({ id: alice.id })).resolves.toEqual(me);
  });

  it('turns GET /user/profile?id=123 into a permission check', async () => {
    await expect(as(sessionOf(alice)).account.profile({ id: bob.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Same answer for an id that does not exist: no account enumeration.
    await expect(as(sessionOf(alice)).account.profile({ id: randomUUID() })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as(sessionOf(admin)).account.profile({ id: bob.id })).resolves.toMatchObject({ id: bob.id, plan: 'premium' });
    await expect(as(sessionOf(admin)).account.profile({ id: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(as(sessionOf(admin)).account.userProfile({ id: bob.id })).resolves.toMatchObject({ id: bob.id });
    await expect(as(sessionOf(alice)).account.userProfile({ id: bob.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as({ kind: 'anonymous' }).account.profile()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(as(sessionOf(admin)).account.profile({ id: '123' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('updates name and email (normalized), never role or plan', async () => {
    const user = await insertUser(t.db);
    const email = `New.Address-${randomUUID().slice(0, 8)}@Example.TEST`;
    const updated = await as(sessionOf(user)).account.updateProfile({ name: '  Grace Hopper ', email });
    expect(updated).toMatchObject({ id: user.id, name: 'Grace Hopper', email: email.toLowerCase(), role: 'shopper' });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(updated.createdAt));
    for (const extra of [{ role: 'admin' }, { plan: 'premium' }, { id: randomUUID() }, { passwordHash: 'x' }]) {
      await expect(as(sessionOf(user)).account.updateProfile({ name: 'x', ...extra } as never)).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    }
    const [row] = await t.db.select({ role: users.role, plan: users.plan }).from(users).where(eq(users.id, user.id));
    expect(row).toEqual({ role: 'shopper', plan: 'free' });
  });

  it.each([
    ['nothing to change', {}],
    ['an invalid email', { email: 'not-an-email' }],
    ['an empty name', { name: '   ' }],
    ['a too long name', { name: 'x'.repeat(101) }],
    ['a control character', { name: 'a\u0000b' }],
  ])('rejects %s', async (_name, input) => {
    await expect(as(sessionOf(alice)).account.updateProfile(input as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('answers CONFLICT for an email another account uses', async () => {
    await expect(as(sessionOf(alice)).account.updateProfile({ email: bob.email.toUpperCase() })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('needs a session: an API key cannot change the account it belongs to', async () => {
    await expect(as(apiKeyOf(alice, 'premium')).account.updateProfile({ name: 'Mallory' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await as(sessionOf(alice)).account.profile()).name).toBe('Alice');
  });
});
