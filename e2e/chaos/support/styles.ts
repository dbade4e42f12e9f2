import { type AppErrorCode, appRouter } from '@triport/core';

/** The three API styles (SOAP in both versions). */
export type Style = 'trpc' | 'rest' | 'soap11' | 'soap12';
export const styles: readonly Style[] = ['trpc', 'rest', 'soap11', 'soap12'];

/** How a call authenticates. SOAP sends the API key as `<ApiKey>` and the WS-Security token as a header block. */
export type Auth =
  | { cookie: string }
  | { bearer: string }
  | { usernameToken: { username: string; password: string; digest?: { nonce: string; created: string } } };

export interface Call {
  /** tRPC path, e.g. `orders.create`; REST route and SOAP operation come from its meta. */
  procedure: string;
  input?: unknown;
  auth?: Auth;
  /** Extra HTTP headers (all styles). */
  headers?: Record<string, string>;
}

/** A reply classified into the one error vocabulary (or OK). */
export interface Reply {
  style: Style;
  status: number;
  headers: Headers;
  body: string;
  outcome: AppErrorCode | 'OK' | 'UNRECOGNISED';
}

export const soapNamespace = 'urn:triport:soap:v1';
const env11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const env12 = 'http://www.w3.org/2003/05/soap-envelope';
const wsse = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const wsu = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const tokenProfile = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';

interface ProcedureInfo {
  type: 'query' | 'mutation';
  rest: { method: string; path: string; headers?: Record<string, string> };
  soap: { operation: string };
}

/** The procedure's type and its REST / SOAP meta, read from the router (the adapters' own source). */
export function procedureInfo(path: string): ProcedureInfo {
  const procedures = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string; meta?: unknown } }> } })._def.procedures;
  const def = procedures[path]?._def;
  if (!def) throw new Error(`no procedure ${path}`);
  const meta = def.meta as { rest?: ProcedureInfo['rest']; soap?: ProcedureInfo['soap'] } | undefined;
  if (!meta?.rest || !meta.soap) throw new Error(`${path} is not exposed in every style`);
  return { type: def.type as 'query' | 'mutation', rest: meta.rest, soap: meta.soap };
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Input value → SOAP elements (objects nest, arrays repeat the element, null is xsi:nil). */
export function toSoapElements(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return `<t:${name} xsi:nil="true"/>`;
  if (Array.isArray(value)) return value.map((v) => toSoapElements(name, v)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toSoapElements(k, v))
      .join('');
    return `<t:${name}>${inner}</t:${name}>`;
  }
  return `<t:${name}>${escapeXml(String(value))}</t:${name}>`;
}

function securityHeader(auth: Auth | undefined): string {
  if (!auth) return '';
  if ('bearer' in auth) return `<t:ApiKey>${escapeXml(auth.bearer)}</t:ApiKey>`;
  if ('usernameToken' in auth) {
    const { username, password, digest } = auth.usernameToken;
    const type = digest ? 'PasswordDigest' : 'PasswordText';
    const extra = digest ? `<wsse:Nonce>${digest.nonce}</wsse:Nonce><wsu:Created>${digest.created}</wsu:Created>` : '';
    return `<wsse:Security xmlns:wsse="${wsse}" xmlns:wsu="${wsu}"><wsse:UsernameToken><wsse:Username>${escapeXml(username)}</wsse:Username><wsse:Password Type="${tokenProfile}#${type}">${escapeXml(password)}</wsse:Password>${extra}</wsse:UsernameToken></wsse:Security>`;
  }
  return '';
}

/** A full SOAP envelope for an operation and its body content. */
export function soapEnvelope(version: '1.1' | '1.2', operation: string, content: string, header = ''): string {
  const ns = version === '1.1' ? env11 : env12;
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${ns}" xmlns:t="${soapNamespace}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><s:Header>${header}</s:Header><s:Body><t:${operation}>${content}</t:${operation}></s:Body></s:Envelope>`;
}

export function soapContentType(version: '1.1' | '1.2', operation: string): Record<string, string> {
  return version === '1.1'
    ? { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${soapNamespace}#${operation}"` }
    : { 'content-type': `application/soap+xml; charset=utf-8; action="${soapNamespace}#${operation}"` };
}

function authHeaders(style: Style, auth: Auth | undefined): Record<string, string> {
  if (!auth) return {};
  if ('cookie' in auth) return { cookie: auth.cookie };
  if ('bearer' in auth && (style === 'trpc' || style === 'rest')) return { authorization: `Bearer ${auth.bearer}` };
  return {};
}

