import { randomUUID } from 'node:crypto';
import type { Database } from '@triport/db';
import type { Principal } from '../../context.ts';
import type { AppErrorCode } from '../../errors.ts';
import { placeOrder } from '../place-order.ts';
import { insertCategory, insertProduct, insertUser, type TestUser } from './fixtures.ts';

/**
 * The authorization matrix of the account, orders and admin procedures, as data: every procedure ×
 * every kind of caller → allowed or the error code. `authorization.test.ts` runs it through
 * `createCaller`; REST and SOAP suites can run the same table through their wire formats, using
 * `createAuthzWorld` for the rows and `actorCredentials` to know whose credentials each actor holds.
 */
export const actors = ['anonymous', 'shopperA', 'shopperB', 'admin', 'apiKeyFree', 'apiKeyPremium', 'revokedKey'] as const;
export type Actor = (typeof actors)[number];

/** `allow`, or the vocabulary code the call must fail with. */
export type Outcome = 'allow' | Extract<AppErrorCode, 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND'>;

/**
 * What each actor is. API keys belong to shoppers (role `shopper`); the revoked key is shopper A's:
 * the gateway refuses it before any procedure runs, so procedures see an anonymous caller.
 */
export const actorCredentials: Record<Actor, { kind: 'none' | 'session' | 'apiKey'; user?: 'shopperA' | 'shopperB' | 'admin'; plan?: 'free' | 'premium'; revoked?: boolean }> = {
  anonymous: { kind: 'none' },
  shopperA: { kind: 'session', user: 'shopperA' },
  shopperB: { kind: 'session', user: 'shopperB' },
  admin: { kind: 'session', user: 'admin' },
  apiKeyFree: { kind: 'apiKey', user: 'shopperA', plan: 'free' },
  apiKeyPremium: { kind: 'apiKey', user: 'shopperB', plan: 'premium' },
  revokedKey: { kind: 'apiKey', user: 'shopperA', plan: 'premium', revoked: true },
};

/** Rows the cases refer to. */
export interface AuthzWorld {
  db: Database;
  users: { shopperA: TestUser; shopperB: TestUser; admin: TestUser };
  /** Stable ids for the API-key principals of this world. */
  keyIds: { apiKeyFree: string; apiKeyPremium: string; revokedKey: string };
  categoryId: number;
  /** In stock (10,000 units), for orders. */
  productId: number;
  /** An order of shopper A, never cancelled by the matrix. */
  orderOfA: string;
}

export async function createAuthzWorld(db: Database): Promise<AuthzWorld> {
  const shopperA = await insertUser(db, { name: 'Shopper A' });
  const shopperB = await insertUser(db, { name: 'Shopper B', plan: 'premium' });
  const admin = await insertUser(db, { role: 'admin', name: 'Admin' });
  const categoryId = (await insertCategory(db)).id;
  const productId = (await insertProduct(db, { categoryId, stock: 10_000 })).id;
  const { order } = await placeOrder(db, { userId: shopperA.id, lines: [{ productId, quantity: 1 }] });
  return {
    db,
    users: { shopperA, shopperB, admin },
    keyIds: { apiKeyFree: randomUUID(), apiKeyPremium: randomUUID(), revokedKey: randomUUID() },
    categoryId,
    productId,
    orderOfA: order.id,
  };
}

/** The principal the gateway would resolve for an actor (a revoked key resolves to anonymous). */
export function principalFor(actor: Actor, world: AuthzWorld): Principal {
  const cred = actorCredentials[actor];
  if (cred.kind === 'none' || cred.revoked || !cred.user) return { kind: 'anonymous' };
  const user = world.users[cred.user];
  if (cred.kind === 'session') {
    return { kind: 'user', userId: user.id, role: user.role, plan: user.plan, sessionId: `session-${actor}` };
  }
  const keyId = world.keyIds[actor as keyof AuthzWorld['keyIds']];
  return { kind: 'apiKey', keyId, userId: user.id, role: user.role, plan: cred.plan ?? 'free' };
}

