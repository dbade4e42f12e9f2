/**
 * Seeded random requests (reproducible: fixed seed) over raw TCP. Whatever arrives, the answer
 * is a 2xx-4xx: never a 5xx, never a hang, and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './internal/testing/http.ts';
import { startTestServer, type TestServer } from './internal/testing/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 16 * 1024, bodyTimeoutMs: 2_000 });
});
afterAll(() => server.close());

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = ['/rest/v1/notes', '/rest/v1/notes/n1', '/rest/v1/notes/n1/lock', '/rest/v1/echo', '/rest/v1/count', '/rest/v1/square/7', '/rest/v1/exports', '/rest/v1'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const PIECES = ['%', '%2F', '%00', '%FF', '..', '[', ']', '[x]', '=', '&', '+', '__proto__', 'limit', 'tag', 'priority[min]', 'cursor', '1e309', '-0', 'true', '\u00e9', "'", '"', '{', '}', ';'];
const BODIES = ['{"title":"x"}', '{"text":"x","data":{"a":[1,2,{"b":null}]}}', '["a"]', 'null', '1', '"s"', '{"__proto__":1}', '{', '', '\u0000', `{"title":"${'x'.repeat(300)}"}`];
const TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', '', 'application/json; charset=utf-16'];

describe('seeded fuzzing', () => {
  it('answers 300 random requests without a 5xx', async () => {
    const random = mulberry32(20261125);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const seen = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      let path = pick(PATHS);
      if (random() < 0.2) path += `/${pick(PIECES)}`;
      if (random() < 0.4) {
        const pairs = Array.from({ length: 1 + Math.floor(random() * 4) }, () => `${pick(PIECES)}=${pick(PIECES)}`);
        path += `?${pairs.join('&')}`;
      }
      // Request targets must be printable ASCII: encode anything else the way a client would.
      path = path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
      const method = pick(METHODS);
      let body = random() < 0.6 ? pick(BODIES) : '';
      if (random() < 0.2) {
        const bytes = Buffer.from(body);
        if (bytes.length > 0) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        body = bytes.toString('latin1');
      }
      const bodyBytes = Buffer.from(body, 'latin1');
      const type = pick(TYPES);
      const auth = random() < 0.5 ? 'Authorization: Bearer member-token\r\n' : '';
      const head =
        `${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}` +
        (type ? `Content-Type: ${type}\r\n` : '') +
        (bodyBytes.length ? `Content-Length: ${bodyBytes.length}\r\n` : '') +
        '\r\n';
      const res = await rawRequest(server.port, [head, bodyBytes]);
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      // /rest/v1/exports always answers 429 by design; everything else must be < 500.
      expect(res.status, `${method} ${path} ${JSON.stringify(body)} → ${res.body}`).toBeLessThan(500);
      expect(res.status).toBeGreaterThanOrEqual(200);
    }
    expect(seen.size).toBeGreaterThan(5);
    const alive = await fetch(`${server.url}/rest/v1/notes`);
    expect(alive.status).toBe(200);
  }, 60_000);
});
