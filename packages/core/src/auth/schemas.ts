import { z } from 'zod';

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['shopper', 'admin']),
  plan: z.enum(['free', 'premium']),
});

const emailSchema = z.email().max(254);

export const loginInputSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(1024),
});

export const registerInputSchema = z.object({
  email: emailSchema,
  password: z.string().min(10, 'At least 10 characters').max(1024),
  name: z.string().trim().min(1).max(200).optional(),
});

export const meSchema = z.object({
  kind: z.enum(['anonymous', 'user', 'apiKey']),
  user: userSchema.nullable(),
  /** Set when the caller is an API key. */
  apiKeyId: z.uuid().nullable(),
});

export const apiKeySummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  maskedKey: z.string(),
  plan: z.enum(['free', 'premium']),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});

export const createApiKeyInputSchema = z.object({ name: z.string().trim().min(1).max(100) });
export const createdApiKeySchema = apiKeySummarySchema.extend({
  /** The whole key, shown once: store it now. */
  key: z.string(),
});
export const revokeApiKeyInputSchema = z.object({ id: z.uuid() });
