import { createHash, randomBytes } from 'node:crypto';
import type { AppErrorCode } from '@triport/core';
import { demoCredentials } from '@triport/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChaosDatabase, createChaosDatabase } from './support/database.ts';
import { recordFigure } from './support/figures.ts';
import { type ApiProcess, killAllApis, startApi } from './support/processes.ts';
import { rawHttp, rawStatus } from './support/raw-http.ts';
import {
  type Auth,
  buildRequest,
  type Call,
  login,
  okJson,
  procedureInfo,
  type Reply,
  type Style,
  send,
  sendRaw,
  soapContentType,
  soapEnvelope,
  styles,
  tally,
  toSoapElements,
} from './support/styles.ts';

/**
 * One table of hostile cases, each sent as a tRPC request, a REST request and a SOAP 1.1 and 1.2
 * envelope built from the same case. Every reply must be the expected typed error of its style
 * (or OK for legitimate requests) and nothing else: no 500, no stack, no SQL, no paths. Afterwards
 * the database must hold exactly what the legitimate requests did.
 */
let database: ChaosDatabase;
let api: ApiProcess;

interface World {
  shopper: Auth;
  shopperFreeKey: Auth;
  developerId: string;
  victimOrderId: string;
  loggedOut: Auth;
  digest: { username: string; key: string; usedNonce: Partial<Record<Style, { nonce: string; created: string; digest: string }>> };
  product: Record<string, unknown>;
  legitProductId: number;
}
let w: World;

beforeAll(async () => {
  database = await createChaosDatabase();
  api = await startApi('hostile', {
    DATABASE_URL: database.url,
    RATE_LIMIT_ANONYMOUS: '1000000/1h',
    RATE_LIMIT_FREE: '1000000/1h',
    RATE_LIMIT_PREMIUM: '1000000/1h',
  });
  const shopper = { cookie: await login(api.url, demoCredentials.shopper.email, demoCredentials.shopper.password) };
  const developer = { cookie: await login(api.url, demoCredentials.developer.email, demoCredentials.developer.password) };
  const loggedOutCookie = await login(api.url, demoCredentials.shopper.email, demoCredentials.shopper.password);
  expect((await send(api.url, 'trpc', { procedure: 'auth.logout', input: {}, auth: { cookie: loggedOutCookie } })).outcome).toBe('OK');
  const victim = okJson<{ id: string; userId: string }>(
    await send(api.url, 'trpc', { procedure: 'orders.create', input: { lines: [{ productId: 77, quantity: 1 }] }, auth: developer }),
  );
  const issued = okJson<{ key: string }>(await send(api.url, 'trpc', { procedure: 'account.apiKeys.create', input: { name: 'chaos digest' }, auth: developer }));
  const product = okJson<Record<string, unknown>>(await send(api.url, 'trpc', { procedure: 'catalog.product', input: { id: 60 } }));
  // The legitimate orders below must not run out of stock (seeded stock can be 0).
  await database.sql`UPDATE products SET stock = 100 WHERE id = 50`;
  w = {
    shopper,
    shopperFreeKey: { bearer: demoCredentials.freeApiKey },
    developerId: victim.userId,
    victimOrderId: victim.id,
    loggedOut: { cookie: loggedOutCookie },
    digest: { username: issued.key.split('_').slice(0, 3).join('_'), key: issued.key, usedNonce: {} },
    product,
    legitProductId: 50,
  };
  // A legitimate PasswordDigest call per SOAP version; its nonce is replayed by a case below.
  for (const style of ['soap11', 'soap12'] as const) {
    const token = digestToken(w.digest.key);
    const reply = await send(api.url, style, { procedure: 'orders.list', input: { limit: 1 }, auth: { usernameToken: { username: w.digest.username, password: token.digest, digest: token } } });
    expect(reply.outcome, reply.body.slice(0, 300)).toBe('OK');
    w.digest.usedNonce[style] = token;
  }
});
afterAll(async () => {
  await killAllApis();
  await database?.dispose();
});

function digestToken(key: string, created = new Date().toISOString()) {
  const nonceBytes = randomBytes(16);
  const digest = createHash('sha1').update(nonceBytes).update(created).update(key).digest('base64');
  return { nonce: nonceBytes.toString('base64'), created, digest };
}

