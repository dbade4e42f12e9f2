import { testDrivers, type TestDb } from '@triport/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalContext } from '../context.ts';
import { vocabularyOf } from '../errors.ts';
import { appRouter, createCaller } from '../router.ts';
import {
  type Actor,
  actors,
  type AuthzWorld,
  authorizationMatrix,
  createAuthzWorld,
  type Outcome,
  principalFor,
} from './testing/authorization-matrix.ts';
import { testServices } from './testing/fixtures.ts';

type Callable = (input: unknown) => Promise<unknown>;

/** Calls a procedure by its dotted path through the server-side caller, as the adapters do. */
async function callAs(world: AuthzWorld, services: ReturnType<typeof testServices>, actor: Actor, path: string, input: unknown): Promise<Outcome> {
  let target: unknown = createCaller(internalContext(services, principalFor(actor, world)));
  for (const key of path.split('.')) target = (target as Record<string, unknown>)[key];
  try {
    await (target as Callable)(input);
    return 'allow';
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    return vocabularyOf(err.code) as Outcome;
  }
}

describe('authorization matrix (table)', () => {
  it('covers every procedure of account, orders and admin', () => {
    const owned = Object.keys(appRouter._def.procedures).filter((p) => /^(account|orders|admin)\./.test(p) && !p.startsWith('account.apiKeys'));
    expect(new Set(authorizationMatrix.map((c) => c.procedure))).toEqual(new Set(owned));
  });
});

describe.each(testDrivers)('authorization matrix on %s', (_driver, createTestDb) => {
  let t: TestDb;
  let world: AuthzWorld;
  let services: ReturnType<typeof testServices>;
  beforeAll(async () => {
    t = await createTestDb();
    services = testServices(t.db);
    world = await createAuthzWorld(t.db);
  });
  afterAll(() => t?.dispose());

  describe.each(authorizationMatrix.map((c) => [`${c.procedure}: ${c.title}`, c] as const))('%s', (_name, c) => {
    it.each(actors.map((a) => [a, c.expect[a]] as const))('%s → %s', async (actor, expected) => {
      const input = await c.input(world);
      expect(await callAs(world, services, actor, c.procedure, input)).toBe(expected);
    });
  });
});
