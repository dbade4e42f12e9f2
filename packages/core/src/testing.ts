/**
 * Test support (`@triport/core/testing`): the authorization matrix as data, so the tRPC, REST and SOAP
 * suites run one table. Kept out of the main entry point so production code cannot import fixtures.
 *
 * @example
 * import { actors, authorizationMatrix, createAuthzWorld } from '@triport/core/testing';
 * const world = await createAuthzWorld(db);
 * for (const c of authorizationMatrix) for (const actor of actors) expectOutcome(c.expect[actor]);
 */
export { actorCredentials, actors, authorizationMatrix, createAuthzWorld, principalFor } from './orders/testing/authorization-matrix.ts';
export type { Actor, AuthzCase, AuthzWorld, Outcome } from './orders/testing/authorization-matrix.ts';
export type { TestUser } from './orders/testing/fixtures.ts';
