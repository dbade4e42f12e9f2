import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sessions } from '@triport/db';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, type TestInstance } from './internal/testing/harness.ts';
import { request, soapCall, trpcMutation, trpcQuery, until } from './internal/testing/http.ts';

let db: TestDb;
let api: TestInstance;
let secure: TestInstance;

beforeAll(async () => {
  db = await createTestPostgres();
  // Memory stores (no REDIS_URL): the embedded mode. Generous limits: these tests are about auth.
  const env = { RATE_LIMIT_ANONYMOUS: '10000/1m', RATE_LIMIT_FREE: '10000/1m' };
  api = await startInstance(db, env);
  secure = await startInstance(db, { ...env, TRUST_PROXY: '1' });
});
afterAll(async () => {
  await api.close();
  await secure.close();
  await db.dispose();
});

const password = 'a long enough password';

function cookieOf(reply: { headers: Headers }): string {
  const setCookie = reply.headers.getSetCookie()[0] ?? '';
  return setCookie.split(';', 1)[0] ?? '';
}

async function register(base: string): Promise<{ email: string; cookie: string; userId: string }> {
  const email = `shopper-${randomUUID()}@example.test`;
  const r = await trpcMutation(base, 'auth.register', { email, password });
  expect(r.status).toBe(200);
  const { user } = r.json<{ result: { data: { user: { id: string } } } }>().result.data;
  return { email, cookie: cookieOf(r), userId: user.id };
}

type Me = { kind: string; user: { id: string } | null; apiKeyId: string | null };
const meOf = (r: { json<T>(): T }) => r.json<{ result: { data: Me } }>().result.data;

describe('sessions over HTTP', () => {
  it('sets an HttpOnly SameSite=Lax cookie, Secure with a __Host- name behind a trusted TLS proxy', async () => {
    const plain = await trpcMutation(api.url, 'auth.register', { email: `p-${randomUUID()}@example.test`, password });
    expect(plain.headers.getSetCookie()[0]).toMatch(/^tp_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    const tls = await trpcMutation(secure.url, 'auth.register', { email: `s-${randomUUID()}@example.test`, password }, { 'x-forwarded-proto': 'https' });
    expect(tls.headers.getSetCookie()[0]).toMatch(/^__Host-tp_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/);
    // X-Forwarded-Proto is ignored unless TRUST_PROXY is set.
    const spoofed = await trpcMutation(api.url, 'auth.register', { email: `x-${randomUUID()}@example.test`, password }, { 'x-forwarded-proto': 'https' });
    expect(spoofed.headers.getSetCookie()[0]).toMatch(/^tp_session=/);
  });

  it('logs in, rotates on login, logs out, and treats an expired session as anonymous', async () => {
    const { email, cookie: first, userId } = await register(api.url);
    expect(meOf(await request(trpcQuery(api.url, 'auth.me'), { headers: { cookie: first } }))).toMatchObject({ kind: 'user', user: { id: userId } });
    // REST sees the same session.
    const restMe = await request(`${api.url}/rest/v1/auth/me`, { headers: { cookie: first } });
    expect(restMe.json()).toMatchObject({ kind: 'user' });

    const wrong = await request(`${api.url}/rest/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'not the password' }),
    });
    expect(wrong.status).toBe(401);

    const login = await request(`${api.url}/rest/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: first },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    const second = cookieOf(login);
    expect(second).not.toBe(first);
    expect(meOf(await request(trpcQuery(api.url, 'auth.me'), { headers: { cookie: first } })).kind).toBe('anonymous');
    expect(meOf(await request(trpcQuery(api.url, 'auth.me'), { headers: { cookie: second } })).kind).toBe('user');

    const logout = await trpcMutation(api.url, 'auth.logout', {}, { cookie: second });
    expect(logout.headers.getSetCookie()[0]).toMatch(/^tp_session=; Path=\/; Max-Age=0/);
    expect(meOf(await request(trpcQuery(api.url, 'auth.me'), { headers: { cookie: second } })).kind).toBe('anonymous');

    const third = cookieOf(await trpcMutation(api.url, 'auth.login', { email, password }));
    // Sliding renewal on a public, cacheable read: the renewed cookie makes the response private.
    await db.db.update(sessions).set({ expiresAt: new Date(Date.now() + 60_000) });
    const renewed = await request(`${api.url}/rest/v1/auth/me`, { headers: { cookie: third } });
    expect(renewed.headers.getSetCookie()[0]).toMatch(new RegExp(`^${third}; Path=/; Max-Age=\\d+; HttpOnly; SameSite=Lax$`));
    expect(renewed.headers.get('cache-control')).toBe('private, no-store');
    await db.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) });
    expect(meOf(await request(trpcQuery(api.url, 'auth.me'), { headers: { cookie: third } })).kind).toBe('anonymous');
  });
});

