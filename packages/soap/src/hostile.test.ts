/**
 * Hostile input: every case must end in a clean, specific fault (or a correct answer), never a
 * 500 with a stack, a hang or unbounded memory. Table-driven; each row names the expected HTTP
 * status, SOAP fault code and tRPC error code.
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, type TestServer, envelope, startTestServer } from './testing/server.ts';

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const TEXT_XML = 'text/xml; charset=utf-8';
const SOAP12 = 'application/soap+xml; charset=utf-8';

interface Expected {
  status: number;
  /** SOAP 1.1 faultcode or SOAP 1.2 Code/Value; undefined for success. */
  fault?: string;
  /** Error code in the detail. */
  code?: string;
  /** A substring the successful response must contain. */
  contains?: string;
}

interface Case {
  name: string;
  body: string | Buffer;
  headers?: Record<string, string>;
  expect: Expected;
}

function env11(body: string, header = ''): string {
  return envelope('1.1', body, header);
}

function nested(depth: number): string {
  // Envelope(1) > Body(2) > Echo(3) > ... so `depth` total levels.
  const inner = depth - 3;
  return env11(`<t:Echo>${'<t:x>'.repeat(inner)}${'</t:x>'.repeat(inner)}</t:Echo>`);
}

const client = (code: string): Expected => ({ status: 500, fault: 'soap:Client', code });
const PARSE = client('PARSE_ERROR');
const BAD = client('BAD_REQUEST');
const TOO_LARGE: Expected = { status: 413, fault: 'soap:Client', code: 'PAYLOAD_TOO_LARGE' };
const MEDIA: Expected = { status: 415, fault: 'soap:Client', code: 'UNSUPPORTED_MEDIA_TYPE' };
const echo = (text: string): string => env11(`<t:Echo><t:text>${text}</t:text></t:Echo>`);

