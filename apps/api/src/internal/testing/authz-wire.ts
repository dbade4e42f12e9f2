import { createHash, randomBytes } from 'node:crypto';
import { appRouter, hashPassword, type ProcedureMeta } from '@triport/core';
import { type Actor, actorCredentials, type AuthzWorld } from '@triport/core/testing';
import { users } from '@triport/db';
import { inArray } from 'drizzle-orm';

/**
 * Wire clients for the authorization matrix: each sends one procedure call the way a real client of
 * its style does (tRPC httpBatchLink format, REST routes from `meta.rest`, SOAP 1.1/1.2 envelopes) with
 * real credentials (session cookies from a login, issued API keys, WS-Security UsernameTokens), and
 * reduces the response to a `WireOutcome` the test compares with the table.
 */

export const SOAP_NAMESPACE = 'urn:triport:soap:v1';

/** One response, reduced to what the authorization table decides. */
export interface WireOutcome {
  status: number;
  /** `ok`, or the style's own error code: tRPC `error.data.code`, REST problem type slug, SOAP `ErrorDetail/code`. */
  code: string;
  /** REST: the `WWW-Authenticate` scheme (on 401); SOAP: the fault code's local name (Client, Sender…); else ''. */
  marker: string;
  /** The error body carries the response's `X-Request-Id` (true for successes). */
  requestIdInBody: boolean;
}

/** What each actor presents. Sessions were logged in per style (cookies are style-independent, logins are not). */
export interface ActorSecrets {
  /** The user's email and password (session actors; SOAP sends them as a UsernameToken). */
  email?: string;
  password?: string;
  /** Session cookie (`name=value`) from a tRPC `auth.login`. */
  trpcCookie?: string;
  /** Session cookie from `POST /rest/v1/auth/login`. */
  restCookie?: string;
  /** An API key issued by `POST /rest/v1/account/api-keys` (revoked for `revokedKey`). */
  apiKey?: string;
}

export type Credentials = Record<Actor, ActorSecrets>;

export type StyleClient = (procedure: string, input: unknown, actor: Actor) => Promise<WireOutcome>;

type ProcedureDef = { _def: { type: 'query' | 'mutation' | 'subscription'; meta?: ProcedureMeta } };
const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;

