import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The slice of `@upstash/redis` that `@upstash/ratelimit` uses, served by ioredis against a stock Redis.
 *
 * `@upstash/ratelimit` scripts start with `#!lua flags=allow-key-locking`, a shebang stock Redis 7
 * rejects. `eval` strips that first line and loads the stripped script; `evalsha` maps the hash
 * Upstash computed (of the original text) to the stripped script's hash. An unknown hash, or a Redis
 * that lost its script cache (restart, SCRIPT FLUSH), answers NOSCRIPT, and Upstash falls back to `eval`.
 *
 * @example
 * const ratelimit = new Ratelimit({ redis: new IoredisUpstashAdapter(ioredis) as never, limiter });
 */
export class IoredisUpstashAdapter {
  readonly #redis: Redis;
  /** sha1(original script) → sha1(stripped script). */
  readonly #shas = new Map<string, string>();

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async evalsha(hash: string, keys: string[], args: unknown[]): Promise<unknown> {
    const sha = this.#shas.get(hash);
    if (!sha) throw new Error('NOSCRIPT No matching script (not loaded through this adapter yet)');
    return this.#redis.evalsha(sha, keys.length, ...keys, ...args.map(String));
  }

  async eval(script: string, keys: string[], args: unknown[]): Promise<unknown> {
    const stripped = stripShebang(script);
    const sha = createHash('sha1').update(stripped).digest('hex');
    this.#shas.set(createHash('sha1').update(script).digest('hex'), sha);
    // EVAL also caches the script server-side, so the next EVALSHA finds it.
    return this.#redis.eval(stripped, keys.length, ...keys, ...args.map(String));
  }

  async get(key: string): Promise<string | null> {
    return this.#redis.get(key);
  }

  async set(key: string, value: string): Promise<'OK'> {
    return this.#redis.set(key, value);
  }
}

/** Drops a leading `#!...` line (Redis Functions flags syntax, not valid in EVAL). */
export function stripShebang(script: string): string {
  if (!script.startsWith('#!')) return script;
  const newline = script.indexOf('\n');
  return newline < 0 ? '' : script.slice(newline + 1);
}
