import { z } from 'zod';

export const userIdSchema = z.uuid().describe('User id');

/** What a profile read returns. Never the password hash (profile.ts selects columns explicitly). */
export const profileSchema = z.object({
  id: userIdSchema,
  email: z.string(),
  name: z.string(),
  role: z.enum(['shopper', 'admin']),
  plan: z.enum(['free', 'premium']),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Profile = z.infer<typeof profileSchema>;

/** `GET /account/profile?id=…`: no id → your own; another user's id needs the admin role. */
export const profileInputSchema = z.strictObject({ id: userIdSchema.optional() }).optional();

export const userProfileInputSchema = z.strictObject({ id: userIdSchema });

const displayName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  .regex(/^[^\x00-\x1F\x7F]*$/, 'No control characters');

/** Only these two fields can change; role, plan and ids are not accepted (strict object). */
export const updateProfileInputSchema = z
  .strictObject({
    name: displayName.optional(),
    email: z.email().max(254).optional().describe('Stored lower-cased'),
  })
  .refine((v) => v.name !== undefined || v.email !== undefined, { message: 'Send name, email or both' });
export type UpdateProfileInput = z.infer<typeof updateProfileInputSchema>;
