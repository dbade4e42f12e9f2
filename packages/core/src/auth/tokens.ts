import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Plan } from '../context.ts';

/**
 * SHA-256 as lower-case hex: how session tokens and API keys are stored. Hashed on the event loop on
 * purpose: the input is < 100 bytes (≈ 2 µs), while WebCrypto's "off the loop" digest cost a thread-pool
 * job, two buffer copies and a promise per authenticated request (≈ 5% of a keyed order's server CPU).
 *
 * @example
 * const id = await sha256Hex(token);
 */
export async function sha256Hex(text: string): Promise<string> {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests of equal length (different lengths → false). */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A fresh session token: 32 random bytes, base64url (43 characters). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A fresh public key id `tp_<plan>_<12 × [a-z0-9]>`: what the `prefix` column stores and what lists
 * show. The seed's demo keys use the same shape (with mixed case).
 */
export function newKeyPrefix(plan: Plan): string {
  const bytes = randomBytes(12);
  let id = '';
  // 256 % 36 = 4: a bias of < 2% on four letters, irrelevant for a public identifier.
  for (const byte of bytes) id += PREFIX_ALPHABET[byte % PREFIX_ALPHABET.length];
  return `tp_${plan}_${id}`;
}

/**
 * The secret part of an API key, derived from the server's auth secret and the public prefix:
 * `hex(HMAC-SHA256(secret, "tp-key-v1:" + prefix))`. The database stores only SHA-256 of the whole
 * key; deriving the secret lets the server recompute a key for WS-Security PasswordDigest, where the
 * client proves knowledge of the key without sending it.
 */
export function deriveKeySecret(authSecret: Buffer, prefix: string): string {
  return createHmac('sha256', authSecret).update(`tp-key-v1:${prefix}`).digest('hex');
}

/** `tp_<plan>_<12 chars>_<secret>`; the first three parts are the lookup prefix. */
const KEY_FORMAT = /^(tp_(free|premium)_[A-Za-z0-9]{12})_[A-Za-z0-9_-]{16,128}$/;
/** The public part alone, used as WS-Security username for PasswordDigest. */
const KEY_ID_FORMAT = /^tp_(free|premium)_[A-Za-z0-9]{12}$/;

export interface ParsedKey {
  plan: Plan;
  /** `tp_<plan>_<12 chars>`, the `api_keys.prefix` column. */
  prefix: string;
}

/**
 * Splits a presented key; null when it is not shaped like one of ours.
 *
 * @example
 * parseApiKey('tp_free_abcdefghijkl_' + 'x'.repeat(64)); // { plan: 'free', prefix: 'tp_free_abcdefghijkl' }
 */
export function parseApiKey(key: string): ParsedKey | null {
  const match = KEY_FORMAT.exec(key);
  return match ? { plan: match[2] as Plan, prefix: match[1] as string } : null;
}

/** Parses `tp_<plan>_<12 chars>` (a key without its secret). */
export function parseKeyId(keyId: string): ParsedKey | null {
  const match = KEY_ID_FORMAT.exec(keyId);
  return match ? { plan: match[1] as Plan, prefix: keyId } : null;
}

/** Builds the full key for a prefix. */
export function formatApiKey(authSecret: Buffer, prefix: string): string {
  return `${prefix}_${deriveKeySecret(authSecret, prefix)}`;
}

/** What lists show instead of the key: the public part and an ellipsis. */
export function maskApiKey(prefix: string): string {
  return `${prefix}_…`;
}
