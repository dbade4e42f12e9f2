/**
 * Bytes on the wire. Requests are built exactly as autocannon 9 builds them (its httpRequestBuilder:
 * request line, `Host`, `Connection: keep-alive`, the headers in order, `Content-Length` when there is a
 * body), so the request size we report is the size we sent. Responses are parsed from raw socket bytes.
 */
export interface RequestSpec {
  method: 'GET' | 'POST';
  /** Path + query, already URL-encoded. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * autocannon's `idReplacement`: every `[<id>]` becomes a fresh 33-character id per request (used for
   * idempotency keys).
   */
  idReplacement?: boolean;
}

/** Length of the ids autocannon (hyperid, url-safe, fixed length) puts where `[<id>]` was. */
export const AUTOCANNON_ID_LENGTH = 33;
const ID_PLACEHOLDER = /\[<id>\]/g;

/**
 * The raw HTTP/1.1 request autocannon sends for this spec (placeholders left in place).
 *
 * @example
 * rawRequest({ method: 'GET', path: '/rest/v1/products/1' }, '127.0.0.1:4000').toString();
 * // 'GET /rest/v1/products/1 HTTP/1.1\r\nHost: 127.0.0.1:4000\r\nConnection: keep-alive\r\n\r\n'
 */
export function rawRequest(spec: RequestSpec, host: string): Buffer {
  const headers: Record<string, string> = { ...spec.headers };
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`];
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'host')) lines.push(`Host: ${host}`);
  lines.push('Connection: keep-alive');
  const body = spec.body ? Buffer.from(spec.body) : undefined;
  if (body && body.length > 0) {
    const ids = spec.idReplacement ? (spec.body?.match(ID_PLACEHOLDER) ?? []).length : 0;
    headers['Content-Length'] = String(body.length + ids * (AUTOCANNON_ID_LENGTH - '[<id>]'.length));
  }
  for (const [key, value] of Object.entries(headers)) lines.push(`${key}: ${value}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  return body && body.length > 0 ? Buffer.concat([head, body]) : head;
}

/**
 * Replaces each `[<id>]` with a unique id of autocannon's length (the probe and the stampede send the
 * same bytes autocannon would).
 */
export function fillIds(raw: Buffer, nextId: () => string): Buffer {
  const text = raw.toString('utf8');
  if (!text.includes('[<id>]')) return raw;
  return Buffer.from(text.replace(ID_PLACEHOLDER, () => nextId().padEnd(AUTOCANNON_ID_LENGTH, '0').slice(0, AUTOCANNON_ID_LENGTH)));
}

/**
 * Bytes of one request on the wire, with placeholders counted at the id length autocannon substitutes.
 *
 * @example
 * requestWireBytes({ method: 'GET', path: '/' }, 'h:1'); // 45
 */
export function requestWireBytes(spec: RequestSpec, host: string): number {
  const raw = rawRequest(spec, host);
  if (!spec.idReplacement) return raw.length;
  const ids = (raw.toString('utf8').match(ID_PLACEHOLDER) ?? []).length;
  return raw.length + ids * (AUTOCANNON_ID_LENGTH - '[<id>]'.length);
}

export interface ParsedResponse {
  status: number;
  /** Status line + headers + the blank line. */
  headerBytes: number;
  /** Body bytes as framed on the wire (chunk framing included for chunked bodies). */
  bodyBytes: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Parses one HTTP/1.1 response from the start of `raw`; null while it is incomplete.
 * Handles `Content-Length` and `Transfer-Encoding: chunked` (no trailers), which is what node:http sends.
 *
 * @example
 * parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi'))?.body; // 'hi'
 */
export function parseResponse(raw: Buffer): ParsedResponse | null {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const headerBytes = headEnd + 4;
  const [statusLine = '', ...headerLines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = raw.subarray(headerBytes);
  if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
    const chunks: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = Number.parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
      if (!Number.isFinite(size)) throw new Error('Malformed chunk size');
      const dataStart = lineEnd + 2;
      if (rest.length < dataStart + size + 2) return null;
      if (size === 0) {
        return { status, headerBytes, bodyBytes: dataStart + 2, headers, body: Buffer.concat(chunks).toString('utf8') };
      }
      chunks.push(rest.subarray(dataStart, dataStart + size));
      at = dataStart + size + 2;
    }
  }
  const length = Number(headers['content-length'] ?? 0);
  if (rest.length < length) return null;
  return { status, headerBytes, bodyBytes: length, headers, body: rest.subarray(0, length).toString('utf8') };
}
