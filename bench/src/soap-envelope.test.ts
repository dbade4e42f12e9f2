import { describe, expect, it } from 'vitest';
import { parseWsdl, soapEnvelope, soapHeaders } from './soap-envelope.ts';

const wsdl =
  '<?xml version="1.0"?><wsdl:definitions name="S" targetNamespace="urn:triport:soap:v1" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">' +
  '<wsdl:binding name="B11"><wsdl:operation name="GetProduct"><soap:operation soapAction="urn:triport:soap:v1#GetProduct" style="document"/></wsdl:operation>' +
  '<wsdl:operation name="Search"><soap:operation soapAction="urn:a&amp;b" style="document"/></wsdl:operation></wsdl:binding></wsdl:definitions>';

describe('parseWsdl', () => {
  it('finds the target namespace and each SOAPAction', () => {
    expect(parseWsdl(wsdl)).toEqual({
      namespace: 'urn:triport:soap:v1',
      actions: { GetProduct: 'urn:triport:soap:v1#GetProduct', Search: 'urn:a&b' },
    });
  });
  it('rejects a document without a namespace', () => {
    expect(() => parseWsdl('<definitions/>')).toThrow(/targetNamespace/);
  });
});

describe('soapEnvelope', () => {
  it('wraps qualified fields in schema order, repeats arrays and escapes text', () => {
    const xml = soapEnvelope('soap12', 'urn:x', 'Op', { q: 'a<b', tags: ['x', 'y'], page: { size: 2 }, none: undefined });
    expect(xml).toContain('xmlns:soap="http://www.w3.org/2003/05/soap-envelope"');
    expect(xml).toContain('<soap:Body><t:Op><t:q>a&lt;b</t:q><t:tags>x</t:tags><t:tags>y</t:tags><t:page><t:size>2</t:size></t:page></t:Op></soap:Body>');
    expect(xml).not.toContain('none');
  });
  it('adds a header block when given one', () => {
    expect(soapEnvelope('soap11', 'urn:x', 'Op', {}, '<k>1</k>')).toContain('<soap:Header><k>1</k></soap:Header><soap:Body>');
  });
});

describe('soapHeaders', () => {
  it('uses SOAPAction for 1.1 and the action parameter for 1.2', () => {
    expect(soapHeaders('soap11', 'urn:a')).toEqual({ 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"urn:a"' });
    expect(soapHeaders('soap12', 'urn:a')).toEqual({ 'Content-Type': 'application/soap+xml; charset=utf-8; action="urn:a"' });
  });
});
