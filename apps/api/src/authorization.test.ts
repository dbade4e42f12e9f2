import { type Actor, type AuthzWorld, actors, authorizationMatrix, createAuthzWorld, type Outcome } from '@triport/core/testing';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Credentials,
  issueCredentials,
  restClient,
  type StyleClient,
  soapClient,
  trpcClient,
  type WireOutcome,
} from './internal/testing/authz-wire.ts';
import { startInstance, type TestInstance } from './internal/testing/harness.ts';

/**
 * The authorization matrix of packages/core (every account, orders and admin procedure × anonymous,
 * two shoppers, an admin, a free and a premium API key, a revoked key) through every API style over
 * real HTTP against one real API instance, with real credentials: cookies from logging in, keys issued
 * and revoked through the API, WS-Security UsernameTokens. The same table drives the in-process test
 * in packages/core, so a style that lets through (or refuses) what another does not fails here.
 */

type Expectation = (outcome: Outcome) => WireOutcome;

const ok = { code: 'ok', marker: '', requestIdInBody: true } as const;
const trpcCodes = { UNAUTHENTICATED: 'UNAUTHORIZED', FORBIDDEN: 'FORBIDDEN', NOT_FOUND: 'NOT_FOUND' } as const;
const httpStatus = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 } as const;
const problemSlugs = { UNAUTHENTICATED: 'unauthenticated', FORBIDDEN: 'forbidden', NOT_FOUND: 'not-found' } as const;

const expectTrpc: Expectation = (o) =>
  o === 'allow' ? { status: 200, ...ok } : { status: httpStatus[o], code: trpcCodes[o], marker: '', requestIdInBody: true };

/** Success status from the route (201 on create, 204 on delete); 401 carries a Bearer challenge. */
const expectRest =
  (procedure: string): Expectation =>
  (o) =>
    o === 'allow'
      ? { status: restSuccessStatus[procedure] ?? 200, ...ok }
      : { status: httpStatus[o], code: problemSlugs[o], marker: o === 'UNAUTHENTICATED' ? 'Bearer' : '', requestIdInBody: true };

const restSuccessStatus: Record<string, number> = {
  'orders.create': 201,
  'admin.products.create': 201,
  'admin.products.delete': 204,
};

/** SOAP 1.1 sends every fault with HTTP 500 and faultcode Client; 1.2 uses Sender and the HTTP status of the code. */
const expectSoap =
  (version: '1.1' | '1.2'): Expectation =>
  (o) =>
    o === 'allow'
      ? { status: 200, ...ok }
      : {
          status: version === '1.1' ? 500 : httpStatus[o],
          code: trpcCodes[o],
          marker: version === '1.1' ? 'Client' : 'Sender',
          requestIdInBody: true,
        };

interface Style {
  name: string;
  client(base: string, creds: Credentials): StyleClient;
  expected(procedure: string): Expectation;
}

const styles: Style[] = [
  { name: 'tRPC (httpBatchLink wire format; cookie | Bearer key)', client: trpcClient, expected: () => expectTrpc },
  { name: 'REST (cookie | Bearer key)', client: restClient, expected: expectRest },
  {
    name: 'SOAP 1.1 (UsernameToken PasswordText | ApiKey header)',
    client: (base, creds) => soapClient(base, creds, { version: '1.1', keyAs: 'apiKeyHeader' }),
    expected: () => expectSoap('1.1'),
  },
  {
    name: 'SOAP 1.2 (UsernameToken PasswordText | PasswordDigest over the key)',
    client: (base, creds) => soapClient(base, creds, { version: '1.2', keyAs: 'passwordDigest' }),
    expected: () => expectSoap('1.2'),
  },
];

let db: TestDb;
let instance: TestInstance;
let world: AuthzWorld;
let creds: Credentials;

beforeAll(async () => {
  db = await createTestPostgres();
  // Memory stores (no REDIS_URL) and generous limits: this file is about who may do what, not how often.
  instance = await startInstance(db, { RATE_LIMIT_ANONYMOUS: '100000/1m', RATE_LIMIT_FREE: '100000/1m', RATE_LIMIT_PREMIUM: '100000/1m' });
  world = await createAuthzWorld(db.db);
  creds = await issueCredentials(instance.url, world);
});
afterAll(async () => {
  await instance?.close();
  await db?.dispose();
});

describe.each(styles)('authorization matrix over $name', (style) => {
  it.each(authorizationMatrix.map((c) => [`${c.procedure}: ${c.title}`, c] as const))('%s', async (_title, c) => {
    const call = style.client(instance.url, creds);
    const expected = style.expected(c.procedure);
    // A fresh input per call (cancel/update/delete consume the rows they act on); the seven calls are
    // independent, so they go out together.
    const outcomes = await Promise.all(actors.map(async (actor) => [actor, await call(c.procedure, await c.input(world), actor)] as const));
    const got = Object.fromEntries(outcomes) as Record<Actor, WireOutcome>;
    const want = Object.fromEntries(actors.map((actor) => [actor, expected(c.expect[actor])])) as Record<Actor, WireOutcome>;
    expect(got).toEqual(want);
  });
});
