import type { Principal } from './context.ts';
import { appError } from './errors.ts';
import { baseProcedure, middleware } from './trpc.ts';

/**
 * Procedure builders. Keep the middleware chain short: every `.use()` costs an object spread per call
 * (STACK.md), and these run on every request of every API style.
 */
export const publicProcedure = baseProcedure;

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

/** Any signed-in user or API key. */
export const userProcedure = publicProcedure.use(requireUser);
/** Users (or their API keys) with the admin role. */
export const adminProcedure = publicProcedure.use(requireAdmin);
