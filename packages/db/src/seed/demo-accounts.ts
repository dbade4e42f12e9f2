import { createHash, scryptSync } from 'node:crypto';
import type { Rng } from './prng.ts';

/**
 * Demo credentials created by every seed. They are public on purpose (README, login page hints):
 * never seed them into a database that faces the internet.
 */
export const demoCredentials = {
  shopper: { email: 'shopper@triport.dev', password: 'shopper-password', name: 'Sam Shopper' },
  admin: { email: 'admin@triport.dev', password: 'admin-password', name: 'Ada Admin' },
  /** Owner of the premium API key (a shopper on the premium plan). */
  developer: { email: 'developer@triport.dev', password: 'developer-password', name: 'Dev Premium' },
  freeApiKey: 'tp_free_demofree0001_DemoOnlyFreeKeyDoNotUseInProduction01',
  premiumApiKey: 'tp_premium_demoprem0001_DemoOnlyPremiumKeyDoNotUseInProduction1',
} as const;

export interface SeedUser {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  role: 'shopper' | 'admin';
  plan: 'free' | 'premium';
}

export interface SeedApiKey {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  keyHash: string;
  plan: 'free' | 'premium';
}

/** scrypt parameters of the shared password format `scrypt$N$r$p$<salt b64url>$<hash b64url>`. */
const scryptN = 16384;
const scryptR = 8;
const scryptP = 1;

/**
 * Hashes a password in the format the auth module verifies (node:crypto scrypt, 32-byte key, 16-byte salt).
 *
 * @example
 * hashPasswordWithSalt('secret', randomBytes(16)); // 'scrypt$16384$8$1$...$...'
 */
export function hashPasswordWithSalt(password: string, salt: Buffer): string {
  const hash = scryptSync(password, salt, 32, { N: scryptN, r: scryptR, p: scryptP });
  return `scrypt$${scryptN}$${scryptR}$${scryptP}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * Splits an API key `tp_<plan>_<12 chars>_<secret>` into its stored parts: the public lookup prefix
 * (`tp_<plan>_<12 chars>`) and the hex SHA-256 of the whole key.
 */
export function apiKeyParts(key: string): { prefix: string; keyHash: string } {
  const match = /^(tp_(?:free|premium)_[A-Za-z0-9]{12})_[A-Za-z0-9]+$/.exec(key);
  if (!match?.[1]) throw new Error('malformed API key');
  return { prefix: match[1], keyHash: createHash('sha256').update(key).digest('hex') };
}

const userIds = {
  shopper: '00000000-0000-4000-8000-000000000001',
  admin: '00000000-0000-4000-8000-000000000002',
  developer: '00000000-0000-4000-8000-000000000003',
} as const;

/** The demo users and keys; salts come from `rng` so the same seed gives the same hashes. */
export function demoAccounts(rng: Rng): { users: SeedUser[]; apiKeys: SeedApiKey[] } {
  const user = (who: 'shopper' | 'admin' | 'developer', role: SeedUser['role'], plan: SeedUser['plan']): SeedUser => ({
    id: userIds[who],
    email: demoCredentials[who].email,
    name: demoCredentials[who].name,
    passwordHash: hashPasswordWithSalt(demoCredentials[who].password, rng.bytes(16)),
    role,
    plan,
  });
  const users = [user('shopper', 'shopper', 'free'), user('admin', 'admin', 'free'), user('developer', 'shopper', 'premium')];
  const apiKeys: SeedApiKey[] = [
    { id: '00000000-0000-4000-9000-000000000001', userId: userIds.shopper, name: 'Demo free key', plan: 'free', ...apiKeyParts(demoCredentials.freeApiKey) },
    {
      id: '00000000-0000-4000-9000-000000000002',
      userId: userIds.developer,
      name: 'Demo premium key',
      plan: 'premium',
      ...apiKeyParts(demoCredentials.premiumApiKey),
    },
  ];
  return { users, apiKeys };
}
