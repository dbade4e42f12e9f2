/**
 * The hostile-input table: shared by the HTTP suite (hostile.test.ts: status, fault code) and the
 * parser's differential test (xml-parser.test.ts: the same documents through the scanner and the
 * fast-xml-parser reference).
 */
import { gzipSync } from 'node:zlib';
import { NS, envelope } from './server.ts';

export const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
export const TEXT_XML = 'text/xml; charset=utf-8';
const SOAP12 = 'application/soap+xml; charset=utf-8';

export interface Expected {
  status: number;
  /** SOAP 1.1 faultcode or SOAP 1.2 Code/Value; undefined for success. */
  fault?: string;
  /** Error code in the detail. */
  code?: string;
  /** A substring the successful response must contain. */
  contains?: string;
}

export interface Case {
  name: string;
  body: string | Buffer;
  headers?: Record<string, string>;
  expect: Expected;
}

export function env11(body: string, header = ''): string {
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

export const hostileCases: Case[] = [
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

