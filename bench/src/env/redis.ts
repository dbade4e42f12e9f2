import { Redis } from 'ioredis';

export const redisServerUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchRedis {
  /** `redis://host:port/<db>`: a logical database that was empty when we took it. */
  url: string;
  db: number;
  keyCount(): Promise<number>;
  /** Empties the database we took (only ours) and disconnects. */
  release(): Promise<void>;
}

/**
 * Takes an empty Redis logical database (1..15, random order) for one run, so nothing of ours mixes with
 * other users' keys and cleaning up is a FLUSHDB of that index only.
 *
 * @example
 * const r = await takeRedisDatabase(); // REDIS_URL = r.url
 * await r.release();
 */
export async function takeRedisDatabase(): Promise<BenchRedis> {
  const order = Array.from({ length: 15 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
  for (const db of order) {
    const client = new Redis(`${redisServerUrl}/${db}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    if ((await client.dbsize()) === 0) {
      const url = `${redisServerUrl}/${db}`;
      return {
        url,
        db,
        keyCount: () => client.dbsize(),
        async release() {
          await client.flushdb();
          client.disconnect();
        },
      };
    }
    client.disconnect();
  }
  throw new Error('No empty Redis logical database (1..15) to run the bench in');
}
