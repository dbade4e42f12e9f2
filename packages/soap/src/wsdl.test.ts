import { initTRPC } from '@trpc/server';
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createNotesRouter } from './testing/notes-router.ts';
import { NS, type TestServer, envelope, postSoap, startTestServer } from './testing/server.ts';
import { bodyElement, extractSchema, hasXmllint, validateWithXmllint } from './testing/xml-tools.ts';
import type { SoapProcedureMeta } from './types.ts';
import { createWsdl } from './wsdl.ts';

const t = initTRPC.meta<SoapProcedureMeta>().create();

function wsdlFor(input: z.ZodType, output: z.ZodType = z.object({ ok: z.boolean() })): string {
  const router = t.router({ op: t.procedure.meta({ soap: { operation: 'Op' } }).input(input).output(output).query(() => ({ ok: true })) });
  return createWsdl({ router, namespace: NS, serviceName: 'S', address: 'http://example.test/soap' });
}

describe('zod → XSD mapping', () => {
  it('keeps field order and maps optionality, arrays, enums and facets', () => {
    const wsdl = wsdlFor(
      z.object({
        zeta: z.string().min(2).max(9).regex(/^[a-z]+$/),
        alpha: z.int().min(1).max(10).optional(),
        tags: z.array(z.string()).min(1).max(4),
        color: z.enum(['red', 'green']),
        note: z.string().nullable(),
      }),
    );
    const op = wsdl.slice(wsdl.indexOf('<xs:element name="Op">'), wsdl.indexOf('<xs:element name="OpResponse">'));
    expect(op.indexOf('name="zeta"')).toBeLessThan(op.indexOf('name="alpha"'));
    expect(op).toContain('<xs:pattern value="[a-z]+"/><xs:minLength value="2"/><xs:maxLength value="9"/>');
    expect(op).toMatch(/name="alpha" minOccurs="0"><xs:simpleType><xs:restriction base="xs:int"><xs:minInclusive value="1"\/><xs:maxInclusive value="10"\/>/);
    expect(op).toContain('<xs:element name="tags" type="xs:string" maxOccurs="4"/>');
    expect(op).toContain('<xs:enumeration value="red"/><xs:enumeration value="green"/>');
    expect(op).toContain('<xs:element name="note" type="xs:string" nillable="true"/>');
  });

  it('distinguishes int, long, decimal, double and dateTime', () => {
    const wsdl = wsdlFor(
      z.object({
        small: z.int32(),
        big: z.int(),
        money: z.number().multipleOf(0.01),
        ratio: z.number(),
        at: z.iso.datetime(),
        day: z.iso.date(),
        flag: z.boolean(),
      }),
    );
    expect(wsdl).toMatch(/name="small"><xs:simpleType><xs:restriction base="xs:int">/);
    expect(wsdl).toMatch(/name="big"><xs:simpleType><xs:restriction base="xs:long">/);
    expect(wsdl).toMatch(/name="money"><xs:simpleType><xs:restriction base="xs:decimal"><xs:fractionDigits value="2"\/>/);
    expect(wsdl).toContain('<xs:element name="ratio" type="xs:double"/>');
    expect(wsdl).toContain('<xs:element name="at" type="xs:dateTime"/>');
    expect(wsdl).toContain('<xs:element name="day" type="xs:date"/>');
    expect(wsdl).toContain('<xs:element name="flag" type="xs:boolean"/>');
  });

  it('declares both bindings, ports, a fault per operation and the ErrorDetail element', () => {
    const wsdl = wsdlFor(z.object({ a: z.string() }));
    expect(wsdl).toContain('<soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>');
    expect(wsdl).toContain('<soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>');
    expect(wsdl).toContain('<soap:address location="http://example.test/soap"/>');
    expect(wsdl).toContain('<soap12:address location="http://example.test/soap"/>');
    expect(wsdl).toContain('<wsdl:fault name="Fault" message="tns:FaultMessage"/>');
    expect(wsdl).toContain('<soap:fault name="Fault" use="literal"/>');
    expect(wsdl).toContain('<soap12:fault name="Fault" use="literal"/>');
    expect(wsdl).toContain('<xs:element name="ErrorDetail" type="tns:ErrorDetail"/>');
  });

  it('turns a recursive schema into one named, self-referencing complexType', () => {
    interface Node {
      label: string;
      kids: Node[];
      next?: Node | null;
    }
    const node: z.ZodType<Node> = z.object({
      label: z.string(),
      get kids() {
        return z.array(node);
      },
      get next() {
        return node.nullable().optional();
      },
    });
    const wsdl = wsdlFor(z.object({ start: node }), z.object({ a: node, b: node }));
    expect(wsdl).toContain('<xs:element name="start" type="tns:Op_Type0"/>');
    expect(wsdl).toContain(
      '<xs:complexType name="Op_Type0"><xs:sequence><xs:element name="label" type="xs:string"/>' +
        '<xs:element name="kids" type="tns:Op_Type0" minOccurs="0" maxOccurs="unbounded"/>' +
        '<xs:element name="next" type="tns:Op_Type0" minOccurs="0" nillable="true"/></xs:sequence></xs:complexType>',
    );
    expect(wsdl.match(/<xs:complexType name="OpResponse_Type0">/g)).toHaveLength(1);
    expect(wsdl).toContain('<xs:element name="a" type="tns:OpResponse_Type0"/><xs:element name="b" type="tns:OpResponse_Type0"/>');
  });

  it('refuses property names that are not XML names at creation time', () => {
    expect(() => wsdlFor(z.object({ 'not valid': z.string() }))).toThrow(/not a valid XML element name/);
  });

  it('skips regexes XSD cannot express instead of emitting an invalid schema', () => {
    const wsdl = wsdlFor(z.object({ a: z.string().regex(/^a\/b(?=c)$/), b: z.email() }));
    expect(wsdl).not.toContain('xs:pattern');
  });
});

