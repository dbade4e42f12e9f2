export { appRouter, createCaller } from './router.ts';
export { adminProcedure, publicProcedure, userProcedure } from './procedures.ts';
export type { AppRouter } from './router.ts';
export { internalContext } from './context.ts';
export type { ApiStyle, Context, Plan, Principal, Role, Services, Timing } from './context.ts';
export { appError, errorCodes, vocabularyOf } from './errors.ts';
export type { AppErrorCode } from './errors.ts';
export type { AccessLevel, HttpMethod, ProcedureMeta, RestRouteMeta, SoapOperationMeta } from './meta.ts';
export type { Product } from './catalog/schemas.ts';
export { createMemoryCache } from './cache/memory-cache.ts';
export type { Cache, CacheEntryOptions } from './cache/types.ts';
export { accountProcedures, accountRouter } from './account/router.ts';
export type { Profile } from './account/schemas.ts';
export { ordersRouter } from './orders/router.ts';
export { cancelWindowMs } from './orders/order-view.ts';
export type { CreateOrderInput, Order, OrderPage } from './orders/schemas.ts';
export { adminRouter } from './admin/router.ts';
export { purgeExpiredIdempotencyKeys } from './idempotency/idempotency.ts';
/** Test support: the authorization matrix as data, for the tRPC, REST and SOAP suites alike. */
export {
  actorCredentials,
  actors,
  authorizationMatrix,
  createAuthzWorld,
  principalFor,
} from './orders/testing/authorization-matrix.ts';
export type { Actor, AuthzCase, AuthzWorld, Outcome } from './orders/testing/authorization-matrix.ts';
