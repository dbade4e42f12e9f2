export { appRouter, createCaller } from './router.ts';
export { adminProcedure, premiumProcedure, publicProcedure, sessionProcedure, userProcedure } from './procedures.ts';
export type { AppRouter } from './router.ts';
export { internalContext } from './context.ts';
export type { ApiStyle, Context, Plan, Principal, RequestObservation, Role, Services, Timing } from './context.ts';
export { appError, errorCodes, vocabularyOf } from './errors.ts';
export type { AppErrorCode } from './errors.ts';
export type { AccessLevel, HttpMethod, ProcedureMeta, RestRouteMeta, SoapOperationMeta } from './meta.ts';
export type { Product } from './catalog/schemas.ts';
export { createMemoryCache } from './cache/memory-cache.ts';
export type { Cache, CacheEntryOptions } from './cache/types.ts';
export { authRouter, apiKeysRouter } from './auth/router.ts';
export { authenticateRequest, authenticateSoap, normalizeEmail } from './auth/authenticate.ts';
export type { Authentication, RequestCredentials, SoapCredentials } from './auth/authenticate.ts';
export { createApiKey, revokeApiKey, verifyApiKey } from './auth/api-keys.ts';
export type { ApiKeySummary } from './auth/api-keys.ts';
export { hashPassword, verifyPassword } from './auth/password.ts';
export { createSession, deleteExpiredSessions, deleteSession, resolveSession } from './auth/sessions.ts';
export { clearSessionCookies, readSessionToken, SESSION_COOKIE_PLAIN, SESSION_COOKIE_SECURE, sessionCookie } from './auth/cookies.ts';
export { createAuthSettings, defaultAuthSettings } from './auth/settings.ts';
export type { AuthSettings } from './auth/settings.ts';
export { createMemoryNonceStore, createRedisNonceStore } from './auth/nonce-store.ts';
export type { NonceStore } from './auth/nonce-store.ts';
export { createRateLimiter, defaultRateLimitPolicies, parseTierPolicy } from './ratelimit/limiter.ts';
export type { RateLimiterOptions } from './ratelimit/limiter.ts';
export { createMemoryRateLimitStore } from './ratelimit/memory-store.ts';
export { createUpstashStore, RateLimitStoreError } from './ratelimit/upstash-store.ts';
export { createCoalescingStore } from './ratelimit/coalescing-store.ts';
export type { UpstashRedisLike } from './ratelimit/upstash-store.ts';
export { IoredisUpstashAdapter, stripShebang } from './ratelimit/ioredis-adapter.ts';
export type {
  LimitTier,
  RateLimitDecision,
  RateLimiter,
  RateLimitPolicies,
  RateLimitStore,
  SlidingWindowResult,
  TierPolicy,
} from './ratelimit/types.ts';
export { accountProcedures, accountRouter } from './account/router.ts';
export type { Profile } from './account/schemas.ts';
export { ordersRouter } from './orders/router.ts';
export { cancelWindowMs } from './orders/order-view.ts';
export type { CreateOrderInput, Order, OrderPage } from './orders/schemas.ts';
export { adminRouter } from './admin/router.ts';
export { purgeExpiredIdempotencyKeys } from './idempotency/idempotency.ts';
export { createTwoTierCache } from './cache/two-tier-cache.ts';
export type { CacheObserver, CacheOutcome, TwoTierCache, TwoTierCacheOptions } from './cache/two-tier-cache.ts';