export interface AuthzCase {
  /** Dotted procedure path, e.g. `orders.get`. */
  procedure: string;
  /** What is being tried, for test names. */
  title: string;
  /** Builds a fresh input per call (mutations that consume rows create their own). */
  input(world: AuthzWorld): Promise<unknown>;
  expect: Record<Actor, Outcome>;
}

const U = 'UNAUTHENTICATED' as const;
const F = 'FORBIDDEN' as const;
const N = 'NOT_FOUND' as const;
const anyUser = { anonymous: U, shopperA: 'allow', shopperB: 'allow', admin: 'allow', apiKeyFree: 'allow', apiKeyPremium: 'allow', revokedKey: U } as const;
const adminOnly = { anonymous: U, shopperA: F, shopperB: F, admin: 'allow', apiKeyFree: F, apiKeyPremium: F, revokedKey: U } as const;
/** Resources of shopper A (the free key is A's, the premium key B's). */
const ownerOrAdmin = (denied: typeof F | typeof N) =>
  ({ anonymous: U, shopperA: 'allow', shopperB: denied, admin: 'allow', apiKeyFree: 'allow', apiKeyPremium: denied, revokedKey: U }) as const;

const productFields = (world: AuthzWorld) => ({
  sku: `AZ-${randomUUID()}`,
  name: 'Matrix product',
  description: '',
  brand: 'Matrix',
  categoryId: world.categoryId,
  priceCents: 100,
});

export const authorizationMatrix: readonly AuthzCase[] = [
  { procedure: 'account.profile', title: 'read own profile', input: async () => ({}), expect: anyUser },
  {
    procedure: 'account.profile',
    title: 'read shopper A’s profile by id',
    input: async (w) => ({ id: w.users.shopperA.id }),
    expect: ownerOrAdmin(F),
  },
  {
    procedure: 'account.userProfile',
    title: 'read shopper A’s profile (admin route)',
    input: async (w) => ({ id: w.users.shopperA.id }),
    expect: adminOnly,
  },
  {
    procedure: 'account.updateProfile',
    title: 'rename yourself (sessions only)',
    input: async () => ({ name: 'Renamed' }),
    expect: { anonymous: U, shopperA: 'allow', shopperB: 'allow', admin: 'allow', apiKeyFree: F, apiKeyPremium: F, revokedKey: U },
  },
  {
    procedure: 'orders.create',
    title: 'place an order',
    input: async (w) => ({ lines: [{ productId: w.productId, quantity: 1 }] }),
    expect: anyUser,
  },
  { procedure: 'orders.get', title: 'read shopper A’s order', input: async (w) => ({ id: w.orderOfA }), expect: ownerOrAdmin(N) },
  { procedure: 'orders.list', title: 'list own orders', input: async () => ({}), expect: anyUser },
  {
    procedure: 'orders.list',
    title: 'list shopper A’s orders by user id',
    input: async (w) => ({ userId: w.users.shopperA.id }),
    expect: ownerOrAdmin(F),
  },
  {
    procedure: 'orders.cancel',
    title: 'cancel a fresh order of shopper A',
    input: async (w) => {
      const { order } = await placeOrder(w.db, { userId: w.users.shopperA.id, lines: [{ productId: w.productId, quantity: 1 }] });
      return { id: order.id };
    },
    expect: ownerOrAdmin(N),
  },
  { procedure: 'admin.products.create', title: 'create a product', input: async (w) => productFields(w), expect: adminOnly },
  {
    procedure: 'admin.products.update',
    title: 'update a fresh product at its version',
    input: async (w) => {
      const p = await insertProduct(w.db, { categoryId: w.categoryId });
      return { ...productFields(w), id: p.id, version: p.version };
    },
    expect: adminOnly,
  },
  {
    procedure: 'admin.products.delete',
    title: 'delete a fresh product at its version',
    input: async (w) => {
      const p = await insertProduct(w.db, { categoryId: w.categoryId });
      return { id: p.id, version: p.version };
    },
    expect: adminOnly,
  },
];