const cases: Case[] = [
  {
    name: 'XXE external entity',
    body: `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${echo('&xxe;').replace(/^<\?xml[^>]*>/, '')}`,
    expect: BAD,
  },
  {
    name: 'billion laughs',
    body: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><s:Envelope xmlns:s="${S11}" xmlns:t="${NS}"><s:Body><t:Echo><t:text>&lol3;</t:text></t:Echo></s:Body></s:Envelope>`,
    expect: BAD,
  },
  {
    name: 'parameter entities',
    body: `<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote;]><s:Envelope xmlns:s="${S11}"/>`,
    expect: BAD,
  },
  { name: 'DOCTYPE inside the Body', body: env11('<!DOCTYPE x><t:Ping/>'), expect: BAD },
  { name: 'ENTITY declaration inside an element', body: echo('<!ENTITY a "b">'), expect: BAD },
  { name: 'depth 33', body: nested(33), expect: BAD },
  { name: 'depth 32 reaches the decoder (unknown element)', body: nested(32), expect: BAD },
  { name: '100k elements', body: env11(`<t:Echo>${'<t:x/>'.repeat(100_000)}</t:Echo>`), expect: TOO_LARGE },
  { name: '2 MiB body', body: echo('a'.repeat(2 * 1024 * 1024)), expect: TOO_LARGE },
  {
    name: '2 MiB chunked body without Content-Length',
    body: echo('a'.repeat(2 * 1024 * 1024)),
    headers: { 'transfer-encoding': 'chunked' },
    expect: TOO_LARGE,
  },
  {
    name: 'gzip bomb (100 MiB inflated)',
    body: gzipSync(Buffer.alloc(100 * 1024 * 1024, 0x20), { level: 9 }),
    headers: { 'content-encoding': 'gzip' },
    expect: TOO_LARGE,
  },
  {
    name: 'gzip request within limits',
    body: gzipSync(Buffer.from(echo('zipped'))),
    headers: { 'content-encoding': 'gzip' },
    expect: { status: 200, contains: '<tns:text>zipped</tns:text>' },
  },
  { name: 'corrupt gzip', body: Buffer.from('not gzip at all'), headers: { 'content-encoding': 'gzip' }, expect: BAD },
  { name: 'unsupported Content-Encoding', body: echo('x'), headers: { 'content-encoding': 'br' }, expect: MEDIA },
  { name: 'stacked Content-Encoding', body: echo('x'), headers: { 'content-encoding': 'gzip, gzip' }, expect: MEDIA },
  {
    name: 'wrong envelope namespace',
    body: `<s:Envelope xmlns:s="urn:not-soap"><s:Body/></s:Envelope>`,
    expect: { status: 500, fault: 'soap:VersionMismatch', code: 'BAD_REQUEST' },
  },
  {
    name: 'root is not an Envelope',
    body: `<t:Ping xmlns:t="${NS}"/>`,
    expect: { status: 500, fault: 'soap:VersionMismatch', code: 'BAD_REQUEST' },
  },
  {
    name: 'SOAP 1.2 envelope sent as text/xml',
    body: envelope('1.2', '<t:Ping/>'),
    expect: { status: 500, fault: 'soap:VersionMismatch', code: 'BAD_REQUEST' },
  },
  {
    name: 'SOAP 1.1 envelope sent as application/soap+xml (answered in 1.1)',
    body: env11('<t:Ping/>'),
    headers: { 'content-type': SOAP12 },
    expect: { status: 500, fault: 'soap:VersionMismatch', code: 'BAD_REQUEST', contains: '<soap12:SupportedEnvelope qname="e12:Envelope"' },
  },
  {
    name: 'unknown envelope namespace as application/soap+xml (answered in 1.2)',
    body: `<s:Envelope xmlns:s="urn:not-soap"><s:Body/></s:Envelope>`,
    headers: { 'content-type': SOAP12 },
    expect: { status: 500, fault: 'env:VersionMismatch', code: 'BAD_REQUEST' },
  },
  { name: 'multiple Body children', body: env11('<t:Ping/><t:Ping/>'), expect: BAD },
  { name: 'empty Body', body: env11(''), expect: BAD },
  { name: 'missing Body', body: `<s:Envelope xmlns:s="${S11}"><s:Header/></s:Envelope>`, expect: BAD },
  { name: 'two Body elements', body: `<s:Envelope xmlns:s="${S11}" xmlns:t="${NS}"><s:Body><t:Ping/></s:Body><s:Body/></s:Envelope>`, expect: BAD },
  { name: 'text directly in the Body', body: env11('hello<t:Ping/>'), expect: BAD },
  { name: 'empty request body', body: '', expect: PARSE },
  { name: 'non-XML text', body: 'hello, is it SOAP?', expect: PARSE },
  { name: 'JSON sent as text/xml', body: '{"text":"x"}', expect: PARSE },
  { name: 'truncated XML', body: echo('cut').slice(0, 150), expect: PARSE },
  { name: 'unclosed tags', body: `<s:Envelope xmlns:s="${S11}" xmlns:t="${NS}"><s:Body><t:Echo><t:text>x</t:text>`, expect: PARSE },
  { name: 'mismatched end tag', body: env11('<t:Echo><t:text>x</t:txt></t:Echo>'), expect: PARSE },
  { name: 'two root elements', body: `${env11('<t:Ping/>')}<x/>`, expect: PARSE },
  { name: '__proto__ element', body: env11('<t:Echo><t:text>x</t:text><t:__proto__><t:admin>1</t:admin></t:__proto__></t:Echo>'), expect: BAD },
  { name: 'constructor element', body: env11('<t:Echo><constructor>x</constructor></t:Echo>'), expect: BAD },
  { name: 'prototype element as operation', body: env11('<t:prototype/>'), expect: BAD },
  { name: '__proto__ attribute', body: env11('<t:Echo __proto__="x"><t:text>x</t:text></t:Echo>'), expect: BAD },
  { name: 'prefixed constructor attribute', body: env11('<t:Echo t:constructor="x"><t:text>x</t:text></t:Echo>'), expect: BAD },
  { name: 'invalid UTF-8', body: Buffer.concat([Buffer.from(echo('').replace('<t:text></t:text>', '<t:text>')), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('</t:text></t:Echo></s:Body></s:Envelope>')]), expect: PARSE },
  {
    name: 'UTF-16 body with BOM',
    body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(echo('x'), 'utf16le')]),
    headers: { 'content-type': 'text/xml; charset=utf-16' },
    expect: MEDIA,
  },
  { name: 'UTF-16 BOM without charset parameter', body: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('<')]), expect: MEDIA },
  { name: 'charset=iso-8859-1', body: echo('x'), headers: { 'content-type': 'text/xml; charset=iso-8859-1' }, expect: MEDIA },
  { name: 'XML declaration with another encoding', body: echo('x').replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), expect: MEDIA },
  { name: 'XML 1.1 declaration', body: echo('x').replace('version="1.0"', 'version="1.1"'), expect: PARSE },
  { name: 'SOAPAction disagrees with the Body', body: env11('<t:Ping/>'), headers: { soapaction: `"${NS}#CreateNote"` }, expect: BAD },
  { name: 'unknown operation', body: env11('<t:DropEverything/>'), expect: BAD },
  { name: 'operation in another namespace', body: env11('<x:Ping xmlns:x="urn:elsewhere"/>'), expect: BAD },
  { name: 'procedure without meta.soap is not reachable', body: env11('<t:hidden/>'), expect: BAD },
  { name: 'unknown element', body: echo('x').replace('</t:Echo>', '<t:isAdmin>true</t:isAdmin></t:Echo>'), expect: BAD },
  { name: 'single element repeated', body: env11('<t:Echo><t:text>a</t:text><t:text>b</t:text></t:Echo>'), expect: BAD },
  {
    name: 'CDATA with ]]> tricks is data, escaped on the way out',
    body: echo('<![CDATA[</t:text><t:evil/>]]]]><![CDATA[>]]>'),
    expect: { status: 200, contains: '<tns:text>&lt;/t:text&gt;&lt;t:evil/&gt;]]&gt;</tns:text>' },
  },
  { name: 'processing instruction in the Body', body: env11('<?php system("id"); ?><t:Ping/>'), expect: BAD },
  { name: 'stylesheet PI before the Envelope', body: `<?xml-stylesheet href="x"?>${env11('<t:Ping/>')}`, expect: BAD },
  { name: 'comments inside values are dropped', body: echo('ab<!-- hidden -->cd'), expect: { status: 200, contains: '<tns:text>abcd</tns:text>' } },
  {
    name: 'huge attribute is ignored',
    body: env11(`<t:Echo data="${'A'.repeat(600_000)}"><t:text>ok</t:text></t:Echo>`),
    expect: { status: 200, contains: '<tns:text>ok</tns:text>' },
  },
  { name: '1 MB text node under the limit', body: echo('b'.repeat(1_000_000)), expect: { status: 200, contains: 'bbbbbbbbbb</tns:text>' } },
  { name: 'mustUnderstand header we do not know', body: env11('<t:Ping/>', `<x:Tx xmlns:x="urn:tx" s:mustUnderstand="1"/>`), expect: { status: 500, fault: 'soap:MustUnderstand', code: 'BAD_REQUEST' } },
  {
    name: 'SQL injection is plain data',
    body: echo("x'; DROP TABLE notes; -- &quot;OR 1=1&quot;"),
    expect: { status: 200, contains: "<tns:text>x'; DROP TABLE notes; -- \"OR 1=1\"</tns:text>" },
  },
  { name: 'raw control character', body: echo('a\u0001b'), expect: PARSE },
  { name: 'character reference &#0;', body: echo('a&#0;b'), expect: PARSE },
  { name: 'character reference to a surrogate', body: echo('&#xD800;'), expect: PARSE },
  { name: 'character reference beyond Unicode', body: echo('&#x110000;'), expect: PARSE },
  { name: 'character reference to a control character', body: echo('&#x1B;[31m'), expect: PARSE },
  { name: 'valid character references decode', body: echo('&#65;&#x1F600;&lt;&amp;'), expect: { status: 200, contains: '<tns:text>A\u{1F600}&lt;&amp;</tns:text>' } },
  { name: 'undefined entity', body: echo('&nbsp;'), expect: PARSE },
  { name: 'bare ampersand', body: echo('fish & chips'), expect: PARSE },
  { name: 'undeclared prefix', body: env11('<x:Ping/>'), expect: PARSE },
  { name: 'duplicate attribute', body: env11('<t:Ping a="1" a="2"/>'), expect: PARSE },
  { name: 'unquoted attribute', body: env11('<t:Ping a=1/>'), expect: PARSE },
  { name: 'deep nesting hidden in the Header', body: env11('<t:Ping/>', `${'<x:h xmlns:x="urn:h">'.repeat(40)}${'</x:h>'.repeat(40)}`), expect: BAD },
  {
    name: '60k attributes on one element',
    body: env11(`<t:Ping ${Array.from({ length: 60_000 }, (_, i) => `a${i}="1"`).join(' ')}/>`),
    expect: BAD,
  },
  {
    name: 'namespace declaration flood',
    body: `<s:Envelope xmlns:s="${S11}" xmlns:t="${NS}" ${Array.from({ length: 40_000 }, (_, i) => `xmlns:p${i}="u"`).join(' ')}><s:Body>${'<x xmlns:q="v"/>'.repeat(5000)}</s:Body></s:Envelope>`,
    expect: BAD,
  },
  {
    name: '10k repeated elements give a bounded issue list',
    body: env11(`<t:Echo>${'<t:text>a</t:text>'.repeat(9_000)}</t:Echo>`),
    expect: BAD,
  },
  { name: 'application/json', body: '{}', headers: { 'content-type': 'application/json' }, expect: MEDIA },
  { name: 'missing Content-Type', body: echo('x'), headers: { 'content-type': '' }, expect: MEDIA },
  {
    name: 'SOAP 1.2 Sender fault status for a bad element',
    body: envelope('1.2', '<t:Echo><t:nope/></t:Echo>'),
    headers: { 'content-type': SOAP12 },
    expect: { status: 400, fault: 'env:Sender', code: 'BAD_REQUEST' },
  },
  {
    name: 'SOAP 1.2 gzip bomb',
    body: gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)),
    headers: { 'content-type': SOAP12, 'content-encoding': 'gzip' },
    expect: { status: 413, fault: 'env:Sender', code: 'PAYLOAD_TOO_LARGE' },
  },
];

function send(url: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer (413) and close before reading everything: that is fine.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.end(body);
  });
}

function faultOf(text: string): { fault?: string; code?: string } {
  const fault = /<faultcode>([^<]*)<\/faultcode>/.exec(text)?.[1] ?? /<env:Code><env:Value>([^<]*)<\/env:Value>/.exec(text)?.[1];
  const code = /<tns:code>([^<]*)<\/tns:code>/.exec(text)?.[1];
  return { fault, code };
}

let server: TestServer;
let heapBefore = 0;
const gc = (globalThis as { gc?: () => void }).gc;

beforeAll(async () => {
  server = await startTestServer();
  gc?.();
  heapBefore = process.memoryUsage().heapUsed;
});
afterAll(() => server.close());

describe('hostile input', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name', async ({ body, headers, expect: expected }) => {
    const r = await send(server.url, body, { 'content-type': TEXT_XML, ...headers });
    expect(r.status).toBe(expected.status);
    if (expected.fault !== undefined) {
      expect(faultOf(r.text)).toEqual({ fault: expected.fault, code: expected.code });
      expect(r.text).toContain('<tns:requestId>req-test-1</tns:requestId>');
    }
    if (expected.contains !== undefined) expect(r.text).toContain(expected.contains);
    // Fault bodies stay small whatever the input (issue lists are capped).
    if (expected.fault !== undefined) expect(r.text.length).toBeLessThan(16 * 1024);
    // Never a stack trace or a file path.
    expect(r.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+|Error:/);
  });

  it('answers 400 randomly mutated envelopes with a success or a well-formed fault', async () => {
    // Deterministic PRNG (mulberry32) so a failure can be replayed.
    let seed = 0x5eed;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const base = Buffer.from(
      env11(
        '<t:CreateNote><t:title>T</t:title><t:priority>2</t:priority><t:rating>1.5</t:rating><t:tags>a</t:tags>' +
          '<t:author><t:name>A</t:name><t:email>a@example.com</t:email></t:author></t:CreateNote>',
        '<t:ApiKey>k</t:ApiKey>',
      ),
    );
    const alphabet = Buffer.from('<>/&;:="\'!?[]-#x0 \u0000\u00ffT', 'latin1');
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i += 1) {
      const bytes = Buffer.from(base);
      const edits = 1 + Math.floor(random() * 4);
      let body: Buffer = bytes;
      for (let e = 0; e < edits; e += 1) {
        const at = Math.floor(random() * body.length);
        const kind = random();
        if (kind < 0.4) body[at] = alphabet[Math.floor(random() * alphabet.length)]!;
        else if (kind < 0.7) body = Buffer.concat([body.subarray(0, at), body.subarray(at + 1 + Math.floor(random() * 8))]);
        else if (kind < 0.9) body = Buffer.concat([body.subarray(0, at), body.subarray(at, at + 12), body.subarray(at)]);
        else body = body.subarray(0, at);
      }
      const r = await send(server.url, body, { 'content-type': TEXT_XML });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect([200, 413, 415, 500]).toContain(r.status);
      expect(r.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><soap:Envelope')).toBe(true);
      if (r.status !== 200) {
        expect(faultOf(r.text).fault).toMatch(/^soap:(Client|Server|VersionMismatch|MustUnderstand)$/);
        // Mutations never reach a server-side failure: every fault blames the client.
        expect(faultOf(r.text).fault).not.toBe('soap:Server');
      }
    }
    expect(statuses.get(500) ?? 0).toBeGreaterThan(0);
  });

  it('still answers a valid call afterwards, with bounded heap growth', async () => {
    const r = await send(server.url, envelope('1.1', '<t:Ping/>'), { 'content-type': TEXT_XML });
    expect(r.status).toBe(200);
    expect(r.text).toContain('<tns:ok>true</tns:ok>');
    gc?.();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    console.info(`hostile suite heap growth: ${(growth / 1024 / 1024).toFixed(1)} MiB (gc: ${gc !== undefined})`);
    // Generous bound: the suite pushes >100 MiB of inflated and >2 MiB of raw hostile data through.
    expect(growth).toBeLessThan(48 * 1024 * 1024);
  });
});
