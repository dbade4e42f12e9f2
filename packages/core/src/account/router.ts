import { appError } from '../errors.ts';
import { adminProcedure, userProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';
import { findProfile, updateProfile } from './profile.ts';
import { profileInputSchema, profileSchema, updateProfileInputSchema, userProfileInputSchema } from './schemas.ts';

/**
 * The profile procedures as a plain record, so the router file can merge them with
 * `account.apiKeys` (owned by the gateway): `account: router({ ...accountProcedures, apiKeys })`.
 */
export const accountProcedures = {
  profile: userProcedure
    .meta({
      rest: {
        method: 'GET',
        path: '/account/profile',
        summary: 'Your profile',
        description: 'Admins may pass ?id= to read any user’s profile; anyone else gets 403 for a foreign id.',
        tags: ['account'],
      },
      soap: { operation: 'GetProfile', summary: 'Your profile (admins: any user by Id)' },
      access: 'user',
      cost: 1,
    })
    .input(profileInputSchema)
    .output(profileSchema)
    .query(async ({ ctx, input }) => {
      const id = input?.id ?? ctx.principal.userId;
      // Same answer whether or not the id exists: a shopper learns nothing about other accounts.
      if (id !== ctx.principal.userId && ctx.principal.role !== 'admin') {
        throw appError('FORBIDDEN', 'You may only read your own profile');
      }
      const profile = await findProfile(ctx.services.db, id);
      if (!profile) throw appError('NOT_FOUND', 'User not found');
      return profile;
    }),

  userProfile: adminProcedure
    .meta({
      rest: { method: 'GET', path: '/users/{id}/profile', summary: 'Any user’s profile (admin)', tags: ['account', 'admin'] },
      soap: { operation: 'GetUserProfile', summary: 'Any user’s profile (admin)' },
      access: 'admin',
      cost: 1,
    })
    .input(userProfileInputSchema)
    .output(profileSchema)
    .query(async ({ ctx, input }) => {
      const profile = await findProfile(ctx.services.db, input.id);
      if (!profile) throw appError('NOT_FOUND', 'User not found');
      return profile;
    }),

  updateProfile: userProcedure
    .meta({
      rest: {
        method: 'PATCH',
        path: '/account/profile',
        summary: 'Change your name or email',
        description: 'Needs a signed-in session: an API key cannot change the account it belongs to.',
        tags: ['account'],
      },
      soap: { operation: 'UpdateProfile', summary: 'Change your name or email (session only)' },
      access: 'user',
      cost: 2,
    })
    .input(updateProfileInputSchema)
    .output(profileSchema)
    .mutation(async ({ ctx, input }) => {
      // A leaked API key must not be enough to take the account over by changing its email.
      if (ctx.principal.kind !== 'user') throw appError('FORBIDDEN', 'Sign in to change your profile');
      return updateProfile(ctx.services.db, ctx.principal.userId, input);
    }),
};

export const accountRouter = router(accountProcedures);
