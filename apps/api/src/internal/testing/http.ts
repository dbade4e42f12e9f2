import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const SHARED_REDIS = 'redis://127.0.0.1:6379';

/** A unique key prefix on the shared Redis, and a cleanup that deletes everything under it. */
export function redisPrefix(): { prefix: string; cleanup(): Promise<void> } {
  const prefix = `test-api-${randomUUID()}:`;
  return {
    prefix,
    async cleanup() {
      const redis = new Redis(SHARED_REDIS);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** fetch + the body as text (and parsed on demand). */
export async function request(url: string, init: RequestInit = {}): Promise<Reply> {
  const r = await fetch(url, init);
  const body = await r.text();
  return { status: r.status, headers: r.headers, body, json: <T>() => JSON.parse(body) as T };
}

/** tRPC query URL for a procedure and input (node-http wire format, no batching). */
export function trpcQuery(base: string, path: string, input?: unknown): string {
  return `${base}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;
}

/** POSTs a tRPC mutation. */
export function trpcMutation(base: string, path: string, input: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
}

/** A SOAP 1.1 call with optional header blocks. */
export function soapCall(base: string, body: string, header = '', headers: Record<string, string> = {}): Promise<Reply> {
  const envelope = `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="urn:triport:soap:v1"><soap:Header>${header}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;
  return request(`${base}/soap`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', ...headers }, body: envelope });
}

/** Polls until `check` is true (at most ~`attempts` × 50 ms). */
export async function until(check: () => Promise<boolean>, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not reached');
}

/** Waits, if needed, so that the next `marginMs` do not cross a window boundary (windows are epoch-aligned). */
export async function awayFromWindowEdge(windowMs: number, marginMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 20));
}