describe.skipIf(!hasXmllint)('xmllint proves schema order and types on real envelopes', () => {
  let server: TestServer;
  let xsd: string;
  beforeAll(async () => {
    server = await startTestServer();
    xsd = extractSchema(await (await fetch(server.wsdlUrl)).text());
  });
  afterAll(() => server.close());

  it('validates node-soap requests and our responses for every operation', async () => {
    const client = await soap.createClientAsync(server.wsdlUrl);
    // node-soap writes arguments in the order given (not schema order): give them in schema order.
    const calls: Array<[string, Record<string, unknown>]> = [
      ['CreateNote', { title: 'T & <b>', priority: 2, rating: 4.5, price: 12.34, tags: ['a', 'b'], author: { name: 'A', email: 'a@example.com' } }],
      ['GetNote', { id: 'n1' }],
      ['ListNotes', { status: 'draft', limit: 5 }],
      ['Echo', { text: ']]><![CDATA[x', count: 2, flag: true }],
      ['FromCodes', { codes: [72, 105] }],
      ['Ping', {}],
      ['WhoAmI', {}],
      ['GetTree', { depth: 2 }],
    ];
    for (const [operation, args] of calls) {
      const method = client[`${operation}Async`] as (a: unknown) => Promise<unknown>;
      await method.call(client, args);
      const request = await validateWithXmllint(xsd, bodyElement(client.lastRequest as string));
      expect(request.output, `${operation} request`).toContain('validates');
      const response = await validateWithXmllint(xsd, bodyElement(client.lastResponse as string));
      expect(response.output, `${operation} response`).toContain('validates');
    }
  });

  it('validates fault details and rejects a response whose order is broken', async () => {
    const fault = await postSoap(server.url, envelope('1.1', '<t:GetNote><t:id>missing</t:id></t:GetNote>'));
    const detail = /<detail>(.*)<\/detail>/.exec(fault.text)![1]!.replace('<tns:ErrorDetail>', `<tns:ErrorDetail xmlns:tns="${NS}">`);
    expect((await validateWithXmllint(xsd, detail)).ok).toBe(true);
    // The same Ping response with an unknown element: xmllint must say no (the check can fail).
    const wrong = `<tns:EchoResponse xmlns:tns="${NS}"><tns:count>1</tns:count><tns:text>x</tns:text><tns:flag>true</tns:flag></tns:EchoResponse>`;
    expect((await validateWithXmllint(xsd, wrong)).ok).toBe(false);
  });

  it('the schema derived from the router compiles on its own', async () => {
    const standalone = extractSchema(
      createWsdl({ router: createNotesRouter(), namespace: NS, serviceName: 'NotesService', address: 'http://x/soap' }),
    );
    const ping = `<tns:Ping xmlns:tns="${NS}"/>`;
    expect((await validateWithXmllint(standalone, ping)).output).toContain('validates');
  });
});
