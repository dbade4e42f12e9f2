import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fillIds, parseResponse, rawRequest, requestWireBytes } from './wire.ts';

// autocannon's own request builder: our byte counts must match what it really sends.
const require = createRequire(import.meta.url);
type Builder = (defaults: Record<string, unknown>) => (req: Record<string, unknown>) => Buffer;
const requestBuilder = require('autocannon/lib/httpRequestBuilder.js') as Builder;

describe('rawRequest', () => {
  it('builds the same bytes as autocannon for a GET', () => {
    const spec = { method: 'GET' as const, path: '/trpc/catalog.product?batch=1&input=%7B%220%22%3A%7B%22id%22%3A1%7D%7D' };
    const theirs = requestBuilder({ hostname: '127.0.0.1', port: 4000 })({ ...spec, headers: {} });
    expect(rawRequest(spec, '127.0.0.1:4000').equals(theirs)).toBe(true);
  });

  it('builds the same bytes as autocannon for a POST with headers and a body', () => {
    const spec = {
      method: 'POST' as const,
      path: '/soap',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"urn:x#GetProduct"' },
      body: '<Envelope>é</Envelope>',
    };
    const theirs = requestBuilder({ hostname: '127.0.0.1', port: 80 })({ ...spec, headers: { ...spec.headers } });
    const ours = rawRequest(spec, '127.0.0.1:80');
    expect(ours.equals(theirs)).toBe(true);
    expect(ours.toString()).toContain('Content-Length: 23\r\n'); // bytes, not characters
  });

  it('counts id placeholders at the length autocannon substitutes', () => {
    const spec = { method: 'POST' as const, path: '/o', headers: { 'Idempotency-Key': '[<id>]' }, body: '{"k":"[<id>]"}', idReplacement: true };
    const theirs = requestBuilder({ hostname: 'h', port: 1, idReplacement: true })({ ...spec, headers: { ...spec.headers } });
    const replaced = theirs.toString().replace(/\[<id>\]/g, 'x'.repeat(33));
    expect(requestWireBytes(spec, 'h:1')).toBe(Buffer.byteLength(replaced));
    const filled = fillIds(rawRequest(spec, 'h:1'), () => 'abc');
    expect(filled.length).toBe(Buffer.byteLength(replaced));
    expect(filled.toString()).not.toContain('[<id>]');
  });

  it('counts a plain GET exactly', () => {
    expect(requestWireBytes({ method: 'GET', path: '/' }, 'h:1')).toBe(
      Buffer.byteLength('GET / HTTP/1.1\r\nHost: h:1\r\nConnection: keep-alive\r\n\r\n'),
    );
  });
});

describe('parseResponse', () => {
  it('splits headers and a content-length body', () => {
    const raw = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"id":"é"}');
    const r = parseResponse(raw)!;
    expect(r.status).toBe(200);
    expect(r.headerBytes).toBe(raw.indexOf('\r\n\r\n') + 4);
    expect(r.bodyBytes).toBe(11);
    expect(r.headerBytes + r.bodyBytes).toBe(raw.length);
    expect(JSON.parse(r.body)).toEqual({ id: 'é' });
    expect(r.headers['content-type']).toBe('application/json');
  });

  it('reads chunked bodies and counts the framing', () => {
    const raw = Buffer.from('HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n');
    const r = parseResponse(raw)!;
    expect(r.status).toBe(500);
    expect(r.body).toBe('abcde');
    expect(r.headerBytes + r.bodyBytes).toBe(raw.length);
  });

  it('returns null until the response is complete', () => {
    expect(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n'))).toBeNull();
    expect(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab'))).toBeNull();
    expect(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab'))).toBeNull();
  });
});
