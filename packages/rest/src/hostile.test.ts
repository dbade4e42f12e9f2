/**
 * Hostile input through real HTTP: every case ends in a clean 4xx (never a 500, a crash or a hang).
 * The per-test timeout is the hang detector.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProblemDetails } from './problem.ts';
import { rawRequest } from './internal/testing/http.ts';
import { startTestServer, type TestServer } from './internal/testing/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 64 * 1024, bodyTimeoutMs: 2_000 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.store.notes.clear();
  server.store.nextId = 1;
});

const member = 'Authorization: Bearer member-token\r\n';

function post(path: string, body: string | Buffer, extraHeaders = '') {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return rawRequest(server.port, [
    `POST ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n${extraHeaders}\r\n`,
    bytes,
  ]);
}

function get(path: string, extraHeaders = '') {
  return rawRequest(server.port, [`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${extraHeaders}\r\n`]);
}

function parsed(res: { body: string; headers: Record<string, string> }): ProblemDetails {
  expect(res.headers['content-type']).toBe('application/problem+json');
  return JSON.parse(res.body) as ProblemDetails;
}

describe('bodies', () => {
  it('413 for a declared Content-Length over the limit, without reading it', async () => {
    const res = await rawRequest(server.port, [
      'POST /rest/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{"text":"',
    ]);
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
    expect(parsed(res).type).toBe('https://triport.dev/problems/payload-too-large');
  });

  it('413 for a chunked body that grows past the limit, streamed by a real client', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/rest/v1/echo', headers: { 'content-type': 'application/json' } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"text":"');
      const chunk = 'a'.repeat(16 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 200 && req.write(chunk)) sent++;
        if (sent < 200) req.once('drain', pump);
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('415 for a body without Content-Type, before reading it', async () => {
    const res = await rawRequest(server.port, ['POST /rest/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n{"text":"x"}']);
    expect(res.status).toBe(415);
    expect(parsed(res).type).toBe('https://triport.dev/problems/unsupported-media-type');
  });

  it('415 for a compressed request body (no unbounded inflate)', async () => {
    const res = await post('/rest/v1/echo', Buffer.from([0x1f, 0x8b, 0x08, 0x00]), 'Content-Encoding: gzip\r\n');
    expect(res.status).toBe(415);
    expect(res.headers['accept-encoding']).toBe('identity');
  });

  it('accepts a body just under the limit', async () => {
    const text = 'x'.repeat(10_000);
    const res = await post('/rest/v1/echo', JSON.stringify({ text }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ text });
  });

  it('400 for invalid JSON, invalid UTF-8 and an empty JSON text; a UTF-8 BOM is ignored (RFC 8259 §8.1)', async () => {
    expect((await post('/rest/v1/echo', Buffer.from('\ufeff{"text":"x"}'))).status).toBe(200);
    for (const body of ['{"text":', '{"text":"x"}garbage', Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), Buffer.from([0xc0, 0xaf]), '   ']) {
      const res = await post('/rest/v1/echo', body);
      expect(res.status, String(body)).toBe(400);
      expect(parsed(res).type).toBe('https://triport.dev/problems/malformed-request');
    }
  });

  it('survives 100k levels of nesting (arrays and objects) with a 400', async () => {
    const arrays = `{"text":"x","data":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const objects = `{"text":"x","data":${'{"a":'.repeat(12_000)}1${'}'.repeat(12_000)}}`;
    const bigServer = await startTestServer({ maxBodyBytes: 1024 * 1024 });
    try {
      for (const body of [arrays, objects]) {
        const res = await rawRequest(bigServer.port, [
          `POST /rest/v1/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
          body,
        ]);
        expect(res.status).toBe(400);
        expect(parsed(res).detail).toContain('nests deeper');
      }
      const ok = await fetch(`${bigServer.url}/rest/v1/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"still alive"}' });
      expect(ok.status).toBe(200);
    } finally {
      await bigServer.close();
    }
  });

  it('rejects __proto__, constructor and prototype keys anywhere (400) and pollutes nothing', async () => {
    for (const body of [
      '{"text":"x","__proto__":{"polluted":true}}',
      '{"text":"x","data":{"a":{"__proto__":{"polluted":true}}}}',
      '{"text":"x","data":{"constructor":{"prototype":{"polluted":true}}}}',
      '{"text":"x","data":[{"prototype":1}]}',
    ]) {
      const res = await post('/rest/v1/echo', body);
      expect(res.status, body).toBe(400);
      expect(parsed(res).errors?.[0]?.code).toBe('forbidden_key');
    }
    const query = await get('/rest/v1/notes?priority[__proto__]=1');
    expect(query.status).toBe(400);
    const query2 = await get('/rest/v1/notes?__proto__[polluted]=1');
    expect(query2.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('passes SQL/NoSQL injection strings through as plain data', async () => {
    const payloads = ["'; DROP TABLE notes; --", '{"$gt":""}', '1 OR 1=1', '<script>alert(1)</script>', `\${jndi:ldap://x}`];
    for (const text of payloads) {
      const res = await post('/rest/v1/echo', JSON.stringify({ text, data: { $where: 'sleep(1000)', $ne: null } }));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ text, data: { $where: 'sleep(1000)', $ne: null } });
    }
    const search = await get(`/rest/v1/notes?q=${encodeURIComponent("' OR '1'='1")}`);
    expect(search.status).toBe(200);
    const operatorObject = await get('/rest/v1/notes?q[$ne]=1');
    expect(operatorObject.status).toBe(400);
  });

  it('408 when the body never finishes arriving, then the connection closes', async () => {
    const res = await rawRequest(server.port, [
      'POST /rest/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text":',
    ]);
    expect(res.status).toBe(408);
    expect(res.headers.connection).toBe('close');
  });

  it('Content-Length shorter than the body: the rest is a second, malformed request (clean 400)', async () => {
    const res = await rawRequest(server.port, [
      'POST /rest/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"text":"x"}',
    ]);
    expect(res.status).toBe(400);
    expect(res.raw).not.toContain(' 500 ');
  });

  it('Content-Length longer than the body and the client half-closes: no hang, no crash', async () => {
    const res = await rawRequest(
      server.port,
      ['POST /rest/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"text":"x"}'],
      { halfClose: true },
    ).catch((error: Error) => ({ status: 0, raw: error.message, headers: {}, body: '' }));
    expect(res.status === 0 || (res.status >= 400 && res.status < 500)).toBe(true);
    const alive = await fetch(`${server.url}/rest/v1/notes`);
    expect(alive.status).toBe(200);
  });

  it('conflicting Content-Length headers and CL+TE are refused by the HTTP parser', async () => {
    const twoLengths = await rawRequest(server.port, [
      'POST /rest/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 12\r\nContent-Length: 3\r\n\r\n{"text":"x"}',
    ]);
    expect(twoLengths.status).toBe(400);
    const smuggle = await rawRequest(server.port, [
      'POST /rest/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 12\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ]);
    expect(smuggle.status).toBe(400);
  });
});

describe('paths, queries and headers', () => {
  it('treats encoded slashes and dot-dot in ids as plain data (404 from the app)', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '%2E%2E', '..%5C..%5Cwindows', 'a%2Fb', '%00']) {
      const res = await get(`/rest/v1/notes/${id}`);
      expect(res.status, id).toBe(404);
      expect(parsed(res).detail).toBe(`No note "${decodeURIComponent(id)}".`);
    }
  });

  it('400 for literal dot segments and broken percent-encoding in the path', async () => {
    expect((await get('/rest/v1/notes/../notes')).status).toBe(400);
    expect((await get('/rest/v1/notes/%E0%A4%A')).status).toBe(400);
    expect((await get('/rest/v1/notes/%FF%FE')).status).toBe(400);
  });

  it('400 for invalid UTF-8 and bad percent-encoding in the query', async () => {
    for (const query of ['q=%FF', 'q=%E0%A4', 'q=%zz', '%FF=1', 'q=%']) {
      const res = await get(`/rest/v1/notes?${query}`);
      expect(res.status, query).toBe(400);
      expect(parsed(res).type).toBe('https://triport.dev/problems/malformed-request');
    }
  });

  it('400 for too many query parameters and malformed names', async () => {
    const many = Array.from({ length: 300 }, () => 'tag=a').join('&');
    expect((await get(`/rest/v1/notes?${many}`)).status).toBe(400);
    expect((await get('/rest/v1/notes?priority[min=1')).status).toBe(400);
    expect((await get('/rest/v1/notes?a[b][c][d][e][f][g]=1')).status).toBe(400);
  });

  it('CRLF in a header value is refused by the HTTP parser (400, nothing injected)', async () => {
    const res = await rawRequest(server.port, [
      `POST /rest/v1/notes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${member}Idempotency-Key: abcdefgh\rSet-Cookie: evil=1\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"title":"x"}`,
    ]);
    expect(res.status).toBe(400);
    expect(res.raw.toLowerCase()).not.toContain('set-cookie');
    expect(server.store.notes.size).toBe(0);
  });

  it('header values with odd bytes reach zod as data, never as response headers', async () => {
    const res = await post('/rest/v1/notes', '{"title":"x"}', `${member}Idempotency-Key: ${'k'.repeat(500)}\r\n`);
    expect(res.status).toBe(422);
    expect(parsed(res).errors?.[0]).toMatchObject({ in: 'header', parameter: 'idempotency-key', code: 'too_big' });
  });

  it('a huge URL is refused by the server, not by a crash', async () => {
    const res = await get(`/rest/v1/notes?q=${'a'.repeat(20_000)}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});
