import type { TRPCError } from '@trpc/server';
import type { Context, Principal } from './context.ts';
import { appError } from './errors.ts';
import { isDatabaseUnavailable } from './internal/database-unavailable.ts';
import { baseProcedure, middleware } from './trpc.ts';

/**
 * Procedure builders. Keep the middleware chain short: every `.use()` costs an object spread per call
 * (STACK.md), and these run on every request of every API style.
 */

/**
 * The gateway step every procedure runs: records the procedure for the request log, then spends
 * `meta.cost` (default 1) tokens of the caller's rate limit, then rejects bad credentials. The fields go out through `ctx.setHeader`
 * so tRPC, REST and SOAP responses all carry them.
 */
const rateLimit = middleware(async ({ ctx, meta, path, next }) => {
  const observation = ctx.observation;
  if (observation) observation.procedure = observation.procedure ? `${observation.procedure},${path}` : path;
  const limiter = ctx.services.rateLimiter;
  if (!limiter) {
    if (ctx.authError) throw ctx.authError;
    return unavailableOnLostDatabase(ctx, await next());
  }
  const started = performance.now();
  const decision = await limiter.check(ctx.principal, ctx.clientIp, meta?.cost ?? 1);
  ctx.timing.add('ratelimit', performance.now() - started);
  ctx.setHeader('RateLimit-Policy', decision.policyHeader);
  if (decision.header) ctx.setHeader('RateLimit', decision.header);
  if (!decision.allowed) {
    ctx.setHeader('Retry-After', String(decision.retryAfterSeconds));
    if (decision.storeFailed) throw appError('UNAVAILABLE', 'Rate limiting is unavailable; retry shortly');
    throw appError('RATE_LIMITED', `Rate limit exceeded; retry in ${decision.retryAfterSeconds} s`);
  }
  // After the limit: rejected credentials spend the caller's (anonymous, per-IP) budget.
  if (ctx.authError) {
    if (ctx.authError.code === 'SERVICE_UNAVAILABLE') ctx.setHeader('Retry-After', '1');
    throw ctx.authError;
  }
  return unavailableOnLostDatabase(ctx, await next());
});

/**
 * A lost database connection (backend terminated, server restarting, connection refused) is
 * UNAVAILABLE + `Retry-After`, not INTERNAL: Postgres rolled the transaction back, the pool reconnects
 * on the next query, and the client may simply retry.
 */
function unavailableOnLostDatabase<R extends { ok: true } | { ok: false; error: TRPCError }>(ctx: Context, result: R): R {
  if (result.ok || !isDatabaseUnavailable(result.error.cause)) return result;
  ctx.setHeader('Retry-After', '1');
  throw appError('UNAVAILABLE', 'The database is temporarily unavailable; retry shortly', result.error.cause);
}

export const publicProcedure = baseProcedure.use(rateLimit);

type Authenticated = Exclude<Principal, { kind: 'anonymous' }>;

const requireUser = middleware(({ ctx, next }) => {
  if (ctx.principal.kind === 'anonymous') throw appError('UNAUTHENTICATED', 'Sign in or send an API key');
  return next({ ctx: { principal: ctx.principal as Authenticated } });
});

const requireAdmin = middleware(({ ctx, next }) => {
  if (ctx.principal.kind === 'anonymous') throw appError('UNAUTHENTICATED', 'Sign in or send an API key');
  if (ctx.principal.role !== 'admin') throw appError('FORBIDDEN', 'Administrators only');
  return next({ ctx: { principal: ctx.principal as Authenticated } });
});

const requirePremium = middleware(({ ctx, next }) => {
  if (ctx.principal.kind === 'anonymous') throw appError('UNAUTHENTICATED', 'Sign in or send an API key');
  if (ctx.principal.plan !== 'premium' && ctx.principal.role !== 'admin') throw appError('FORBIDDEN', 'Premium plan only');
  return next({ ctx: { principal: ctx.principal as Authenticated } });
});

/** Any signed-in user or API key. */
export const userProcedure = publicProcedure.use(requireUser);
/** Users (or their API keys) with the admin role. */
export const adminProcedure = publicProcedure.use(requireAdmin);
/** Callers on the premium plan (and admins). */
export const premiumProcedure = publicProcedure.use(requirePremium);
/** A signed-in user with a browser session (not an API key): for actions a leaked key must not do. */
export const sessionProcedure = publicProcedure.use(
  middleware(({ ctx, next }) => {
    if (ctx.principal.kind === 'anonymous') throw appError('UNAUTHENTICATED', 'Sign in to do this');
    // A valid API key is authenticated, just not enough: 403, so clients don't discard a good key as invalid.
    if (ctx.principal.kind !== 'user') throw appError('FORBIDDEN', 'Sign in with a browser session to do this');
    return next({ ctx: { principal: ctx.principal } });
  }),
);