function procedureDef(path: string): ProcedureDef['_def'] {
  const def = procedures[path]?._def;
  if (!def) throw new Error(`no procedure ${path}`);
  return def;
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

function sessionCookieOf(res: Response): string {
  const cookie = res.headers.getSetCookie()[0]?.split(';', 1)[0];
  if (!cookie) throw new Error(`login answered ${res.status} without a cookie`);
  return cookie;
}

/**
 * Gives the world's three users a password, logs each in over tRPC and over REST, and issues the API
 * keys of the table through the API itself: shopper A's key (free plan, as A), shopper B's key
 * (premium, as B), and a second key of A that is then revoked.
 *
 * @example
 * const creds = await issueCredentials(instance.url, world);
 * await trpcClient(instance.url, creds)('orders.list', {}, 'apiKeyFree');
 */
export async function issueCredentials(base: string, world: AuthzWorld): Promise<Credentials> {
  const password = `matrix-${randomBytes(12).toString('hex')}`;
  const ids = Object.values(world.users).map((u) => u.id);
  // Fixture users are inserted with an unusable hash; a real one lets them log in like anyone else.
  await world.db.update(users).set({ passwordHash: await hashPassword(password) }).where(inArray(users.id, ids));

  const creds = {} as Credentials;
  for (const actor of Object.keys(actorCredentials) as Actor[]) {
    const spec = actorCredentials[actor];
    creds[actor] = spec.user ? { email: world.users[spec.user].email } : {};
  }
  const sessionOf: Partial<Record<'shopperA' | 'shopperB' | 'admin', string>> = {};
  for (const who of ['shopperA', 'shopperB', 'admin'] as const) {
    const email = world.users[who].email;
    const viaTrpc = await postJson(`${base}/trpc/auth.login?batch=1`, { 0: { email, password } });
    if (viaTrpc.status !== 200) throw new Error(`tRPC login of ${who}: ${viaTrpc.status} ${await viaTrpc.text()}`);
    const viaRest = await postJson(`${base}/rest/v1/auth/login`, { email, password });
    if (viaRest.status !== 200) throw new Error(`REST login of ${who}: ${viaRest.status} ${await viaRest.text()}`);
    creds[who].password = password;
    creds[who].trpcCookie = sessionCookieOf(viaTrpc);
    creds[who].restCookie = sessionCookieOf(viaRest);
    sessionOf[who] = creds[who].restCookie;
  }

  for (const actor of ['apiKeyFree', 'apiKeyPremium', 'revokedKey'] as const) {
    const spec = actorCredentials[actor];
    if (!spec.user) throw new Error(`${actor} has no owner`);
    const cookie = sessionOf[spec.user] ?? '';
    const created = await postJson(`${base}/rest/v1/account/api-keys`, { name: `matrix ${actor}` }, { cookie });
    if (created.status !== 201) throw new Error(`issuing ${actor}: ${created.status} ${await created.text()}`);
    const { id, key, plan } = (await created.json()) as { id: string; key: string; plan: string };
    // Keys inherit their owner's plan; the live ones must be what the table says they are.
    if (!spec.revoked && plan !== spec.plan) throw new Error(`${actor} was issued on plan ${plan}, the table says ${spec.plan}`);
    if (spec.revoked) {
      const revoked = await fetch(`${base}/rest/v1/account/api-keys/${id}`, { method: 'DELETE', headers: { cookie } });
      if (revoked.status !== 204) throw new Error(`revoking ${actor}: ${revoked.status} ${await revoked.text()}`);
    }
    creds[actor].apiKey = key;
  }
  return creds;
}

/** Cookie or Bearer key, as browsers and REST/tRPC API clients send them. */
function httpAuth(secrets: ActorSecrets, style: 'trpc' | 'rest'): Record<string, string> {
  const cookie = style === 'trpc' ? secrets.trpcCookie : secrets.restCookie;
  if (cookie) return { cookie };
  if (secrets.apiKey) return { authorization: `Bearer ${secrets.apiKey}` };
  return {};
}

/**
 * tRPC in `httpBatchLink`'s wire format (a batch of one): queries as `GET /trpc/<path>?batch=1&input=`,
 * mutations as `POST` with `{"0": input}`.
 */
export function trpcClient(base: string, creds: Credentials): StyleClient {
  return async (procedure, input, actor) => {
    const headers = httpAuth(creds[actor], 'trpc');
    const batch = JSON.stringify({ 0: input });
    const res =
      procedureDef(procedure).type === 'query'
        ? await fetch(`${base}/trpc/${procedure}?batch=1&input=${encodeURIComponent(batch)}`, { headers })
        : await fetch(`${base}/trpc/${procedure}?batch=1`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: batch });
    const text = await res.text();
    const [item] = JSON.parse(text) as Array<{ result?: unknown; error?: { data?: { code?: string; requestId?: string } } }>;
    const requestId = res.headers.get('x-request-id');
    if (item?.result !== undefined && !item.error) return { status: res.status, code: 'ok', marker: '', requestIdInBody: true };
    return {
      status: res.status,
      code: item?.error?.data?.code ?? `unreadable: ${text.slice(0, 200)}`,
      marker: '',
      requestIdInBody: requestId !== null && item?.error?.data?.requestId === requestId,
    };
  };
}

/** REST as its OpenAPI document describes it: path parameters, query string for GET/DELETE, JSON bodies otherwise. */
export function restClient(base: string, creds: Credentials): StyleClient {
  return async (procedure, input, actor) => {
    const route = procedureDef(procedure).meta?.rest;
    if (!route) throw new Error(`${procedure} has no REST route`);
    const fields = { ...(input as Record<string, unknown>) };
    let path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = fields[name];
      delete fields[name];
      return encodeURIComponent(String(value));
    });
    const init: RequestInit & { headers: Record<string, string> } = { method: route.method, headers: httpAuth(creds[actor], 'rest') };
    if (route.method === 'GET' || route.method === 'DELETE') {
      const query = new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();
      if (query) path += `?${query}`;
    } else {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(fields);
    }
    const res = await fetch(`${base}/rest/v1${path}`, init);
    const text = await res.text();
    if (res.status < 300) return { status: res.status, code: 'ok', marker: '', requestIdInBody: true };
    const contentType = res.headers.get('content-type') ?? '';
    const problem = contentType.startsWith('application/problem+json') ? (JSON.parse(text) as { type?: string; requestId?: string }) : undefined;
    return {
      status: res.status,
      code: problem?.type?.split('/').pop() ?? `not a problem: ${contentType} ${text.slice(0, 200)}`,
      marker: res.headers.get('www-authenticate')?.split(' ', 1)[0] ?? '',
      requestIdInBody: problem?.requestId !== undefined && problem.requestId === res.headers.get('x-request-id'),
    };
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Document/literal wrapped: every field an element in the target namespace, arrays as repeated elements. */
function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => toXml(name, item)).join('');
  if (value !== null && typeof value === 'object') {
    return `<tns:${name}>${Object.entries(value).map(([k, v]) => toXml(k, v)).join('')}</tns:${name}>`;
  }
  return `<tns:${name}>${escapeXml(String(value))}</tns:${name}>`;
}

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const TOKEN_PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';

