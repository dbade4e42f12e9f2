import { createHash, randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initTRPC } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSoapHandler } from './handler.ts';
import { compileDecoder } from './internal/codec.ts';
import { collectOperations } from './internal/operations.ts';
import { parseXml } from './internal/xml-parser.ts';
import { verifyPasswordDigest } from './security.ts';
import { createNotesRouter, createNotesStore } from './testing/notes-router.ts';
import { NS, type TestServer, envelope, postSoap, startTestServer } from './testing/server.ts';
import { bodyElement } from './testing/xml-tools.ts';
import type { SoapProcedureMeta } from './types.ts';
import { soapActionOf } from './wsdl.ts';

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';

const createBody =
  '<t:CreateNote><t:title>First</t:title><t:priority>3</t:priority><t:tags>x</t:tags><t:tags>y</t:tags>' +
  '<t:author><t:name>Ann</t:name></t:author></t:CreateNote>';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  const created = await postSoap(server.url, envelope('1.1', createBody));
  expect(created.status).toBe(200);
});
afterAll(() => server.close());

function faultCode11(text: string): string | undefined {
  return /<faultcode>([^<]*)<\/faultcode>/.exec(text)?.[1];
}
function detailCode(text: string): string | undefined {
  return /<tns:code>([^<]*)<\/tns:code>/.exec(text)?.[1];
}