describe('API keys over HTTP', () => {
  it('creates a key once, authenticates with it in all three styles, and 401s unknown, revoked and malformed keys', async () => {
    const { cookie, userId } = await register(api.url);
    const created = await request(`${api.url}/rest/v1/account/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ name: 'integration' }),
    });
    expect(created.status).toBe(201);
    const { key, id } = created.json<{ key: string; id: string }>();
    expect(key).toMatch(/^tp_free_[a-z0-9]{12}_[0-9a-f]{64}$/);

    const bearer = { authorization: `Bearer ${key}` };
    expect(meOf(await request(trpcQuery(api.url, 'auth.me'), { headers: bearer }))).toMatchObject({ kind: 'apiKey', apiKeyId: id, user: { id: userId } });
    expect((await request(`${api.url}/rest/v1/auth/me`, { headers: bearer })).json()).toMatchObject({ kind: 'apiKey', apiKeyId: id });
    const soap = await soapCall(api.url, '<t:Me/>', `<t:ApiKey>${key}</t:ApiKey>`);
    expect(soap.status).toBe(200);
    expect(soap.body).toContain(id);
    // A bad Authorization header is not ignored because the envelope carries a good key.
    const both = await soapCall(api.url, '<t:Me/>', `<t:ApiKey>${key}</t:ApiKey>`, { authorization: 'Bearer tp_free_bogus' });
    expect(both.body).toContain('<tns:code>UNAUTHORIZED</tns:code>');

    const listed = await request(`${api.url}/rest/v1/account/api-keys`, { headers: { cookie } });
    expect(listed.body).not.toContain(key.slice(-64));
    expect(listed.json<{ items: Array<{ maskedKey: string }> }>().items[0]?.maskedKey).toBe(`${key.slice(0, 20)}_…`);

    const revoked = await request(`${api.url}/rest/v1/account/api-keys/${id}`, { method: 'DELETE', headers: { cookie } });
    expect(revoked.status).toBe(204);

    const rejected = [key, `${key.slice(0, -1)}0`, `tp_free_zzzzzzzzzzzz_${key.slice(-64)}`, 'not-a-key', ''];
    for (const presented of rejected) {
      const auth = { authorization: `Bearer ${presented}` };
      const t = await request(trpcQuery(api.url, 'auth.me'), { headers: auth });
      expect(t.status).toBe(401);
      expect(t.json<{ error: { data: { requestId: string } } }>().error.data.requestId).toBe(t.headers.get('x-request-id'));
      const r = await request(`${api.url}/rest/v1/auth/me`, { headers: auth });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toContain('Bearer');
      // Whatever the route: a public read with a bad key is refused too.
      expect((await request(trpcQuery(api.url, 'catalog.product', { id: 1 }), { headers: auth })).status).toBe(401);
    }
    const soapRevoked = await soapCall(api.url, '<t:Me/>', `<t:ApiKey>${key}</t:ApiKey>`);
    // SOAP 1.1 sends every fault with HTTP 500; the fault says who is at fault and why.
    expect(soapRevoked.status).toBe(500);
    expect(soapRevoked.body).toContain('<faultcode>soap:Client</faultcode>');
    expect(soapRevoked.body).toContain('<tns:code>UNAUTHORIZED</tns:code>');
    expect(soapRevoked.body).toContain(`<tns:requestId>${soapRevoked.headers.get('x-request-id')}</tns:requestId>`);
    expect((await request(trpcQuery(api.url, 'auth.me'), { headers: { authorization: `Basic ${key}` } })).status).toBe(401);
  });

  it('logs one line per request with its id, and never a secret', async () => {
    const { email, cookie } = await register(api.url);
    const created = await request(`${api.url}/rest/v1/account/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ name: 'logs' }),
    });
    const { key } = created.json<{ key: string }>();
    const r = await request(trpcQuery(api.url, 'auth.me'), { headers: { authorization: `Bearer ${key}`, 'x-request-id': 'trace-0123456789' } });
    expect(r.headers.get('x-request-id')).toBe('trace-0123456789');
    const line = api.logs.find((l) => l.requestId === 'trace-0123456789');
    expect(line).toMatchObject({ style: 'trpc', procedure: 'auth.me', status: 200, outcome: 'ok' });
    expect(String(line?.principal)).toMatch(/^apiKey:/);
    expect(typeof line?.ms).toBe('number');
    // An insane id is replaced.
    const replaced = await request(trpcQuery(api.url, 'auth.me'), { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const raw = api.rawLogs();
    expect(raw).not.toContain(password);
    expect(raw).not.toContain(key.slice(-64));
    expect(raw).not.toContain(cookie.split('=')[1]);
    expect(raw).not.toContain(email); // principals are logged by id
    for (const l of api.logs.filter((x) => x.status !== undefined)) expect(l.requestId).toEqual(expect.any(String));
  });
});