function queryString(input: Record<string, unknown>): string {
  const params = new URLSearchParams();
  const add = (key: string, value: unknown) => {
    if (value === undefined) return;
    if (Array.isArray(value)) for (const v of value) add(key, v);
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    else params.append(key, String(value));
  };
  for (const [k, v] of Object.entries(input)) add(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The HTTP request a call becomes in a style: URL, method, headers, body. */
export function buildRequest(base: string, style: Style, call: Call): { url: string; init: RequestInit } {
  const info = procedureInfo(call.procedure);
  const headers = { ...authHeaders(style, call.auth), ...call.headers };
  if (style === 'trpc') {
    if (info.type === 'query') {
      const q = call.input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(call.input))}`;
      return { url: `${base}/trpc/${call.procedure}${q}`, init: { method: 'GET', headers } };
    }
    return {
      url: `${base}/trpc/${call.procedure}`,
      init: { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(call.input ?? null) },
    };
  }
  if (style === 'rest') {
    const rest: Record<string, unknown> = { ...((call.input as Record<string, unknown> | undefined) ?? {}) };
    const path = info.rest.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = rest[name];
      delete rest[name];
      return encodeURIComponent(String(value));
    });
    for (const [header, field] of Object.entries(info.rest.headers ?? {})) {
      if (rest[field] !== undefined) headers[header] = String(rest[field]);
      delete rest[field];
    }
    const method = info.rest.method;
    if (method === 'GET' || method === 'DELETE') return { url: `${base}/rest/v1${path}${queryString(rest)}`, init: { method, headers } };
    return {
      url: `${base}/rest/v1${path}`,
      init: { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(rest) },
    };
  }
  const version = style === 'soap11' ? '1.1' : '1.2';
  const input = call.input;
  const content =
    input !== null && typeof input === 'object' && !Array.isArray(input)
      ? Object.entries(input as Record<string, unknown>)
          .map(([k, v]) => toSoapElements(k, v))
          .join('')
      : toSoapElements('input', input);
  return {
    url: `${base}/soap`,
    init: {
      method: 'POST',
      headers: { ...soapContentType(version, info.soap.operation), ...headers },
      body: soapEnvelope(version, info.soap.operation, content, securityHeader(call.auth)),
    },
  };
}

const vocabulary: Record<string, AppErrorCode> = {
  BAD_REQUEST: 'VALIDATION',
  PARSE_ERROR: 'VALIDATION',
  UNPROCESSABLE_CONTENT: 'VALIDATION',
  PAYLOAD_TOO_LARGE: 'VALIDATION',
  UNSUPPORTED_MEDIA_TYPE: 'VALIDATION',
  METHOD_NOT_SUPPORTED: 'VALIDATION',
  TIMEOUT: 'VALIDATION',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
};

const restStatus: Record<number, AppErrorCode> = {
  400: 'VALIDATION',
  408: 'VALIDATION',
  413: 'VALIDATION',
  415: 'VALIDATION',
  422: 'VALIDATION',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
  500: 'INTERNAL',
};

/**
 * Reads a reply the way a client of that style would: tRPC `error.data.code`, REST problem+json
 * status, SOAP fault (Client/Sender vs Server/Receiver and the ErrorDetail code must agree).
 */
export function classify(style: Style, status: number, headers: Headers, body: string): Reply['outcome'] {
  const type = headers.get('content-type') ?? '';
  // Node's own refusal of a request head beyond --max-http-header-size, before any adapter runs.
  if (status === 431) return 'VALIDATION';
  if (style === 'trpc') {
    if (status >= 200 && status < 300) return 'OK';
    try {
      const code = (JSON.parse(body) as { error?: { data?: { code?: string } } }).error?.data?.code;
      return (code && vocabulary[code]) || 'UNRECOGNISED';
    } catch {
      return 'UNRECOGNISED';
    }
  }
  if (style === 'rest') {
    if (status >= 200 && status < 300) return 'OK';
    if (!type.startsWith('application/problem+json')) return 'UNRECOGNISED';
    return restStatus[status] ?? 'UNRECOGNISED';
  }
  if (status === 200 && !body.includes(':Fault>')) return 'OK';
  const code = /<tns:code>([A-Z_]+)<\/tns:code>/.exec(body)?.[1];
  const faultCode = (style === 'soap11' ? /<faultcode>[^:<]*:?(\w+)<\/faultcode>/ : /<env:Code><env:Value>[^:<]*:?(\w+)<\/env:Value>/).exec(body)?.[1];
  if (!code || !faultCode) {
    // Transport-level refusals (413/415 before the envelope is read) may carry no envelope.
    if (status === 413 || status === 415) return 'VALIDATION';
    return 'UNRECOGNISED';
  }
  const outcome = vocabulary[code];
  if (!outcome) return 'UNRECOGNISED';
  const serverSide = outcome === 'UNAVAILABLE' || outcome === 'INTERNAL';
  const expectedFault = style === 'soap11' ? (serverSide ? 'Server' : 'Client') : serverSide ? 'Receiver' : 'Sender';
  return faultCode === expectedFault ? outcome : 'UNRECOGNISED';
}

/**
 * Sends a call in a style and classifies the reply.
 *
 * @example
 * const r = await send(a.url, 'rest', { procedure: 'catalog.product', input: { id: 1 } });
 * expect(r.outcome).toBe('OK');
 */
export async function send(base: string, style: Style, call: Call, timeoutMs = 20_000): Promise<Reply> {
  const { url, init } = buildRequest(base, style, call);
  return sendRaw(style, url, init, timeoutMs);
}

/** Sends a prepared request (hand-made bodies for wire-level cases) and classifies the reply. */
export async function sendRaw(style: Style, url: string, init: RequestInit, timeoutMs = 20_000): Promise<Reply> {
  const r = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const body = await r.text();
  return { style, status: r.status, headers: r.headers, body, outcome: classify(style, r.status, r.headers, body) };
}

/** The JSON payload of an OK reply in any style (SOAP: the raw XML text; callers use regexes). */
export function okJson<T>(reply: Reply): T {
  if (reply.outcome !== 'OK') throw new Error(`expected OK, got ${reply.status} ${reply.body.slice(0, 300)}`);
  if (reply.style === 'trpc') return (JSON.parse(reply.body) as { result: { data: T } }).result.data;
  return JSON.parse(reply.body) as T;
}

/** Signs in over tRPC on an instance and returns the session cookie (`name=value`). */
export async function login(base: string, email: string, password: string): Promise<string> {
  const r = await fetch(`${base}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (r.status !== 200) throw new Error(`login ${email} failed: ${r.status} ${await r.text()}`);
  const cookie = r.headers.getSetCookie().find((c) => c.includes('session'));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';', 1)[0]!;
}

/** Counts of statuses (or error labels) for a load phase. */
export function tally(values: Iterable<string | number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}
