import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IoredisUpstashAdapter } from '@triport/core';
import { Redis } from 'ioredis';

/**
 * A minimal Upstash-compatible REST endpoint in front of a stock Redis (the protocol the stock
 * `@upstash/redis` client speaks: POST a JSON command array, get `{ result }`, strings base64 with
 * `Upstash-Encoding: base64`). EVAL/EVALSHA go through the ioredis adapter, which strips the
 * `#!lua flags=...` line real Upstash accepts and Redis 7 does not.
 */
export async function startUpstashProxy(redisUrl: string, token: string) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 0 });
  const adapter = new IoredisUpstashAdapter(redis);
  const encode = (value: unknown, base64: boolean): unknown => {
    if (typeof value === 'string') return base64 ? Buffer.from(value).toString('base64') : value;
    if (Array.isArray(value)) return value.map((v) => encode(v, base64));
    return value;
  };
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { error: 'Unauthorized' });
    const base64 = req.headers['upstash-encoding'] === 'base64';
    const run = async ([command, ...args]: Array<string | number>): Promise<unknown> => {
      const name = String(command).toLowerCase();
      if (name !== 'evalsha' && name !== 'eval') return redis.call(name, ...args.map(String));
      const [script, numKeys, ...rest] = args.map(String);
      const keys = rest.slice(0, Number(numKeys));
      const argv = rest.slice(Number(numKeys));
      return name === 'eval' ? adapter.eval(script!, keys, argv) : adapter.evalsha(script!, keys, argv);
    };
    const parsed = JSON.parse(body) as Array<string | number> | Array<Array<string | number>>;
    // `/pipeline` (the client's auto-pipelining) carries several commands and answers one entry each.
    if (req.url?.endsWith('/pipeline')) {
      const results = [];
      for (const command of parsed as Array<Array<string | number>>) {
        try {
          results.push({ result: encode(await run(command), base64) });
        } catch (error) {
          results.push({ error: error instanceof Error ? error.message : String(error) });
        }
      }
      return reply(200, results);
    }
    try {
      reply(200, { result: encode(await run(parsed as Array<string | number>), base64) });
    } catch (error) {
      reply(400, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
}