describe('SOAP 1.1 and 1.2 calls', () => {
  it('answers SOAP 1.1 with text/xml and a 1.1 envelope', async () => {
    const r = await postSoap(server.url, envelope('1.1', '<t:GetNote><t:id>n1</t:id></t:GetNote>'), {
      action: soapActionOf(NS, 'GetNote'),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(r.text).toContain(`<soap:Envelope xmlns:soap="${S11}"`);
    expect(r.text).toContain('<tns:GetNoteResponse><tns:id>n1</tns:id><tns:title>First</tns:title>');
  });

  it('answers SOAP 1.2 with application/soap+xml and a 1.2 envelope', async () => {
    const r = await postSoap(server.url, envelope('1.2', '<t:GetNote><t:id>n1</t:id></t:GetNote>'), {
      version: '1.2',
      action: soapActionOf(NS, 'GetNote'),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/soap+xml; charset=utf-8');
    expect(r.text).toContain('<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"');
  });

  it('serializes in schema order, not object key order, with xsi:nil for null', async () => {
    const r = await postSoap(server.url, envelope('1.1', '<t:GetNote><t:id>n1</t:id></t:GetNote>'));
    const names = [...r.text.matchAll(/<tns:([A-Za-z]+)[ >/]/g)].map((m) => m[1]).slice(1, 14);
    expect(names).toEqual(['id', 'title', 'body', 'status', 'priority', 'rating', 'price', 'views', 'pinned', 'tags', 'tags', 'createdAt', 'author']);
    expect(r.text).toContain('<tns:rating xsi:nil="true"/>');
  });

  it('accepts a bare operation name or an empty SOAPAction, refuses a different one', async () => {
    const body = envelope('1.1', '<t:Ping/>');
    expect((await postSoap(server.url, body, { action: 'Ping' })).status).toBe(200);
    expect((await postSoap(server.url, body, { action: '' })).status).toBe(200);
    const wrong = await postSoap(server.url, body, { action: soapActionOf(NS, 'GetNote') });
    expect(wrong.status).toBe(500);
    expect(faultCode11(wrong.text)).toBe('soap:Client');
    const wrong12 = await postSoap(server.url, envelope('1.2', '<t:Ping/>'), { version: '1.2', action: 'urn:other#Ping' });
    expect(wrong12.status).toBe(400);
    expect(wrong12.text).toContain('<env:Value>env:Sender</env:Value>');
  });

  it('converts by schema: booleans 1/0, integers, whitespace-preserving strings, nil and absence', async () => {
    const r = await postSoap(server.url, envelope('1.1', '<t:Echo><t:text>  two  spaces </t:text><t:count> 2 </t:count><t:flag>0</t:flag></t:Echo>'));
    expect(r.text).toContain('<tns:text>  two  spaces </tns:text><tns:count>2</tns:count><tns:flag>false</tns:flag>');
    const absent = await postSoap(server.url, envelope('1.1', '<t:Echo><t:text>a</t:text></t:Echo>'));
    expect(absent.text).toContain('<tns:count xsi:nil="true"/><tns:flag xsi:nil="true"/>');
    const nil = await postSoap(
      server.url,
      envelope('1.1', '<t:CreateNote xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><t:title>N</t:title><t:priority>1</t:priority><t:rating xsi:nil="true"/><t:author><t:name>B</t:name></t:author></t:CreateNote>'),
    );
    expect(nil.status).toBe(200);
    expect(nil.text).toContain('<tns:rating xsi:nil="true"/>');
    // A required array that is absent decodes to [] and an empty array writes no element.
    expect(nil.text).toContain('<tns:pinned>false</tns:pinned><tns:createdAt>');
  });

  it('reports per-field validation messages from zod and from decoding', async () => {
    const r = await postSoap(server.url, envelope('1.1', '<t:Echo><t:text>a</t:text><t:count>nine</t:count><t:bogus/></t:Echo>'));
    expect(r.status).toBe(500);
    expect(faultCode11(r.text)).toBe('soap:Client');
    expect(r.text).toContain('<tns:issue><tns:path>count</tns:path><tns:message>Expected an integer</tns:message></tns:issue>');
    expect(r.text).toContain('<tns:issue><tns:path>bogus</tns:path><tns:message>Unknown element</tns:message></tns:issue>');
    const zod = await postSoap(server.url, envelope('1.2', '<t:Echo><t:text>a</t:text><t:count>9</t:count></t:Echo>'), { version: '1.2' });
    expect(zod.status).toBe(400);
    expect(zod.text).toContain('<env:Subcode><env:Value>tns:BAD_REQUEST</env:Value></env:Subcode>');
    expect(zod.text).toMatch(/<tns:issue><tns:path>count<\/tns:path><tns:message>Too big[^<]*<\/tns:message><\/tns:issue>/);
  });

  it('escapes CDATA tricks and replaces XML-forbidden characters in responses', async () => {
    const r = await postSoap(server.url, envelope('1.1', '<t:Echo><t:text><![CDATA[]]]]><![CDATA[><![CDATA[x]]></t:text></t:Echo>'));
    expect(r.text).toContain('<tns:text>]]&gt;&lt;![CDATA[x</tns:text>');
    const codes = await postSoap(server.url, envelope('1.1', '<t:FromCodes><t:codes>65</t:codes><t:codes>1</t:codes><t:codes>55296</t:codes><t:codes>66</t:codes></t:FromCodes>'));
    expect(codes.status).toBe(200);
    expect(codes.text).toContain('<tns:text>A\uFFFD\uFFFDB</tns:text>');
  });
});

describe('fault mapping', () => {
  const cases = [
    { kind: 'notFound', code: 'NOT_FOUND', s11: 500, s12: 404, side: 'Client' },
    { kind: 'forbidden', code: 'FORBIDDEN', s11: 500, s12: 403, side: 'Client' },
    { kind: 'unauthorized', code: 'UNAUTHORIZED', s11: 500, s12: 401, side: 'Client' },
    { kind: 'conflict', code: 'CONFLICT', s11: 500, s12: 409, side: 'Client' },
    { kind: 'rateLimited', code: 'TOO_MANY_REQUESTS', s11: 429, s12: 429, side: 'Client' },
    { kind: 'unavailable', code: 'SERVICE_UNAVAILABLE', s11: 503, s12: 503, side: 'Server' },
    { kind: 'crash', code: 'INTERNAL_SERVER_ERROR', s11: 500, s12: 500, side: 'Server' },
  ] as const;

  it.each(cases)('$kind → $code (1.1: $s11, 1.2: $s12)', async ({ kind, code, s11, s12, side }) => {
    const body = `<t:Fail><t:kind>${kind}</t:kind></t:Fail>`;
    const r11 = await postSoap(server.url, envelope('1.1', body));
    expect(r11.status).toBe(s11);
    expect(faultCode11(r11.text)).toBe(`soap:${side}`);
    expect(detailCode(r11.text)).toBe(code);
    expect(r11.text).toContain('<tns:requestId>req-test-1</tns:requestId>');
    const r12 = await postSoap(server.url, envelope('1.2', body), { version: '1.2' });
    expect(r12.status).toBe(s12);
    expect(r12.text).toContain(`<env:Value>env:${side === 'Client' ? 'Sender' : 'Receiver'}</env:Value>`);
    expect(r12.text).toContain(`<env:Subcode><env:Value>tns:${code}</env:Value></env:Subcode>`);
    expect(r12.text).toContain('<env:Text xml:lang="en">');
    for (const text of [r11.text, r12.text]) {
      expect(text).not.toMatch(/ECONNREFUSED|hunter2|\/srv\/app|at .*\.ts:\d+/);
    }
    if (kind === 'rateLimited') {
      expect(r11.headers.get('retry-after')).toBe('7');
      expect(r12.headers.get('retry-after')).toBe('7');
    }
    // The app's own headers survive.
    expect(r11.headers.get('x-request-id')).toBe('req-test-1');
  });

  it('hides an output validation failure behind a generic Receiver fault', async () => {
    const r = await postSoap(server.url, envelope('1.2', '<t:Broken/>'), { version: '1.2' });
    expect(r.status).toBe(500);
    expect(r.text).toContain('<env:Value>env:Receiver</env:Value>');
    expect(r.text).toContain('Internal server error');
    expect(r.text).not.toContain('Output validation');
  });
});

function usernameToken(password: string, type?: 'PasswordText' | 'PasswordDigest', extra = ''): string {
  const typeAttr = type ? ` Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#${type}"` : '';
  return (
    `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}" s:mustUnderstand="1"><wsse:UsernameToken>` +
    `<wsse:Username>alice</wsse:Username><wsse:Password${typeAttr}>${password}</wsse:Password>${extra}` +
    '</wsse:UsernameToken></wsse:Security>'
  );
}

describe('security headers', () => {
  it('passes a PasswordText UsernameToken to createContext', async () => {
    const r = await postSoap(server.url, envelope('1.1', '<t:WhoAmI/>', usernameToken('pw', 'PasswordText')));
    expect(r.text).toContain('<tns:kind>usernameToken</tns:kind><tns:principal>alice</tns:principal><tns:passwordType>text</tns:passwordType>');
  });

  it('passes a PasswordDigest token with nonce and created that verifyPasswordDigest accepts', async () => {
    const seen: unknown[] = [];
    const local = await startTestServer({
      createContext: ({ res, security }) => {
        seen.push(security);
        return { res, security };
      },
    });
    try {
      const nonce = randomBytes(16);
      const created = new Date().toISOString();
      const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(`${created}secret`)])).digest('base64');
      const extra = `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created>`;
      const r = await postSoap(local.url, envelope('1.2', '<t:WhoAmI/>', usernameToken(digest, 'PasswordDigest', extra).replace('s:mustUnderstand="1"', 's:mustUnderstand="true"')), {
        version: '1.2',
      });
      expect(r.text).toContain('<tns:passwordType>digest</tns:passwordType>');
      const security = seen[0] as { password: string; nonce: string; created: string };
      expect(security).toMatchObject({ kind: 'usernameToken', username: 'alice', passwordType: 'digest', created });
      expect(verifyPasswordDigest({ password: 'secret', nonce: security.nonce, created: security.created, digest: security.password })).toEqual({ ok: true });
    } finally {
      await local.close();
    }
  });

  it('passes an ApiKey header element', async () => {
    const r = await postSoap(server.url, envelope('1.1', '<t:WhoAmI/>', '<t:ApiKey> key-123 </t:ApiKey>'));
    expect(r.text).toContain('<tns:kind>apiKey</tns:kind><tns:principal>key-123</tns:principal>');
    const none = await postSoap(server.url, envelope('1.1', '<t:WhoAmI/>'));
    expect(none.text).toContain('<tns:kind>none</tns:kind>');
  });

  it('refuses two credentials at once', async () => {
    const r = await postSoap(server.url, envelope('1.1', '<t:WhoAmI/>', `<t:ApiKey>k</t:ApiKey>${usernameToken('pw')}`));
    expect(r.status).toBe(500);
    expect(faultCode11(r.text)).toBe('soap:Client');
  });

  it('answers MustUnderstand for unknown mandatory headers, ignores optional or foreign-actor ones', async () => {
    const mandatory = '<x:Tx xmlns:x="urn:other" s:mustUnderstand="1">1</x:Tx>';
    const r11 = await postSoap(server.url, envelope('1.1', '<t:Ping/>', mandatory));
    expect(r11.status).toBe(500);
    expect(faultCode11(r11.text)).toBe('soap:MustUnderstand');
    const r12 = await postSoap(server.url, envelope('1.2', '<t:Ping/>', mandatory.replace('"1"', '"true"')), { version: '1.2' });
    expect(r12.status).toBe(500);
    expect(r12.text).toContain('<env:Value>env:MustUnderstand</env:Value>');
    expect(r12.text).toContain('NotUnderstood xmlns:soap12="http://www.w3.org/2003/05/soap-envelope" qname="nu:Tx" xmlns:nu="urn:other"');
    const optional = await postSoap(server.url, envelope('1.1', '<t:Ping/>', '<x:Tx xmlns:x="urn:other">1</x:Tx>'));
    expect(optional.status).toBe(200);
    const foreign = await postSoap(
      server.url,
      envelope('1.1', '<t:Ping/>', '<x:Tx xmlns:x="urn:other" s:mustUnderstand="1" s:actor="urn:some-other-node">1</x:Tx>'),
    );
    expect(foreign.status).toBe(200);
  });

  it('honours wsu:Timestamp Expires', async () => {
    const ts = (expires: string) =>
      `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}" s:mustUnderstand="1"><wsu:Timestamp><wsu:Created>2020-01-01T00:00:00Z</wsu:Created><wsu:Expires>${expires}</wsu:Expires></wsu:Timestamp></wsse:Security>`;
    const expired = await postSoap(server.url, envelope('1.2', '<t:WhoAmI/>', ts('2020-01-01T00:05:00Z')), { version: '1.2' });
    expect(expired.status).toBe(401);
    expect(expired.text).toContain('tns:UNAUTHORIZED');
    const future = new Date(Date.now() + 300_000).toISOString();
    const fresh = await postSoap(server.url, envelope('1.2', '<t:WhoAmI/>', ts(future)), { version: '1.2' });
    expect(fresh.status).toBe(200);
    expect(fresh.text).toContain('<tns:kind>none</tns:kind>');
  });

  it('refuses a mandatory Security header carrying a signature it cannot verify', async () => {
    const header = `<wsse:Security xmlns:wsse="${WSSE}" s:mustUnderstand="1"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></wsse:Security>`;
    const r = await postSoap(server.url, envelope('1.1', '<t:WhoAmI/>', header));
    expect(faultCode11(r.text)).toBe('soap:MustUnderstand');
  });
});

describe('context, middlewares, hooks and limits', () => {
  it('calls createContext once per request with path, meta, operation, version and security', async () => {
    const calls: unknown[] = [];
    const local = await startTestServer({
      createContext: (opts) => {
        calls.push({ path: opts.path, meta: opts.meta, operation: opts.operation, version: opts.version, security: opts.security });
        return { res: opts.res, security: opts.security };
      },
    });
    try {
      await postSoap(local.url, envelope('1.2', '<t:GetSecret/>', '<t:ApiKey>k1</t:ApiKey>'), { version: '1.2' });
      expect(calls).toEqual([
        {
          path: 'secret',
          meta: { soap: { operation: 'GetSecret' }, access: 'user' },
          operation: 'GetSecret',
          version: '1.2',
          security: { kind: 'apiKey', key: 'k1' },
        },
      ]);
    } finally {
      await local.close();
    }
  });

  it('runs the procedure middlewares (auth guard, context extension)', async () => {
    const ok = await postSoap(server.url, envelope('1.1', '<t:GetSecret/>', '<t:ApiKey>k1</t:ApiKey>'));
    expect(ok.text).toContain('<tns:owner>owner-1</tns:owner>');
    const denied = await postSoap(server.url, envelope('1.2', '<t:GetSecret/>', '<t:ApiKey>nope</t:ApiKey>'), { version: '1.2' });
    expect(denied.status).toBe(401);
    expect(denied.text).toContain('API key required');
  });

  it('reports errors to onError with the procedure path, and survives a throwing hook', async () => {
    const seen: Array<string | undefined> = [];
    const codes: string[] = [];
    const local = await startTestServer({
      onError: ({ path, error, status }) => {
        seen.push(path);
        codes.push(`${error.code} ${status}`);
        throw new Error('logger down');
      },
    });
    try {
      const r = await postSoap(local.url, envelope('1.1', '<t:Fail><t:kind>conflict</t:kind></t:Fail>'));
      expect(r.status).toBe(500);
      expect(r.text).toContain('<tns:code>CONFLICT</tns:code>');
      await postSoap(local.url, 'not xml');
      expect(seen).toEqual(['fail', undefined]);
      // A protocol refusal is the client's mistake, with its own code — not an internal error.
      expect(codes).toEqual(['CONFLICT 500', 'PARSE_ERROR 500']);
    } finally {
      await local.close();
    }
  });

  it('with abortOnDisconnect, aborts the procedure signal when the client disconnects', async () => {
    const local = await startTestServer({ abortOnDisconnect: true });
    try {
      const started = new Promise<void>((resolve) => {
        local.store.onHoldStarted = resolve;
      });
      const aborted = new Promise<void>((resolve) => {
        local.store.onHoldAborted = resolve;
      });
      const body = envelope('1.1', '<t:Hold/>');
      const req = request(local.url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' } });
      req.on('error', () => {});
      req.end(body);
      await started;
      req.destroy();
      await aborted;
    } finally {
      await local.close();
    }
  });

  it('by default passes no signal and leaves no close listener behind', async () => {
    const t = initTRPC.meta<SoapProcedureMeta>().create();
    const router = t.router({
      probe: t.procedure
        .meta({ soap: { operation: 'Probe' } })
        .output(z.object({ hasSignal: z.boolean() }))
        .query(({ signal }) => ({ hasSignal: signal !== undefined })),
    });
    const closeListeners: number[] = [];
    const soap = createSoapHandler({ router, namespace: NS, serviceName: 'S', createContext: () => ({}) });
    const local = createServer((req, res) => {
      void soap(req, res).then(() => closeListeners.push(res.listenerCount('close')));
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = local.address() as AddressInfo;
      const r = await postSoap(`http://127.0.0.1:${port}/soap`, envelope('1.1', '<t:Probe/>'));
      expect(r.status).toBe(200);
      expect(r.text).toContain('<tns:hasSignal>false</tns:hasSignal>');
      expect(closeListeners).toHaveLength(1);
      // node:http's own listeners only; none from the adapter.
      const baseline = closeListeners[0]!;
      const withAbort = createSoapHandler({ router, namespace: NS, serviceName: 'S', createContext: () => ({}), abortOnDisconnect: true });
      local.removeAllListeners('request');
      local.on('request', (req, res) => {
        void withAbort(req, res).then(() => closeListeners.push(res.listenerCount('close')));
      });
      const r2 = await postSoap(`http://127.0.0.1:${port}/soap`, envelope('1.1', '<t:Probe/>'));
      expect(r2.text).toContain('<tns:hasSignal>true</tns:hasSignal>');
      expect(closeListeners[1]).toBe(baseline);
    } finally {
      local.closeAllConnections();
      await new Promise<void>((resolve) => local.close(() => resolve()));
    }
  });

  it('renders the response of a frozen (cached) output once per version; a mutable one every time', async () => {
    const t = initTRPC.meta<SoapProcedureMeta>().create();
    let reads = 0;
    let mutableReads = 0;
    // No output schema: the untyped encoder reads the value itself, so the getters count the encodings.
    const cached = Object.freeze({
      get title(): string {
        reads += 1;
        return 'cached';
      },
    });
    const mutable = {
      n: 0,
      get title(): string {
        mutableReads += 1;
        this.n += 1;
        return `fresh ${this.n}`;
      },
    };
    const router = t.router({
      cached: t.procedure.meta({ soap: { operation: 'Cached' } }).query(() => cached),
      fresh: t.procedure.meta({ soap: { operation: 'Fresh' } }).query(() => mutable),
    });
    const soap = createSoapHandler({ router, namespace: NS, serviceName: 'S', createContext: () => ({}) });
    const local = createServer((req, res) => void soap(req, res));
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(local.address() as AddressInfo).port}/soap`;
      for (const version of ['1.1', '1.2', '1.1', '1.2', '1.1'] as const) {
        const r = await postSoap(url, envelope(version, '<t:Cached/>'), { version });
        expect(r.status).toBe(200);
        expect(r.text).toContain('<tns:CachedResponse><tns:title>cached</tns:title></tns:CachedResponse>');
        expect(r.text).toContain(version === '1.1' ? '<soap:Envelope' : '<env:Envelope');
        expect(Number(r.headers.get('content-length'))).toBe(Buffer.byteLength(r.text));
      }
      expect(reads).toBe(2);
      const first = await postSoap(url, envelope('1.1', '<t:Fresh/>'));
      const second = await postSoap(url, envelope('1.1', '<t:Fresh/>'));
      expect(first.text).toContain('<tns:title>fresh 1</tns:title>');
      expect(second.text).toContain('<tns:title>fresh 2</tns:title>');
      expect(mutableReads).toBe(2);
    } finally {
      local.closeAllConnections();
      await new Promise<void>((resolve) => local.close(() => resolve()));
    }
  });

  it('applies configured limits', async () => {
    const local = await startTestServer({ limits: { maxBodyBytes: 2048, maxDepth: 5, maxElements: 20 } });
    try {
      const big = await postSoap(local.url, envelope('1.1', `<t:Echo><t:text>${'x'.repeat(3000)}</t:text></t:Echo>`));
      expect(big.status).toBe(413);
      const deep = await postSoap(local.url, envelope('1.1', '<t:Echo><t:a><t:b><t:c/></t:b></t:a></t:Echo>'));
      expect(deep.text).toContain('nested too deeply');
      const many = await postSoap(local.url, envelope('1.1', `<t:FromCodes>${'<t:codes>65</t:codes>'.repeat(30)}</t:FromCodes>`));
      expect(many.status).toBe(413);
      expect((await postSoap(local.url, envelope('1.1', '<t:Ping/>'))).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});

describe('configuration errors surface at creation', () => {
  it('types createContext by the router context', () => {
    const wrong = () =>
      createSoapHandler({
        router: createNotesRouter(),
        namespace: NS,
        serviceName: 'S',
        // @ts-expect-error the result must be the router's context type
        createContext: () => ({ unrelated: true }),
      });
    expect(typeof wrong).toBe('function');
  });

  it('refuses bad service names, empty namespaces and duplicate operations', () => {
    const router = createNotesRouter();
    const base = { router, createContext: () => ({ res: undefined, security: undefined }) };
    expect(() => createSoapHandler({ ...base, namespace: NS, serviceName: 'Bad Name' })).toThrow(/serviceName/);
    expect(() => createSoapHandler({ ...base, namespace: ' ', serviceName: 'S' })).toThrow(/namespace/);
    const t = initTRPC.meta<SoapProcedureMeta>().create();
    const twice = t.router({
      a: t.procedure.meta({ soap: { operation: 'Same' } }).query(() => 1),
      b: t.procedure.meta({ soap: { operation: 'Same' } }).query(() => 2),
    });
    expect(() => createSoapHandler({ router: twice, namespace: NS, serviceName: 'S', createContext: () => ({}) })).toThrow(/already taken/);
    const clash = t.router({
      a: t.procedure.meta({ soap: { operation: 'Get' } }).query(() => 1),
      b: t.procedure.meta({ soap: { operation: 'GetResponse' } }).query(() => 2),
    });
    expect(() => createSoapHandler({ router: clash, namespace: NS, serviceName: 'S', createContext: () => ({}) })).toThrow(/clashes/);
  });
});

describe('routing and WSDL address', () => {
  it('returns false (gateway 404s) for other paths and 405 for other methods', async () => {
    expect((await fetch(server.url.replace('/soap', '/other'))).status).toBe(404);
    expect((await fetch(server.url.replace('/soap', '/soapx?wsdl'))).status).toBe(404);
    const info = await fetch(server.url);
    expect(info.status).toBe(200);
    expect(await info.text()).toContain(`WSDL at ${server.url}?wsdl`);
    const put = await fetch(server.url, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    const head = await fetch(`${server.url}?wsdl`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
  });

  it('derives the address from Host, honours X-Forwarded-* only with trustProxy, prefers publicUrl', async () => {
    const plain = await (await fetch(server.wsdlUrl, { headers: { 'x-forwarded-host': 'evil.test', 'x-forwarded-proto': 'https' } })).text();
    expect(plain).toContain(`<soap:address location="${server.url}"/>`);
    const proxied = await startTestServer({ trustProxy: true });
    const fixed = await startTestServer({ publicUrl: 'https://api.example.test/soap' });
    try {
      const viaProxy = await (await fetch(proxied.wsdlUrl, { headers: { 'x-forwarded-host': 'api.example.test', 'x-forwarded-proto': 'https' } })).text();
      expect(viaProxy).toContain('<soap:address location="https://api.example.test/soap"/>');
      expect(viaProxy).toContain('<soap12:address location="https://api.example.test/soap"/>');
      const hostile = await (await fetch(proxied.wsdlUrl, { headers: { 'x-forwarded-host': 'a"><x' } })).text();
      expect(hostile).toContain('<soap:address location="http://localhost/soap"/>');
      expect(await (await fetch(fixed.wsdlUrl)).text()).toContain('<soap:address location="https://api.example.test/soap"/>');
    } finally {
      await proxied.close();
      await fixed.close();
    }
  });

  it('serves the bare schema at ?xsd', async () => {
    const r = await fetch(`${server.url}?xsd`);
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><xs:schema /);
  });
});

describe('parity with createCaller', () => {
  it('returns the same data through SOAP as through the server-side caller', async () => {
    const callerStore = createNotesStore();
    const local = await startTestServer();
    const router = createNotesRouter(callerStore);
    const caller = router.createCaller({ res: undefined, security: undefined });
    const operations = collectOperations(router);
    const decodeResponse = (operation: string, text: string): unknown => {
      const op = operations.get(operation)!;
      return compileDecoder(op.output)(parseXml(bodyElement(text)));
    };
    try {
      const inputs = [
        { title: 'Alpha & <Omega>', priority: 2, rating: 3.5, price: 19.99, tags: ['a', 'b'], author: { name: 'Ann', email: 'ann@example.com' } },
        { title: 'Beta', priority: 5, status: 'published' as const, tags: [], author: { name: 'Bob' } },
      ];
      for (const input of inputs) {
        const viaCaller = await caller.notes.create(input);
        const xml =
          `<t:CreateNote><t:title>${input.title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</t:title>` +
          ('status' in input ? `<t:status>${input.status}</t:status>` : '') +
          `<t:priority>${input.priority}</t:priority>` +
          ('rating' in input ? `<t:rating>${input.rating}</t:rating><t:price>${input.price}</t:price>` : '') +
          input.tags.map((tag) => `<t:tags>${tag}</t:tags>`).join('') +
          `<t:author><t:name>${input.author.name}</t:name>${'email' in input.author ? `<t:email>${input.author.email}</t:email>` : ''}</t:author></t:CreateNote>`;
        const r = await postSoap(local.url, envelope('1.1', xml));
        expect(decodeResponse('CreateNote', r.text)).toEqual(viaCaller);
      }
      const list = await postSoap(local.url, envelope('1.2', '<t:ListNotes><t:limit>1</t:limit></t:ListNotes>'), { version: '1.2' });
      expect(decodeResponse('ListNotes', list.text)).toEqual(await caller.notes.list({ limit: 1 }));
      const next = await postSoap(local.url, envelope('1.1', '<t:ListNotes><t:limit>1</t:limit><t:cursor>n1</t:cursor></t:ListNotes>'));
      expect(decodeResponse('ListNotes', next.text)).toEqual(await caller.notes.list({ limit: 1, cursor: 'n1' }));
      const get = await postSoap(local.url, envelope('1.1', '<t:GetNote><t:id>n2</t:id></t:GetNote>'));
      expect(decodeResponse('GetNote', get.text)).toEqual(await caller.notes.get({ id: 'n2' }));
    } finally {
      await local.close();
    }
  });
});