describe('abandoned requests', () => {
  it('still get one log line (status 499) when the client leaves before the response', async () => {
    const controller = new AbortController();
    const id = `abandon-${randomUUID()}`;
    // Login runs scrypt: long enough to walk away from.
    const pending = fetch(`${api.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': id },
      body: JSON.stringify({ email: 'nobody@example.test', password }),
      signal: controller.signal,
    }).catch(() => 'aborted');
    // Abort once the server holds the connection (the request is then in the procedure's scrypt).
    await until(
      () => new Promise<boolean>((resolve) => api.server.getConnections((_e, n) => resolve(n > 0))),
      400,
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(await pending).toBe('aborted');
    await until(async () => api.logs.some((l) => l.requestId === id));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the login finishing later must not log again
    const lines = api.logs.filter((l) => l.requestId === id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 499, outcome: 'CLIENT_CLOSED' });
  });
});

describe('WS-Security over SOAP', () => {
  const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
  const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
  const TOKEN_PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';
  const security = (username: string, passwordXml: string, extra = '') =>
    `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><wsse:UsernameToken><wsse:Username>${username}</wsse:Username>${passwordXml}${extra}</wsse:UsernameToken></wsse:Security>`;

  it('accepts PasswordText with the account password and PasswordDigest keyed by an API key, once per nonce', async () => {
    const { email, cookie, userId } = await register(api.url);
    const text = await soapCall(api.url, '<t:Me/>', security(email, `<wsse:Password Type="${TOKEN_PROFILE}#PasswordText">${password}</wsse:Password>`));
    expect(text.status).toBe(200);
    expect(text.body).toContain(userId);
    const wrong = await soapCall(api.url, '<t:Me/>', security(email, `<wsse:Password Type="${TOKEN_PROFILE}#PasswordText">nope nope nope</wsse:Password>`));
    expect(wrong.body).toContain('<tns:code>UNAUTHORIZED</tns:code>');

    const created = await request(`${api.url}/rest/v1/account/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ name: 'wss' }),
    });
    const { key, id } = created.json<{ key: string; id: string }>();
    const nonce = randomBytes(16);
    const createdAt = new Date().toISOString();
    const digest = createHash('sha1').update(nonce).update(createdAt).update(key).digest('base64');
    const header = security(
      key.slice(0, key.lastIndexOf('_')),
      `<wsse:Password Type="${TOKEN_PROFILE}#PasswordDigest">${digest}</wsse:Password>`,
      `<wsse:Nonce>${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${createdAt}</wsu:Created>`,
    );
    const first = await soapCall(api.url, '<t:Me/>', header);
    expect(first.status).toBe(200);
    expect(first.body).toContain(id);
    const replay = await soapCall(api.url, '<t:Me/>', header);
    expect(replay.body).toContain('<tns:code>UNAUTHORIZED</tns:code>');
    expect(replay.body).toContain('nonce');
  });
});
