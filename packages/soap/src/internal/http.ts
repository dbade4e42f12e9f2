import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface ContentType {
  mediaType: string;
  /** Shared between requests with the same header value: read only. */
  params: ReadonlyMap<string, string>;
}

const NO_TYPE: ContentType = { mediaType: '', params: new Map() };
/** Clients send a handful of distinct values; the cache is bounded for the ones that vary. */
const CONTENT_TYPE_CACHE_LIMIT = 64;
const contentTypes = new Map<string, ContentType>();

function parse(header: string): ContentType {
  const params = new Map<string, string>();
  const [type = '', ...rest] = header.split(';');
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    params.set(name, value);
  }
  return { mediaType: type.trim().toLowerCase(), params };
}

/** Parses `type/subtype; a=b; c="d"` (parameter names lower-cased, quotes removed); cached per value. */
export function parseContentType(header: string | undefined): ContentType {
  if (header === undefined) return NO_TYPE;
  let parsed = contentTypes.get(header);
  if (parsed === undefined) {
    parsed = parse(header);
    if (contentTypes.size >= CONTENT_TYPE_CACHE_LIMIT) contentTypes.clear();
    contentTypes.set(header, parsed);
  }
  return parsed;
}

/** Strips the optional quotes around a SOAPAction / action value. */
export function unquote(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

const SAFE_HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$/;

function firstValue(header: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  return raw?.split(',')[0]?.trim();
}

/**
 * The endpoint URL as the client sees it. Forwarded headers are honoured only with `trustProxy`;
 * the Host header must look like a host (it is written into the WSDL and used as a cache key).
 */
export function endpointUrl(req: IncomingMessage, path: string, trustProxy: boolean): string {
  const encrypted = (req.socket as TLSSocket).encrypted === true;
  let proto = encrypted ? 'https' : 'http';
  let host = req.headers.host;
  if (trustProxy) {
    const fProto = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase();
    if (fProto === 'http' || fProto === 'https') proto = fProto;
    host = firstValue(req.headers['x-forwarded-host']) ?? host;
  }
  if (host === undefined || !SAFE_HOST.test(host)) host = 'localhost';
  return `${proto}://${host}${path}`;
}
