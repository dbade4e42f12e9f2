import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RestRequestError } from '../problem.ts';
import { convertSchemas, objectSchemaOf } from './json-schema.ts';
import { buildCoercer, type Coercer, coerceScalar, parseQuery, replaceQueryParam } from './query.ts';

function fieldsOf(schema: z.ZodType): Map<string, Coercer> {
  const converted = convertSchemas([schema], 'input')!;
  const object = objectSchemaOf(converted.schema, converted.defs)!;
  const map = new Map<string, Coercer>();
  for (const [name, prop] of Object.entries(object.properties as Record<string, Record<string, unknown>>)) {
    map.set(name, buildCoercer(prop, converted.defs));
  }
  return map;
}

const Filters = z.object({
  q: z.string().optional(),
  limit: z.number().int().optional(),
  ratio: z.number().optional(),
  on: z.boolean().optional(),
  maybe: z.number().nullable().optional(),
  either: z.union([z.number(), z.string()]).optional(),
  ids: z.array(z.number().int()).optional(),
  names: z.array(z.string()).optional(),
  range: z.object({ min: z.number().optional(), max: z.number().optional() }).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  mode: z.enum(['a', 'b']).optional(),
  level: z.literal(3).optional(),
});
const fields = fieldsOf(Filters);

function status(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof RestRequestError ? error.status : -1;
  }
}

describe('parseQuery', () => {
  it('coerces by the JSON schema and leaves strings alone', () => {
    expect(parseQuery('q=42&limit=42&ratio=-1.5e3&on=false&maybe=null&either=7&mode=a&level=3', fields)).toEqual({
      q: '42',
      limit: 42,
      ratio: -1500,
      on: false,
      maybe: null,
      either: '7',
      mode: 'a',
      level: 3,
    });
  });

  it('keeps malformed numbers and booleans as strings so zod reports them', () => {
    expect(parseQuery('limit=12abc&on=1&ratio=0x10&maybe=', fields)).toEqual({ limit: '12abc', on: '1', ratio: '0x10', maybe: '' });
    expect(Filters.safeParse(parseQuery('limit=12abc', fields)).success).toBe(false);
  });

  it('collects repeated values for arrays only, coercing items', () => {
    expect(parseQuery('ids=1&ids=2&names=x&names=1', fields)).toEqual({ ids: [1, 2], names: ['x', '1'] });
    expect(parseQuery('ids=1', fields)).toEqual({ ids: [1] });
    expect(status(() => parseQuery('limit=1&limit=1', fields))).toBe(400);
  });

  it('reads deepObject keys for objects and records', () => {
    expect(parseQuery('range[min]=1&range[max]=2.5&labels[color]=red', fields)).toEqual({ range: { min: 1, max: 2.5 }, labels: { color: 'red' } });
    expect(status(() => parseQuery('range[avg]=1', fields))).toBe(400);
    expect(status(() => parseQuery('range=1', fields))).toBe(400);
    expect(status(() => parseQuery('range[min]=1&range[min]=2', fields))).toBe(400);
    expect(status(() => parseQuery('q[x]=1', fields))).toBe(400);
    expect(status(() => parseQuery('labels[constructor]=1', fields))).toBe(400);
  });

  it('rejects unknown names, comma lists are plain strings, empty pairs are skipped', () => {
    expect(status(() => parseQuery('nope=1', fields))).toBe(400);
    expect(parseQuery('names=a,b&&', fields)).toEqual({ names: ['a,b'] });
    expect(parseQuery('', fields)).toEqual({});
    expect(parseQuery('q', fields)).toEqual({ q: '' });
  });

  it('rejects malformed encoding in names and values', () => {
    expect(status(() => parseQuery('q=%E0%A4', fields))).toBe(400);
    expect(status(() => parseQuery('q%ZZ=1', fields))).toBe(400);
    expect(parseQuery('q=%E2%82%AC+1', fields)).toEqual({ q: '€ 1' });
  });
});

describe('coerceScalar', () => {
  it('does not turn arbitrary strings into numbers', () => {
    const number: Coercer = { kind: 'scalar', types: new Set(['number']) };
    for (const raw of ['', ' 1', '1 ', '+1', '01', '1.', '.5', 'Infinity', 'NaN', '1e']) expect(coerceScalar(raw, number), raw).toBe(raw);
    expect(coerceScalar('0', number)).toBe(0);
    expect(coerceScalar('-0.25', number)).toBe(-0.25);
  });
});

describe('replaceQueryParam', () => {
  it('keeps other parameters verbatim and replaces the named one', () => {
    expect(replaceQueryParam('a=1&cursor=old&b=%20', 'cursor', 'n 2')).toBe('a=1&b=%20&cursor=n%202');
    expect(replaceQueryParam('', 'cursor', 'x')).toBe('cursor=x');
  });
});
