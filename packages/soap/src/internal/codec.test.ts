import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileDecoder, compileEncoder } from './codec.ts';
import { shapeOf } from './schema-model.ts';
import { SoapProtocolError } from './soap-error.ts';
import { parseXml } from './xml-parser.ts';

const NS = 'urn:test';

function shape(schema: z.ZodType, io: 'input' | 'output' = 'input', wrap = 'input') {
  return shapeOf(z.toJSONSchema(schema, { io, unrepresentable: 'any' }), wrap, 'test', 'Op');
}

function decode(schema: z.ZodType, inner: string): unknown {
  return compileDecoder(shape(schema))(parseXml(`<t:Op xmlns:t="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${inner}</t:Op>`));
}

function encode(schema: z.ZodType, value: unknown): string {
  return compileEncoder(shape(schema, 'output', 'result'))(value);
}

describe('decoder', () => {
  it('shapes values by schema', () => {
    const schema = z.object({
      s: z.string(),
      n: z.number(),
      i: z.int(),
      b: z.boolean(),
      list: z.array(z.int()),
      obj: z.object({ x: z.string().optional() }),
      maybe: z.string().nullable(),
      grid: z.array(z.array(z.string())),
    });
    const value = decode(
      schema,
      '<t:s> 007 </t:s><t:n>-1.5e3</t:n><t:i>+42</t:i><t:b>1</t:b><t:list>1</t:list><t:list>2</t:list>' +
        '<t:obj/><t:maybe xsi:nil="true"/><t:grid><t:item>a</t:item><t:item>b</t:item></t:grid><t:grid/>',
    );
    expect(value).toEqual({ s: ' 007 ', n: -1500, i: 42, b: true, list: [1, 2], obj: {}, maybe: null, grid: [['a', 'b'], []] });
  });

  it('tells a null list from a list of nulls', () => {
    const schema = z.object({ list: z.array(z.string()).nullable(), items: z.array(z.string().nullable()) });
    expect(decode(schema, '<t:list xsi:nil="true"/><t:items xsi:nil="true"/><t:items>a</t:items>')).toEqual({ list: null, items: [null, 'a'] });
    expect(decode(schema, '<t:list>a</t:list><t:list>b</t:list>')).toEqual({ list: ['a', 'b'], items: [] });
    expect(() => decode(schema, '<t:list xsi:nil="true"/><t:list>a</t:list>')).toThrow(SoapProtocolError);
    expect(encode(schema, { list: null, items: [null, 'a'] })).toBe('<tns:list xsi:nil="true"/><tns:items xsi:nil="true"/><tns:items>a</tns:items>');
  });

  it('accepts unqualified children (lenient for hand-written clients)', () => {
    expect(decode(z.object({ a: z.string() }), '<a>x</a>')).toEqual({ a: 'x' });
  });

  it('refuses children from other namespaces, text in objects and bad scalars with per-field issues', () => {
    const schema = z.object({ a: z.string(), n: z.int(), b: z.boolean(), o: z.object({ k: z.string() }) });
    try {
      decode(schema, '<x:a xmlns:x="urn:other">1</x:a><t:n>1.5</t:n><t:b>yes</t:b><t:o>stray<t:k>v</t:k></t:o><t:a><t:deep/></t:a>');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SoapProtocolError);
      expect((error as SoapProtocolError).issues).toEqual([
        { path: 'a', message: 'Unknown element' },
        { path: 'n', message: 'Expected an integer' },
        { path: 'b', message: 'Expected a boolean (true, false, 1 or 0)' },
        { path: 'o', message: 'Unexpected text content' },
        { path: 'a', message: 'Expected a simple value, found child elements' },
      ]);
    }
  });

  it('refuses integers beyond the safe range instead of rounding', () => {
    expect(() => decode(z.object({ n: z.int() }), '<t:n>9007199254740993</t:n>')).toThrow(SoapProtocolError);
  });

  it('carries non-object inputs in an <input> element and JSON for what XSD cannot say', () => {
    expect(decode(z.string(), '<t:input>hello</t:input>')).toBe('hello');
    expect(decode(z.object({ u: z.union([z.string(), z.number()]), r: z.record(z.string(), z.int()) }), '<t:u>12</t:u><t:r>{"a":1}</t:r>')).toEqual({
      u: 12,
      r: { a: 1 },
    });
    expect(decode(z.object({ u: z.union([z.string(), z.number()]) }), '<t:u>plain text</t:u>')).toEqual({ u: 'plain text' });
  });

  it('refuses any content for an operation without input', () => {
    expect(() => compileDecoder({ mode: 'none' })(parseXml(`<t:Op xmlns:t="${NS}"><t:x/></t:Op>`))).toThrow(SoapProtocolError);
    expect(compileDecoder({ mode: 'none' })(parseXml(`<t:Op xmlns:t="${NS}"> </t:Op>`))).toBeUndefined();
  });
});

describe('encoder', () => {
  it('writes schema order, nil for null, nothing for undefined, repeated elements for arrays', () => {
    const schema = z.object({ a: z.string(), b: z.int().nullable(), c: z.array(z.string()), d: z.string().optional() });
    expect(encode(schema, { d: undefined, c: ['x', 'y'], b: null, a: 'A&B' })).toBe(
      '<tns:a>A&amp;B</tns:a><tns:b xsi:nil="true"/><tns:c>x</tns:c><tns:c>y</tns:c>',
    );
  });

  it('formats numbers per XSD type (decimal without exponent, double INF)', () => {
    const schema = z.object({ money: z.number().multipleOf(0.01), ratio: z.number(), big: z.int() });
    expect(encode(schema, { money: 1e-7, ratio: Number.POSITIVE_INFINITY, big: 2 ** 53 - 1 })).toBe(
      '<tns:money>0.0000001</tns:money><tns:ratio>INF</tns:ratio><tns:big>9007199254740991</tns:big>',
    );
  });

  it('wraps non-object outputs in <result> elements', () => {
    expect(encode(z.array(z.object({ id: z.string() })), [{ id: '1' }, { id: '2' }])).toBe(
      '<tns:result><tns:id>1</tns:id></tns:result><tns:result><tns:id>2</tns:id></tns:result>',
    );
    expect(encode(z.string(), 'x<y')).toBe('<tns:result>x&lt;y</tns:result>');
  });

  it('writes values XSD cannot describe as JSON text', () => {
    expect(encode(z.object({ r: z.record(z.string(), z.int()) }), { r: { a: 1 } })).toBe('<tns:r>{"a":1}</tns:r>');
  });

  it('writes untyped outputs from the value itself, skipping keys that are not XML names', () => {
    const xml = compileEncoder({ mode: 'untyped' })({ ok: true, 'bad key': 1, list: [1, 2], nested: { v: null } });
    expect(xml).toBe('<tns:ok>true</tns:ok><tns:list>1</tns:list><tns:list>2</tns:list><tns:nested><tns:v xsi:nil="true"/></tns:nested>');
  });
});