function usernameToken(inner: string): string {
  return `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}" soap:mustUnderstand="1"><wsse:UsernameToken>${inner}</wsse:UsernameToken></wsse:Security>`;
}

/**
 * SOAP header credentials. Users: UsernameToken PasswordText (email + password, the legacy client's
 * way). API keys: `<tns:ApiKey>` or UsernameToken PasswordDigest over the key (Username = its public
 * part `tp_<plan>_<prefix>`, fresh Nonce and Created).
 */
function soapHeader(secrets: ActorSecrets, keyAs: 'apiKeyHeader' | 'passwordDigest'): string {
  if (secrets.apiKey) {
    if (keyAs === 'apiKeyHeader') return `<tns:ApiKey>${escapeXml(secrets.apiKey)}</tns:ApiKey>`;
    const nonce = randomBytes(16);
    const created = new Date().toISOString();
    const digest = createHash('sha1').update(nonce).update(created).update(secrets.apiKey).digest('base64');
    const username = secrets.apiKey.split('_').slice(0, 3).join('_');
    return usernameToken(
      `<wsse:Username>${username}</wsse:Username><wsse:Password Type="${TOKEN_PROFILE}#PasswordDigest">${digest}</wsse:Password>` +
        `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</wsse:Nonce>` +
        `<wsu:Created>${created}</wsu:Created>`,
    );
  }
  if (secrets.email && secrets.password) {
    return usernameToken(
      `<wsse:Username>${escapeXml(secrets.email)}</wsse:Username><wsse:Password Type="${TOKEN_PROFILE}#PasswordText">${escapeXml(secrets.password)}</wsse:Password>`,
    );
  }
  return '';
}

export interface SoapClientOptions {
  version: '1.1' | '1.2';
  /** How API-key actors authenticate. */
  keyAs: 'apiKeyHeader' | 'passwordDigest';
}

/** SOAP 1.1 (`text/xml` + SOAPAction) or 1.2 (`application/soap+xml; action=`), operation from `meta.soap`. */
export function soapClient(base: string, creds: Credentials, options: SoapClientOptions): StyleClient {
  const envNs = options.version === '1.1' ? 'http://schemas.xmlsoap.org/soap/envelope/' : 'http://www.w3.org/2003/05/soap-envelope';
  return async (procedure, input, actor) => {
    const operation = procedureDef(procedure).meta?.soap?.operation;
    if (!operation) throw new Error(`${procedure} has no SOAP operation`);
    const body = Object.entries(input as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join('');
    const envelope =
      `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${envNs}" xmlns:tns="${SOAP_NAMESPACE}">` +
      `<soap:Header>${soapHeader(creds[actor], options.keyAs)}</soap:Header>` +
      `<soap:Body><tns:${operation}>${body}</tns:${operation}></soap:Body></soap:Envelope>`;
    const action = `${SOAP_NAMESPACE}#${operation}`;
    const headers: Record<string, string> =
      options.version === '1.1'
        ? { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` }
        : { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` };
    const res = await fetch(`${base}/soap`, { method: 'POST', headers, body: envelope });
    const text = await res.text();
    if (res.status === 200 && new RegExp(`<(\\w+:)?${operation}Response[\\s>]`).test(text) && !/Fault>/.test(text)) {
      return { status: 200, code: 'ok', marker: '', requestIdInBody: true };
    }
    const faultCode =
      options.version === '1.1'
        ? /<faultcode>([^<]*)<\/faultcode>/.exec(text)?.[1]
        : /<(?:\w+:)?Code>\s*<(?:\w+:)?Value>([^<]*)<\/(?:\w+:)?Value>/.exec(text)?.[1];
    const requestId = res.headers.get('x-request-id') ?? '';
    return {
      status: res.status,
      code: /<(?:\w+:)?code>([^<]*)<\/(?:\w+:)?code>/.exec(text)?.[1] ?? `no ErrorDetail: ${text.slice(0, 300)}`,
      marker: faultCode?.split(':').pop() ?? '',
      requestIdInBody: requestId !== '' && text.includes(`requestId>${requestId}</`),
    };
  };
}
