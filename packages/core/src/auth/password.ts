import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** Parameters of new hashes; stored in every hash so they can be raised later. */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** scrypt needs 128·N·r bytes; leave headroom above Node's 32 MiB default. */
const MAX_MEM = 64 * 1024 * 1024;

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * Hashes a password as `scrypt$16384$8$1$<salt b64url>$<hash b64url>` (the format the seed writes).
 * Runs on the libuv thread pool, never blocking the event loop.
 *
 * @example
 * const stored = await hashPassword('correct horse battery');
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAX_MEM });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** A valid hash of a random password: unknown users are checked against it so timing reveals nothing. */
const dummyHash = hashPassword(randomBytes(16).toString('hex'));

const FORMAT = /^scrypt\$(\d{1,7})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,88})\$([A-Za-z0-9_-]{16,88})$/;

/**
 * Checks a password against a stored hash in constant time. `stored === undefined` (no such user) still
 * costs one scrypt run, so the answer takes as long whether or not the account exists.
 *
 * @example
 * const ok = await verifyPassword(input.password, user?.passwordHash);
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const match = FORMAT.exec(stored ?? (await dummyHash));
  if (!match) {
    await verifyPassword(password, undefined); // same cost for a corrupt hash
    return false;
  }
  const [, n, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEM,
  });
  return stored !== undefined && timingSafeEqual(actual, expected);
}
