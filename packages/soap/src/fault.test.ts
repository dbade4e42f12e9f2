import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { renderSoapFault, soapVersionOf } from './fault.ts';
import { parseXml } from './internal/xml-parser.ts';

const NS = 'urn:triport:soap:v1';

describe('renderSoapFault (for errors raised before a procedure runs)', () => {
  it('renders a rate-limit error as SOAP 1.1 with HTTP 429', () => {
    const fault = renderSoapFault({ error: new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded' }), version: '1.1', namespace: NS, requestId: 'r-1' });
    expect(fault.status).toBe(429);
    expect(fault.contentType).toBe('text/xml; charset=utf-8');
    expect(fault.body).toContain('<faultcode>soap:Client</faultcode><faultstring>Rate limit exceeded</faultstring>');
    expect(fault.body).toContain('<tns:code>TOO_MANY_REQUESTS</tns:code>');
    expect(fault.body).toContain('<tns:requestId>r-1</tns:requestId>');
    // Well-formed and parseable by our own hardened parser.
    expect(parseXml(fault.body).local).toBe('Envelope');
  });

  it('renders an auth error as SOAP 1.2 Sender with HTTP 401', () => {
    const fault = renderSoapFault({ error: new TRPCError({ code: 'UNAUTHORIZED', message: 'Who are you?' }), version: '1.2', namespace: NS, requestId: 'r-2' });
    expect(fault.status).toBe(401);
    expect(fault.contentType).toBe('application/soap+xml; charset=utf-8');
    expect(fault.body).toContain('<env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>tns:UNAUTHORIZED</env:Value></env:Subcode></env:Code>');
    expect(fault.body).toContain('<env:Reason><env:Text xml:lang="en">Who are you?</env:Text></env:Reason>');
  });

  it('never lets internals out of a plain Error, an INTERNAL_SERVER_ERROR or a cause', () => {
    for (const error of [
      new Error('password=hunter2 at /srv/db.ts:1'),
      new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'SELECT * FROM users', cause: new Error('x') }),
      'a thrown string',
      { message: 'an object' },
    ]) {
      for (const version of ['1.1', '1.2'] as const) {
        const fault = renderSoapFault({ error, version, namespace: NS, requestId: 'r' });
        expect(fault.status).toBe(500);
        expect(fault.body).toContain('Internal server error');
        expect(fault.body).not.toMatch(/hunter2|SELECT|srv|thrown string|an object/);
      }
    }
  });

  it('escapes messages and request ids', () => {
    const fault = renderSoapFault({ error: new TRPCError({ code: 'CONFLICT', message: '<b>&"\'</b>' }), version: '1.1', namespace: NS, requestId: '<id>' });
    expect(fault.body).toContain('<faultstring>&lt;b&gt;&amp;"\'&lt;/b&gt;</faultstring>');
    expect(fault.body).toContain('<tns:requestId>&lt;id&gt;</tns:requestId>');
    expect(parseXml(fault.body).local).toBe('Envelope');
  });
});

describe('soapVersionOf', () => {
  it('reads the media type', () => {
    expect(soapVersionOf('application/soap+xml; charset=utf-8; action="x"')).toBe('1.2');
    expect(soapVersionOf('text/xml')).toBe('1.1');
    expect(soapVersionOf(undefined)).toBe('1.1');
  });
});
