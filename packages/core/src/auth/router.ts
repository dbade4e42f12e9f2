import { users } from '@triport/db';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { appError } from '../errors.ts';
import { publicProcedure, sessionProcedure, userProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';
import { countActiveApiKeys, createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
import { findUserByEmail, normalizeEmail } from './authenticate.ts';
import { clearSessionCookies, sessionCookie } from './cookies.ts';
import { hashPassword, verifyPassword } from './password.ts';
import {
  apiKeySummarySchema,
  createApiKeyInputSchema,
  createdApiKeySchema,
  loginInputSchema,
  meSchema,
  registerInputSchema,
  revokeApiKeyInputSchema,
  userSchema,
} from './schemas.ts';
import { createSession, deleteSession } from './sessions.ts';
import { defaultAuthSettings } from './settings.ts';

const MAX_ACTIVE_KEYS = 20;
const sessionOutput = z.object({ user: userSchema, expiresAt: z.iso.datetime() });

async function startSession(ctx: Context, userId: string): Promise<string> {
  const settings = ctx.services.auth ?? defaultAuthSettings();
  // Rotation: a login never keeps the session id the browser came with.
  if (ctx.principal.kind === 'user' && ctx.principal.sessionId) await deleteSession(ctx.services.db, ctx.principal.sessionId);
  const session = await createSession(ctx.services.db, userId, settings.sessionTtlMs);
  ctx.setHeader('Set-Cookie', sessionCookie(session.token, Math.floor(settings.sessionTtlMs / 1000), ctx.secure === true));
  return session.expiresAt.toISOString();
}

async function userById(ctx: Context, id: string) {
  const [user] = await ctx.services.db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, plan: users.plan })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return user ?? null;
}

/**
 * `auth.*`: session login for the storefront (cookie), registration, logout, and who am I.
 * SOAP clients authenticate per message (WS-Security UsernameToken or an API key header); `Login`
 * over SOAP also answers with `Set-Cookie` for clients that keep cookies.
 */
export const authRouter = router({
  register: publicProcedure
    .meta({
      rest: { method: 'POST', path: '/auth/register', summary: 'Create an account and sign in', tags: ['auth'], successStatus: 201 },
      soap: { operation: 'Register', summary: 'Create an account' },
      access: 'public',
      cost: 10,
    })
    .input(registerInputSchema)
    .output(sessionOutput)
    .mutation(async ({ ctx, input }) => {
      const email = normalizeEmail(input.email);
      if (input.password.trim().toLowerCase() === email) throw appError('VALIDATION', 'The password must not be your email');
      const passwordHash = await hashPassword(input.password);
      const name = input.name ?? email.slice(0, email.indexOf('@'));
      const [user] = await ctx.services.db
        .insert(users)
        .values({ email, name, passwordHash })
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id, email: users.email, name: users.name, role: users.role, plan: users.plan });
      if (!user) throw appError('CONFLICT', 'An account with this email already exists');
      return { user, expiresAt: await startSession(ctx, user.id) };
    }),

  login: publicProcedure
    .meta({
      rest: { method: 'POST', path: '/auth/login', summary: 'Sign in (sets the session cookie)', tags: ['auth'] },
      soap: { operation: 'Login', summary: 'Check a password and start a cookie session' },
      access: 'public',
      cost: 10,
    })
    .input(loginInputSchema)
    .output(sessionOutput)
    .mutation(async ({ ctx, input }) => {
      const found = await findUserByEmail(ctx.services.db, input.email);
      const ok = await verifyPassword(input.password, found?.passwordHash);
      if (!found || !ok) throw appError('UNAUTHENTICATED', 'Wrong email or password');
      const { passwordHash: _, ...user } = found;
      return { user, expiresAt: await startSession(ctx, user.id) };
    }),

  logout: publicProcedure
    .meta({
      rest: { method: 'POST', path: '/auth/logout', summary: 'Sign out (ends the session)', tags: ['auth'] },
      soap: { operation: 'Logout', summary: 'End the cookie session' },
      access: 'public',
    })
    .input(z.object({}).optional())
    .output(z.object({ signedOut: z.boolean() }))
    .mutation(async ({ ctx }) => {
      const sessionId = ctx.principal.kind === 'user' ? ctx.principal.sessionId : null;
      if (sessionId) await deleteSession(ctx.services.db, sessionId);
      ctx.setHeader('Set-Cookie', clearSessionCookies(ctx.secure === true));
      return { signedOut: sessionId !== null };
    }),

  me: publicProcedure
    .meta({
      rest: { method: 'GET', path: '/auth/me', summary: 'Who is calling', tags: ['auth'] },
      soap: { operation: 'Me', summary: 'Who is calling' },
      access: 'public',
    })
    .input(z.object({}).optional())
    .output(meSchema)
    .query(async ({ ctx }) => {
      const principal = ctx.principal;
      if (principal.kind === 'anonymous') return { kind: 'anonymous' as const, user: null, apiKeyId: null };
      const user = await userById(ctx, principal.userId);
      return { kind: principal.kind, user, apiKeyId: principal.kind === 'apiKey' ? principal.keyId : null };
    }),
});

/** `account.apiKeys.*`: mounted inside `account` by router.ts. */
export const apiKeysRouter = router({
  create: sessionProcedure
    .meta({
      rest: {
        method: 'POST',
        path: '/account/api-keys',
        summary: 'Create an API key (returned once)',
        description: 'Needs a signed-in user (session or UsernameToken), not an API key.',
        tags: ['account'],
        successStatus: 201,
        location: '/account/api-keys/{id}',
      },
      soap: { operation: 'CreateApiKey', summary: 'Create an API key (returned once)' },
      access: 'user',
      cost: 5,
    })
    .input(createApiKeyInputSchema)
    .output(createdApiKeySchema)
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      if ((await countActiveApiKeys(db, ctx.principal.userId)) >= MAX_ACTIVE_KEYS) {
        throw appError('CONFLICT', `At most ${MAX_ACTIVE_KEYS} active keys; revoke one first`);
      }
      const settings = ctx.services.auth ?? defaultAuthSettings();
      const { key, summary } = await createApiKey(db, settings.secret, {
        userId: ctx.principal.userId,
        name: input.name,
        plan: ctx.principal.plan,
      });
      return { ...summary, key };
    }),

  list: userProcedure
    .meta({
      rest: { method: 'GET', path: '/account/api-keys', summary: 'Your API keys (masked)', tags: ['account'] },
      soap: { operation: 'ListApiKeys', summary: 'Your API keys (masked)' },
      access: 'user',
    })
    .input(z.object({}).optional())
    .output(z.object({ items: z.array(apiKeySummarySchema) }))
    .query(async ({ ctx }) => ({ items: await listApiKeys(ctx.services.db, ctx.principal.userId) })),

  revoke: userProcedure
    .meta({
      rest: { method: 'DELETE', path: '/account/api-keys/{id}', summary: 'Revoke an API key', tags: ['account'], successStatus: 204 },
      soap: { operation: 'RevokeApiKey', summary: 'Revoke an API key' },
      access: 'user',
    })
    .input(revokeApiKeyInputSchema)
    .output(z.object({ id: z.uuid(), revoked: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const revoked = await revokeApiKey(ctx.services.db, ctx.principal.userId, input.id, ctx.services.cache);
      if (!revoked) throw appError('NOT_FOUND', 'No active API key with this id');
      return { id: input.id, revoked };
    }),
});