/** Hand-made bodies for POST procedures: raw JSON (tRPC, REST) or raw XML inside the operation (SOAP). */
function wire(style: Style, procedure: string, body: { json: string | Buffer; xml: string | Buffer }, auth?: Auth): { url: string; init: RequestInit } {
  const info = procedureInfo(procedure);
  const template = buildRequest(api.url, style, { procedure, input: {}, auth });
  const headers = template.init.headers as Record<string, string>;
  if (style === 'soap11' || style === 'soap12') {
    const version = style === 'soap11' ? '1.1' : '1.2';
    const [head, tail] = soapEnvelope(version, info.soap.operation, '\u0000').split('\u0000') as [string, string];
    const xml = Buffer.concat([Buffer.from(head), Buffer.from(body.xml), Buffer.from(tail)]);
    return { url: template.url, init: { method: 'POST', headers: { ...headers, ...soapContentType(version, info.soap.operation) }, body: new Uint8Array(xml) } };
  }
  const json = typeof body.json === 'string' ? body.json : new Uint8Array(body.json);
  return { url: template.url, init: { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: json } };
}

type Expected = AppErrorCode | 'OK';
interface HostileCase {
  name: string;
  expect: Expected | Expected[];
  call?: (style: Style) => Call | undefined;
  raw?: (style: Style) => { url: string; init: RequestInit } | undefined;
}

const sqlInjections = [
  "' OR '1'='1' --",
  "'; DROP TABLE orders; --",
  "1; SELECT pg_sleep(10)--",
  "%' UNION SELECT password_hash, email FROM users --",
];
const line = { productId: 1, quantity: 1 };

