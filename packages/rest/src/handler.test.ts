import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import type { ProblemDetails } from './problem.ts';
import { startTestServer, type TestServer } from './internal/testing/server.ts';

let server: TestServer;
const member = { authorization: 'Bearer member-token' };
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.store.notes.clear();
  server.store.idempotency.clear();
  server.store.locked.clear();
  server.store.nextId = 1;
  server.errors.length = 0;
});

async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(server.url + path, init);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = text && type.includes('json') ? JSON.parse(text) : text;
  return { status: res.status, headers: res.headers, body, text };
}

async function problem(path: string, init: RequestInit = {}) {
  const res = await call(path, init);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.headers.get('cache-control')).toBe('no-store');
  return { ...res, problem: res.body as ProblemDetails };
}

async function create(title: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = member) {
  const res = await call('/rest/v1/notes', { method: 'POST', headers: { ...headers, ...json }, body: JSON.stringify({ title, ...extra }) });
  expect(res.status).toBe(201);
  return res.body as { id: string; title: string };
}

describe('reads', () => {
  it('lists with filters, deepObject ranges, repeated array params and a Link to the next page', async () => {
    await create('alpha', { tags: ['a'], priority: 1 });
    await create('beta', { tags: ['b'], priority: 3 });
    await create('gamma', { tags: ['a', 'b'], priority: 5 });
    await create('delta', { tags: ['c'], priority: 4 });
    const first = await call('/rest/v1/notes?limit=1&tag=a&tag=b&priority[min]=2&priority[max]=5');
    expect(first.status).toBe(200);
    const page = first.body as { items: { title: string }[]; nextCursor: string | null };
    expect(page.items.map((n) => n.title)).toEqual(['beta']);
    expect(page.nextCursor).toBe('n3');
    const link = first.headers.get('link');
    expect(link).toBe('</rest/v1/notes?limit=1&tag=a&tag=b&priority[min]=2&priority[max]=5&cursor=n3>; rel="next"');
    const nextUrl = /<([^>]+)>/.exec(link!)![1]!;
    const second = await call(nextUrl);
    expect((second.body as typeof page).items.map((n) => n.title)).toEqual(['gamma']);
    expect(second.headers.get('link')).toBeNull();
  });

  it('replaces an existing cursor in the Link instead of repeating it', async () => {
    for (const title of ['a', 'b', 'c']) await create(title);
    const res = await call('/rest/v1/notes?cursor=n1&limit=1');
    expect(res.headers.get('link')).toBe('</rest/v1/notes?limit=1&cursor=n2>; rel="next"');
  });

  it('coerces booleans and applies zod defaults', async () => {
    const note = await create('x');
    await call(`/rest/v1/notes/${note.id}`, { method: 'PATCH', headers: { ...member, ...json }, body: '{"archived":true}' });
    await create('y');
    const archived = await call('/rest/v1/notes?archived=true');
    expect((archived.body as { items: { title: string }[] }).items.map((n) => n.title)).toEqual(['x']);
    const square = await call('/rest/v1/square/-12');
    expect(square.body).toEqual({ n: -12, square: 144 });
  });

  it('gets one note with a strong ETag, public Cache-Control and 304 on If-None-Match', async () => {
    const note = await create('cached');
    const res = await call(`/rest/v1/notes/${note.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await call(`/rest/v1/notes/${note.id}`, { headers: { 'if-none-match': `"other", ${etag}` } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const weak = await call(`/rest/v1/notes/${note.id}`, { headers: { 'if-none-match': `W/${etag}` } });
    expect(weak.status).toBe(304);
    const stale = await call(`/rest/v1/notes/${note.id}`, { headers: { 'if-none-match': '"stale"' } });
    expect(stale.status).toBe(200);
    const list = await call('/rest/v1/notes');
    expect(list.headers.get('cache-control')).toBe('public, max-age=30');
  });

  it('answers HEAD like GET without a body', async () => {
    const note = await create('head');
    const get = await call(`/rest/v1/notes/${note.id}`);
    const head = await call(`/rest/v1/notes/${note.id}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
  });

  it('keeps the headers the gateway set (X-Request-Id, RateLimit-Policy)', async () => {
    const res = await call('/rest/v1/notes');
    expect(res.headers.get('x-request-id')).toMatch(/^req-\d+$/);
    expect(res.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60');
  });

  it('404s unknown notes with a problem carrying the request id', async () => {
    const { status, problem: p, headers } = await problem('/rest/v1/notes/missing');
    expect(status).toBe(404);
    expect(p).toMatchObject({ type: 'https://triport.dev/problems/not-found', title: 'Not found', status: 404, detail: 'No note "missing".', instance: '/rest/v1/notes/missing' });
    expect(p.requestId).toBe(headers.get('x-request-id'));
  });
});

describe('writes', () => {
  it('creates with 201, Location and private no-store caching', async () => {
    const res = await call('/rest/v1/notes', { method: 'POST', headers: { ...member, ...json }, body: JSON.stringify({ title: 'new', tags: ['t'] }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/rest/v1/notes/n1');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.body).toMatchObject({ id: 'n1', title: 'new', body: '', tags: ['t'], priority: 0, ownerId: 'u1' });
    const fetched = await call(res.headers.get('location')!);
    expect(fetched.body).toEqual(res.body);
  });

  it('passes Idempotency-Key into the input: a replay returns the same note', async () => {
    const headers = { ...member, ...json, 'idempotency-key': 'key-123456' };
    const a = await call('/rest/v1/notes', { method: 'POST', headers, body: '{"title":"once"}' });
    const b = await call('/rest/v1/notes', { method: 'POST', headers, body: '{"title":"once"}' });
    expect((a.body as { id: string }).id).toBe((b.body as { id: string }).id);
    expect(server.store.notes.size).toBe(1);
    const short = await problem('/rest/v1/notes', { method: 'POST', headers: { ...headers, 'idempotency-key': 'short' }, body: '{"title":"x"}' });
    expect(short.status).toBe(422);
    expect(short.problem.errors).toEqual([
      expect.objectContaining({ pointer: '/idempotencyKey', in: 'header', parameter: 'idempotency-key', code: 'too_small' }),
    ]);
  });

  it('updates with PATCH and replaces with PUT', async () => {
    const note = await create('old');
    const patched = await call(`/rest/v1/notes/${note.id}`, { method: 'PATCH', headers: { ...member, ...json }, body: '{"priority":4}' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'old', priority: 4 });
    const put = await call(`/rest/v1/notes/${note.id}`, { method: 'PUT', headers: { ...member, ...json }, body: '{"title":"new","body":"b"}' });
    expect(put.body).toMatchObject({ title: 'new', body: 'b', priority: 4 });
  });

  it('accepts a body field equal to the path parameter and rejects a different one (400)', async () => {
    const note = await create('same');
    const same = await call(`/rest/v1/notes/${note.id}`, { method: 'PATCH', headers: { ...member, ...json }, body: JSON.stringify({ id: note.id, priority: 2 }) });
    expect(same.status).toBe(200);
    const other = await problem(`/rest/v1/notes/${note.id}`, { method: 'PATCH', headers: { ...member, ...json }, body: '{"id":"n999"}' });
    expect(other.status).toBe(400);
    expect(other.problem.errors?.[0]).toMatchObject({ pointer: '/id', code: 'conflicting_sources' });
  });

  it('deletes with 204 and no body, then 404', async () => {
    const note = await create('bye');
    const res = await call(`/rest/v1/notes/${note.id}`, { method: 'DELETE', headers: member });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers.get('content-type')).toBeNull();
    expect((await problem(`/rest/v1/notes/${note.id}`, { method: 'DELETE', headers: member })).status).toBe(404);
  });

  it('reports every invalid field with a JSON pointer (422)', async () => {
    const { status, problem: p } = await problem('/rest/v1/notes', {
      method: 'POST',
      headers: { ...member, ...json },
      body: JSON.stringify({ title: '', tags: ['ok', 5], priority: 9 }),
    });
    expect(status).toBe(422);
    expect(p.type).toBe('https://triport.dev/problems/validation');
    const byPointer = Object.fromEntries((p.errors ?? []).map((e) => [e.pointer, e.code]));
    expect(byPointer).toEqual({ '/title': 'too_small', '/tags/1': 'invalid_type', '/priority': 'too_big' });
    expect(p.errors?.every((e) => e.in === undefined)).toBe(true);
  });

  it('treats an empty POST to an object input as {} so missing fields are listed', async () => {
    const { status, problem: p } = await problem('/rest/v1/notes', { method: 'POST', headers: member });
    expect(status).toBe(422);
    expect(p.errors?.[0]).toMatchObject({ pointer: '/title', code: 'invalid_type' });
  });

  it('accepts non-object (array) inputs as the whole body', async () => {
    const res = await call('/rest/v1/count', { method: 'POST', headers: json, body: '["a","b","c"]' });
    expect(res.body).toEqual({ count: 3 });
    const bad = await problem('/rest/v1/count', { method: 'POST', headers: json, body: '{"a":1}' });
    expect(bad.status).toBe(422);
  });

  it('409 for a conflict, with the application message', async () => {
    const note = await create('lock me');
    expect((await call(`/rest/v1/notes/${note.id}/lock`, { method: 'POST', headers: member })).status).toBe(200);
    const second = await problem(`/rest/v1/notes/${note.id}/lock`, { method: 'POST', headers: member });
    expect(second.status).toBe(409);
    expect(second.problem).toMatchObject({ type: 'https://triport.dev/problems/conflict', detail: 'The note is already locked.' });
  });
});

describe('remaining error paths of each route', () => {
  it('PATCH, PUT, lock and DELETE of a missing note → 404; PUT without required fields → 422', async () => {
    const patch = await problem('/rest/v1/notes/nope', { method: 'PATCH', headers: { ...member, ...json }, body: '{"title":"x"}' });
    expect(patch.status).toBe(404);
    const put = await problem('/rest/v1/notes/nope', { method: 'PUT', headers: { ...member, ...json }, body: '{"title":"x","body":""}' });
    expect(put.status).toBe(404);
    expect((await problem('/rest/v1/notes/nope/lock', { method: 'POST', headers: member })).status).toBe(404);
    const note = await create('full');
    const incomplete = await problem(`/rest/v1/notes/${note.id}`, { method: 'PUT', headers: { ...member, ...json }, body: '{"title":"x"}' });
    expect(incomplete.status).toBe(422);
    expect(incomplete.problem.errors?.map((e) => e.pointer)).toEqual(['/body']);
    const badPatch = await problem(`/rest/v1/notes/${note.id}`, { method: 'PATCH', headers: { ...member, ...json }, body: '{"archived":"yes"}' });
    expect(badPatch.problem.errors?.[0]).toMatchObject({ pointer: '/archived', code: 'invalid_type' });
  });

  it('every authenticated route → 401 without credentials', async () => {
    const note = await create('x');
    const cases: [string, string][] = [
      ['POST', '/rest/v1/notes'],
      ['PATCH', `/rest/v1/notes/${note.id}`],
      ['PUT', `/rest/v1/notes/${note.id}`],
      ['DELETE', `/rest/v1/notes/${note.id}`],
      ['POST', `/rest/v1/notes/${note.id}/lock`],
      ['DELETE', '/rest/v1/notes'],
    ];
    for (const [method, path] of cases) {
      const hasBody = method !== 'DELETE';
      const res = await problem(path, { method, ...(hasBody ? { headers: json, body: '{"title":"t","body":"b"}' } : {}) });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    expect(server.store.notes.size).toBe(1);
  });

  it('echo and count reject invalid input with 422', async () => {
    const echo = await problem('/rest/v1/echo', { method: 'POST', headers: json, body: '{"text":5}' });
    expect(echo.problem.errors?.[0]).toMatchObject({ pointer: '/text', code: 'invalid_type' });
    const count = await problem('/rest/v1/count', { method: 'POST', headers: json, body: '["a",1]' });
    expect(count.problem.errors?.[0]).toMatchObject({ pointer: '/1' });
  });

  it('square: 422 out of range, unknown parameter 400, exact=false coerced', async () => {
    expect((await problem('/rest/v1/square/5000')).problem.errors?.[0]).toMatchObject({ in: 'path', code: 'too_big' });
    expect((await problem('/rest/v1/square/5?n=4')).status).toBe(400);
    expect((await call('/rest/v1/square/3?exact=false')).body).toEqual({ n: 3, square: 9 });
    expect((await problem('/rest/v1/square/1.5')).problem.errors?.[0]).toMatchObject({ pointer: '/n', in: 'path' });
  });
});

describe('auth errors', () => {
  it('401 with WWW-Authenticate when no credentials are sent', async () => {
    const { status, headers, problem: p } = await problem('/rest/v1/notes', { method: 'POST', headers: json, body: '{"title":"x"}' });
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(p.type).toBe('https://triport.dev/problems/unauthenticated');
  });

  it('401 with error="invalid_token" for an unknown key (thrown by createContext)', async () => {
    const { status, headers } = await problem('/rest/v1/notes', { headers: { authorization: 'Bearer nope' } });
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
  });

  it('403 for the admin-only route as a member; 200 as admin', async () => {
    const denied = await problem('/rest/v1/notes', { method: 'DELETE', headers: member });
    expect(denied.status).toBe(403);
    expect(denied.problem.detail).toBe('Administrators only.');
    const note = await create('archive me');
    await call(`/rest/v1/notes/${note.id}`, { method: 'PATCH', headers: { ...member, ...json }, body: '{"archived":true}' });
    const ok = await call('/rest/v1/notes?olderThanDays=1', { method: 'DELETE', headers: { authorization: 'Bearer admin-token' } });
    expect(ok.body).toEqual({ purged: 1 });
  });

  it("403 when updating someone else's note", async () => {
    const note = await create('mine');
    const res = await problem(`/rest/v1/notes/${note.id}`, { method: 'PATCH', headers: { authorization: 'Bearer other-token', ...json }, body: '{}' });
    expect(res.status).toBe(403);
  });
});

describe('server-side errors', () => {
  it('429 keeps the Retry-After and RateLimit headers the app set', async () => {
    const { status, headers, problem: p } = await problem('/rest/v1/exports');
    expect(status).toBe(429);
    expect(headers.get('retry-after')).toBe('17');
    expect(headers.get('ratelimit')).toBe('"export";r=0;t=17');
    expect(p.detail).toBe('Export limit reached.');
  });

  it('503 adds Retry-After and hides the message', async () => {
    const { status, headers, problem: p, text } = await problem('/rest/v1/status');
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe('30');
    expect(text).not.toContain('db-primary');
    expect(p.type).toBe('https://triport.dev/problems/unavailable');
  });

  it('500 for a plain Error leaks nothing, and onError sees the real error', async () => {
    const { status, text, problem: p } = await problem('/rest/v1/crash');
    expect(status).toBe(500);
    for (const secret of ['ECONNREFUSED', '10.0.0.5', 'SELECT', 'secrets', '/srv/app', 'db.ts', 'stack']) expect(text).not.toContain(secret);
    expect(p.requestId).toMatch(/^req-\d+$/);
    const event = server.errors.find((e) => e.path === 'system.crash');
    expect(event?.status).toBe(500);
    expect(event?.error.code).toBe('INTERNAL_SERVER_ERROR');
    expect(String(event?.error.cause)).toContain('ECONNREFUSED');
  });

  it('500 when the output fails its schema (no details)', async () => {
    const { status, text } = await problem('/rest/v1/broken');
    expect(status).toBe(500);
    expect(text).not.toContain('expected boolean');
  });
});

describe('protocol', () => {
  it('405 with Allow for a known path and a wrong method', async () => {
    const { status, headers, problem: p } = await problem('/rest/v1/notes', { method: 'PUT' });
    expect(status).toBe(405);
    expect(headers.get('allow')).toBe('GET, HEAD, POST, DELETE, OPTIONS');
    expect(p.type).toBe('https://triport.dev/problems/method-not-allowed');
  });

  it('404 problem for unknown paths under the base; other paths are not handled', async () => {
    expect((await problem('/rest/v1/nothing/here')).status).toBe(404);
    expect((await problem('/rest/v1')).status).toBe(404);
    expect((await problem('/rest/v1//notes')).status).toBe(404);
    const outside = await call('/elsewhere');
    expect(outside.text).toBe('not ours');
  });

  it('ignores one trailing slash', async () => {
    expect((await call('/rest/v1/notes/')).status).toBe(200);
  });

  it('OPTIONS answers 204 with Allow', async () => {
    const res = await call('/rest/v1/notes/n1', { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
  });

  it('406 when Accept excludes JSON; wildcards and q-values are honoured', async () => {
    expect((await problem('/rest/v1/notes', { headers: { accept: 'text/html' } })).status).toBe(406);
    expect((await problem('/rest/v1/notes', { headers: { accept: 'application/json;q=0, text/*' } })).status).toBe(406);
    expect((await call('/rest/v1/notes', { headers: { accept: 'text/html, application/*;q=0.5' } })).status).toBe(200);
    expect((await call('/rest/v1/notes', { headers: { accept: '*/*' } })).status).toBe(200);
  });

  it('415 for a body that is not application/json (UTF-8)', async () => {
    for (const type of ['text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'application/jsonp']) {
      const res = await problem('/rest/v1/echo', { method: 'POST', headers: { 'content-type': type }, body: '{"text":"x"}' });
      expect(res.status, type).toBe(415);
    }
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"']) {
      expect((await call('/rest/v1/echo', { method: 'POST', headers: { 'content-type': type }, body: '{"text":"x"}' })).status, type).toBe(200);
    }
  });

  it('400 for a query string on a body method and a body on a query method', async () => {
    expect((await problem('/rest/v1/echo?text=x', { method: 'POST', headers: json, body: '{"text":"x"}' })).status).toBe(400);
    expect((await problem('/rest/v1/notes/n1', { method: 'DELETE', headers: { ...member, ...json }, body: '{}' })).status).toBe(400);
  });

  it('strict query: unknown → 400, repeated single value → 400, path field in query → 400, bad number → 422', async () => {
    const unknown = await problem('/rest/v1/notes?limit=1&sort=asc');
    expect(unknown.status).toBe(400);
    expect(unknown.problem.errors?.[0]).toMatchObject({ parameter: 'sort', in: 'query' });
    expect((await problem('/rest/v1/notes?limit=1&limit=2')).status).toBe(400);
    expect((await problem('/rest/v1/notes?priority[min]=1&priority[min]=2')).status).toBe(400);
    expect((await problem('/rest/v1/notes?priority[avg]=1')).status).toBe(400);
    expect((await problem('/rest/v1/notes?priority=1')).status).toBe(400);
    expect((await problem('/rest/v1/notes?limit[x]=1')).status).toBe(400);
    expect((await problem('/rest/v1/notes/n1?id=n2')).status).toBe(400);
    expect((await problem('/rest/v1/notes?tag[]=a')).status).toBe(400);
    const badNumber = await problem('/rest/v1/notes?limit=1e');
    expect(badNumber.status).toBe(422);
    expect(badNumber.problem.errors?.[0]).toMatchObject({ pointer: '/limit', in: 'query', parameter: 'limit' });
    const badBool = await problem('/rest/v1/notes?archived=yes');
    expect(badBool.status).toBe(422);
    const nested = await problem('/rest/v1/notes?priority[min]=high');
    expect(nested.problem.errors?.[0]).toMatchObject({ pointer: '/priority/min', parameter: 'priority[min]' });
    const range = await problem('/rest/v1/notes?limit=500');
    expect(range.problem.errors?.[0]).toMatchObject({ code: 'too_big' });
  });

  it('decodes + and percent-encoding in query values', async () => {
    await create('hello world');
    const res = await call('/rest/v1/notes?q=hello+w%6Frld');
    expect((res.body as { items: unknown[] }).items).toHaveLength(1);
  });
});

describe('cancellation', () => {
  it('with abortOnDisconnect, aborts the procedure signal when the client disconnects', async () => {
    const own = await startTestServer({ abortOnDisconnect: true });
    const started = new Promise<void>((resolve) => {
      own.store.slow.started = resolve;
    });
    const aborted = new Promise<void>((resolve) => {
      own.store.slow.aborted = resolve;
    });
    const req = request(`${own.url}/rest/v1/slow`);
    req.on('error', () => {});
    req.end();
    await started;
    req.destroy();
    await aborted;
    expect((await fetch(`${own.url}/rest/v1/notes`)).status).toBe(200);
    await own.close();
  });
});

describe('CORS', () => {
  it('adds headers only for configured origins', async () => {
    const allowed = await call('/rest/v1/notes', { headers: { origin: 'https://app.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(allowed.headers.get('vary')).toContain('Origin');
    const other = await call('/rest/v1/notes', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('vary')).toContain('Origin');
  });

  it('answers preflight with the allowed methods and only known request headers', async () => {
    const res = await call('/rest/v1/notes', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, idempotency-key, x-evil',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, DELETE, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, idempotency-key');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    const evil = await call('/rest/v1/notes', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-methods')).toBeNull();
  });
});

describe('OpenAPI and docs endpoints', () => {
  it('serves the document with an ETag and 304', async () => {
    const res = await call('/rest/openapi.json');
    expect(res.status).toBe(200);
    expect((res.body as { openapi: string }).openapi).toBe('3.1.0');
    const again = await call('/rest/openapi.json', { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await call('/rest/openapi.json', { method: 'POST' })).status).toBe(405);
  });

  it('serves the docs page with a strict CSP and versioned, immutable assets from swagger-ui-dist', async () => {
    const page = await call('/rest/docs');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(page.text).not.toMatch(/<script>[^<]/);
    const scripts = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toContain('/rest/docs/init.js');
    for (const src of scripts) {
      const asset = await call(src);
      expect(asset.status, src).toBe(200);
      if (src.includes('/5.')) expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    const init = await call('/rest/docs/init.js');
    expect(init.text).toContain('"/rest/openapi.json"');
    const bundle = await fetch(`${server.url}${scripts.find((s) => s.endsWith('swagger-ui-bundle.js'))}`);
    expect(Number(bundle.headers.get('content-length'))).toBeGreaterThan(100_000);
    await bundle.arrayBuffer();
  });

  it('never serves files outside the fixed asset list (no traversal)', async () => {
    const version = /\/rest\/docs\/([^/]+)\/swagger-ui\.css/.exec((await call('/rest/docs')).text)![1];
    for (const path of [
      `/rest/docs/${version}/package.json`,
      `/rest/docs/${version}/..%2Fpackage.json`,
      `/rest/docs/${version}/../../../../etc/passwd`,
      `/rest/docs/${version}/%2e%2e/%2e%2e/etc/passwd`,
      `/rest/docs/${version}/swagger-ui.js.map`,
      `/rest/docs/${version}/index.html`,
      '/rest/docs/swagger-ui.css',
      '/rest/docs/..%2F..%2Fpackage.json',
    ]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('"name"');
    }
  });
});