function cases(): HostileCase[] {
  const list: HostileCase[] = [];
  const productUpdate = (name: string) => ({
    id: 60,
    version: w.product.version,
    sku: w.product.sku,
    name,
    description: w.product.description,
    brand: w.product.brand,
    categoryId: (w.product.category as { id: number }).id,
    priceCents: 1,
    currency: w.product.currency,
    tags: w.product.tags,
  });
  for (const [i, p] of sqlInjections.entries()) {
    list.push(
      { name: `sqli ${i}: search text`, expect: 'OK', call: () => ({ procedure: 'catalog.search', input: { q: p, limit: 5 } }) },
      { name: `sqli ${i}: login email`, expect: 'VALIDATION', call: () => ({ procedure: 'auth.login', input: { email: p, password: p } }) },
      { name: `sqli ${i}: login password`, expect: 'UNAUTHENTICATED', call: () => ({ procedure: 'auth.login', input: { email: demoCredentials.shopper.email, password: p } }) },
      { name: `sqli ${i}: product by sku`, expect: 'VALIDATION', call: () => ({ procedure: 'catalog.productBySku', input: { sku: p } }) },
      { name: `sqli ${i}: orders cursor`, expect: 'VALIDATION', call: () => ({ procedure: 'orders.list', input: { cursor: p }, auth: w.shopper }) },
      {
        name: `sqli ${i}: idempotency key`,
        expect: 'VALIDATION',
        call: () => ({ procedure: 'orders.create', input: { lines: [{ productId: 1, quantity: 0 }], idempotencyKey: p }, auth: w.shopper }),
      },
      { name: `sqli ${i}: profile name (stored verbatim)`, expect: 'OK', call: () => ({ procedure: 'account.updateProfile', input: { name: p }, auth: w.shopper }) },
      { name: `sqli ${i}: admin product name as shopper`, expect: 'FORBIDDEN', call: () => ({ procedure: 'admin.products.update', input: productUpdate(p), auth: w.shopper }) },
    );
  }
  const huge = 'x'.repeat(2 * 1024 * 1024);
  const depth = 20_000;
  list.push(
    {
      name: 'oversized body (2 MiB)',
      expect: 'VALIDATION',
      raw: (s) =>
        wire(s, 'orders.create', { json: JSON.stringify({ lines: [line], idempotencyKey: huge }), xml: `${toSoapElements('lines', line)}<t:idempotencyKey>${huge}</t:idempotencyKey>` }, w.shopper),
    },
    { name: 'oversized query text (20 kB)', expect: 'VALIDATION', call: () => ({ procedure: 'catalog.search', input: { q: 'q'.repeat(20_000) } }) },
    {
      name: `deeply nested input (${depth} levels)`,
      expect: 'VALIDATION',
      raw: (s) =>
        wire(s, 'orders.create', { json: `{"lines":${'['.repeat(depth)}${']'.repeat(depth)}}`, xml: `${'<t:lines>'.repeat(depth)}${'</t:lines>'.repeat(depth)}` }, w.shopper),
    },
    {
      name: 'prototype pollution: __proto__ key',
      expect: 'VALIDATION',
      raw: (s) =>
        wire(s, 'orders.create', { json: '{"lines":[{"productId":1,"quantity":1}],"__proto__":{"role":"admin"}}', xml: `${toSoapElements('lines', line)}<t:__proto__><t:role>admin</t:role></t:__proto__>` }, w.shopper),
    },
    {
      name: 'prototype pollution: constructor.prototype in a line',
      expect: 'VALIDATION',
      raw: (s) =>
        wire(
          s,
          'orders.create',
          {
            json: '{"lines":[{"productId":1,"quantity":1,"constructor":{"prototype":{"role":"admin"}}}]}',
            xml: '<t:lines><t:productId>1</t:productId><t:quantity>1</t:quantity><t:constructor><t:prototype><t:role>admin</t:role></t:prototype></t:constructor></t:lines>',
          },
          w.shopper,
        ),
    },
    { name: 'after pollution attempts: a shopper is still not an admin', expect: 'FORBIDDEN', call: () => ({ procedure: 'admin.products.update', input: productUpdate('x'), auth: w.shopper }) },
    {
      name: 'invalid UTF-8 in text fields',
      expect: 'VALIDATION',
      raw: (s) =>
        wire(s, 'auth.login', {
          json: Buffer.concat([Buffer.from('{"email":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('@example.com","password":"p'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
          xml: Buffer.concat([Buffer.from('<t:email>a'), Buffer.from([0xc3, 0x28]), Buffer.from('@example.com</t:email><t:password>p'), Buffer.from([0xff]), Buffer.from('</t:password>')]),
        }),
    },
    { name: 'huge number: productId 1e308', expect: 'VALIDATION', call: () => ({ procedure: 'orders.create', input: { lines: [{ productId: 1e308, quantity: 1 }] }, auth: w.shopper }) },
    { name: 'huge number: productId beyond int4', expect: 'VALIDATION', call: () => ({ procedure: 'orders.create', input: { lines: [{ productId: 2 ** 31, quantity: 1 }] }, auth: w.shopper }) },
    { name: 'huge number: quantity 1e21', expect: 'VALIDATION', call: () => ({ procedure: 'orders.create', input: { lines: [{ productId: 1, quantity: 1e21 }] }, auth: w.shopper }) },
    { name: 'huge number: product id 1e20', expect: 'VALIDATION', call: () => ({ procedure: 'catalog.product', input: { id: 1e20 } }) },
    { name: 'negative quantity', expect: 'VALIDATION', call: () => ({ procedure: 'orders.create', input: { lines: [{ productId: 1, quantity: -5 }] }, auth: w.shopper }) },
    { name: 'zero quantity', expect: 'VALIDATION', call: () => ({ procedure: 'orders.create', input: { lines: [{ productId: 1, quantity: 0 }] }, auth: w.shopper }) },
    { name: 'negative product id', expect: 'VALIDATION', call: () => ({ procedure: 'catalog.product', input: { id: -1 } }) },
    {
      name: 'mass assignment: unit price in a line',
      expect: 'VALIDATION',
      call: () => ({ procedure: 'orders.create', input: { lines: [{ productId: 1, quantity: 1, unitPriceCents: 1 }] }, auth: w.shopper }),
    },
    {
      name: 'mass assignment: order total and owner',
      expect: 'VALIDATION',
      call: () => ({ procedure: 'orders.create', input: { lines: [line], totalCents: 1, userId: w.developerId }, auth: w.shopper }),
    },
    { name: 'mass assignment: role on profile', expect: 'VALIDATION', call: () => ({ procedure: 'account.updateProfile', input: { name: 'x', role: 'admin' }, auth: w.shopper }) },
    { name: 'mass assignment: plan on profile', expect: 'VALIDATION', call: () => ({ procedure: 'account.updateProfile', input: { name: 'x', plan: 'premium' }, auth: w.shopper }) },
    {
      name: 'mass assignment: stock on product create as shopper',
      expect: 'FORBIDDEN',
      call: () => ({ procedure: 'admin.products.create', input: { ...productUpdate('x'), id: undefined, version: undefined, sku: 'CHAOS-1', stock: 999999 }, auth: w.shopper }),
    },
    {
      name: 'mass assignment: role and plan at registration',
      // Either refused or accepted as a plain shopper; the ledger check below looks at the roles.
      expect: ['OK', 'VALIDATION'],
      call: (s) => ({ procedure: 'auth.register', input: { email: `mass-${s}-${randomBytes(4).toString('hex')}@example.com`, password: 'long-enough-password', role: 'admin', plan: 'premium' } }),
    },
    { name: "IDOR: another user's order (session)", expect: 'NOT_FOUND', call: () => ({ procedure: 'orders.get', input: { id: w.victimOrderId }, auth: w.shopper }) },
    { name: "IDOR: another user's order (API key)", expect: 'NOT_FOUND', call: () => ({ procedure: 'orders.get', input: { id: w.victimOrderId }, auth: w.shopperFreeKey }) },
    { name: "IDOR: cancel another user's order", expect: 'NOT_FOUND', call: () => ({ procedure: 'orders.cancel', input: { id: w.victimOrderId }, auth: w.shopper }) },
    { name: "IDOR: list another user's orders", expect: 'FORBIDDEN', call: () => ({ procedure: 'orders.list', input: { userId: w.developerId }, auth: w.shopper }) },
    { name: "IDOR: another user's profile", expect: 'FORBIDDEN', call: () => ({ procedure: 'account.profile', input: { id: w.developerId }, auth: w.shopper }) },
    {
      name: 'forged session cookie',
      expect: 'UNAUTHENTICATED',
      call: () => ({ procedure: 'orders.list', input: { limit: 1 }, auth: { cookie: `tp_session=${randomBytes(32).toString('base64url')}` } }),
    },
    { name: 'replayed cookie of a logged-out session', expect: 'UNAUTHENTICATED', call: () => ({ procedure: 'orders.list', input: { limit: 1 }, auth: w.loggedOut }) },
    {
      name: 'forged API key (known prefix, wrong secret)',
      expect: 'UNAUTHENTICATED',
      call: () => ({ procedure: 'orders.list', input: { limit: 1 }, auth: { bearer: `${demoCredentials.freeApiKey.slice(0, 21)}_${'A'.repeat(40)}` } }),
    },
    {
      name: 'WS-Security: wrong password (PasswordText)',
      expect: 'UNAUTHENTICATED',
      call: (s) => (s.startsWith('soap') ? { procedure: 'orders.list', input: { limit: 1 }, auth: { usernameToken: { username: demoCredentials.shopper.email, password: 'wrong-password' } } } : undefined),
    },
    {
      name: 'WS-Security: replayed PasswordDigest nonce',
      expect: 'UNAUTHENTICATED',
      call: (s) => {
        const used = w.digest.usedNonce[s];
        return used ? { procedure: 'orders.list', input: { limit: 1 }, auth: { usernameToken: { username: w.digest.username, password: used.digest, digest: used } } } : undefined;
      },
    },
    {
      name: 'WS-Security: PasswordDigest created an hour ago',
      expect: 'UNAUTHENTICATED',
      call: (s) => {
        if (!s.startsWith('soap')) return undefined;
        const old = digestToken(w.digest.key, new Date(Date.now() - 3_600_000).toISOString());
        return { procedure: 'orders.list', input: { limit: 1 }, auth: { usernameToken: { username: w.digest.username, password: old.digest, digest: old } } };
      },
    },
    {
      name: 'CR/LF inside a text value (no header injection)',
      expect: 'OK',
      call: () => ({ procedure: 'catalog.search', input: { q: 'lamp\r\nSet-Cookie: injected=1\r\n\r\n<html>', limit: 1 } }),
    },
    // Legitimate requests amid the hostile ones: the ledger check expects exactly these to count.
    { name: 'legitimate order', expect: 'OK', call: () => ({ procedure: 'orders.create', input: { lines: [{ productId: w.legitProductId, quantity: 1 }] }, auth: w.shopper }) },
  );
  return list;
}

/** What must never appear in a reply: stacks, driver or SQL errors, file paths. */
const leak = /\n\s+at [\w.<>]+ \(|node_modules|\/work\/|\/src\/\w+\.ts|syntax error at or near|PostgresError|DrizzleQueryError|Failed query|relation "|pg_catalog|ECONNREFUSED/;

function checkReply(name: string, reply: Reply, expected: Expected[]) {
  const context = `${name} [${reply.style}] ${reply.status} ${reply.body.slice(0, 400)}`;
  expect(expected, context).toContain(reply.outcome);
  expect(reply.body, context).not.toMatch(leak);
  if (reply.style !== 'soap11' || reply.outcome === 'OK') expect(reply.status, context).toBeLessThan(500);
  expect(reply.headers.get('set-cookie') ?? '', context).not.toContain('injected');
  if (reply.outcome !== 'OK') {
    expect(reply.body, `${context}: the error names its request id`).toContain(reply.headers.get('x-request-id') ?? 'missing');
  }
}

async function productsDigest(): Promise<{ digest: string; stock: number; orders: number; totals: number; admins: number; premium: number }> {
  const [row] = await database.sql`SELECT
      (SELECT md5(string_agg(concat_ws('|', id, sku, slug, name, description, brand, price_cents, currency, version, tags::text), ',' ORDER BY id)) FROM products) AS digest,
      (SELECT sum(stock)::int FROM products) AS stock,
      (SELECT count(*)::int FROM orders) AS orders,
      (SELECT coalesce(sum(total_cents), 0)::int FROM orders) AS totals,
      (SELECT count(*)::int FROM users WHERE role = 'admin') AS admins,
      (SELECT count(*)::int FROM users WHERE plan = 'premium') AS premium`;
  return row as unknown as { digest: string; stock: number; orders: number; totals: number; admins: number; premium: number };
}

describe('hostile input, one table through tRPC, REST and SOAP 1.1/1.2', () => {
  it('answers each case with its typed error (or OK) in every style, and the database holds only what legitimate requests did', async () => {
    const before = await productsDigest();
    const [legit] = await database.sql`SELECT price_cents FROM products WHERE id = ${w.legitProductId}`;
    const table = cases();
    const outcomes: string[] = [];
    let sent = 0;
    let legitOrders = 0;
    for (const c of table) {
      const expected = Array.isArray(c.expect) ? c.expect : [c.expect];
      for (const style of styles) {
        const call = c.call?.(style);
        const raw = c.raw?.(style);
        if (!call && !raw) continue;
        const reply = call ? await send(api.url, style, call) : await sendRaw(style, raw!.url, raw!.init);
        sent += 1;
        outcomes.push(reply.outcome);
        checkReply(c.name, reply, expected);
        if (c.name === 'legitimate order' && reply.outcome === 'OK') legitOrders += 1;
      }
    }
    expect(legitOrders).toBe(styles.length);

    // Header values with CR/LF never reach a handler: Node's parser refuses the request head.
    const crlf: number[] = [];
    for (const style of styles) {
      const { url, init } = buildRequest(api.url, style, { procedure: 'catalog.search', input: { q: 'lamp' } });
      const target = url.slice(api.url.length);
      const body = typeof init.body === 'string' ? init.body : '';
      const headers = Object.entries((init.headers as Record<string, string>) ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      for (const injected of ['X-Request-Id: abc\rSet-Cookie: injected=1', 'Idempotency-Key: abc\r\n Set-Cookie: injected=1', 'X-Request-Id: a\u0000b']) {
        const response = await rawHttp(
          api.port,
          `${init.method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}${injected}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
        crlf.push(rawStatus(response));
        expect(rawStatus(response), `${style} ${JSON.stringify(injected)}: ${response.slice(0, 200)}`).toBe(400);
        expect(response).not.toMatch(/set-cookie:\s*injected/i);
        // Refused by Node's parser, answered by the gateway: JSON naming the request id of its header.
        const requestId = /\r\nX-Request-Id: ([\w-]+)\r\n/i.exec(response)?.[1];
        expect(requestId, response.slice(0, 300)).toBeDefined();
        expect(response).toContain(`"requestId":"${requestId}"`);
      }
    }

    const after = await productsDigest();
    const [profile] = await database.sql`SELECT name FROM users WHERE email = ${demoCredentials.shopper.email}`;
    recordFigure('hostile', { cases: table.length, requests: sent + crlf.length, outcomes: tally(outcomes), rawHeaderStatuses: tally(crlf), before, after });
    // Exactly the legitimate orders: one unit of one product per style.
    expect(after.orders).toBe(before.orders + styles.length);
    expect(after.stock).toBe(before.stock - styles.length);
    expect(after.totals).toBe(before.totals + styles.length * Number(legit?.price_cents));
    // No product field changed (names, prices, versions), no one became admin or premium.
    expect(after.digest).toBe(before.digest);
    expect(after.admins).toBe(before.admins);
    expect(after.premium).toBe(before.premium);
    // Injection strings are data: stored and returned verbatim.
    expect(sqlInjections).toContain(profile?.name);
    expect(api.child.exitCode).toBeNull();
  });
});
