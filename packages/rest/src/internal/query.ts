import { type JsonSchema, resolveRef } from './json-schema.ts';
import { RestRequestError } from '../problem.ts';

/**
 * How one input field is read from strings (query, path, header), derived once from the input's
 * JSON schema. Strings are only *converted* here; zod still validates the result.
 */
export type Coercer =
  | { kind: 'scalar'; types: ReadonlySet<string> }
  | { kind: 'array'; item: Coercer }
  | { kind: 'object'; props: ReadonlyMap<string, Coercer>; extra: Coercer | undefined };

const ANY: Coercer = { kind: 'scalar', types: new Set() };
const MAX_SCHEMA_DEPTH = 12;

/** Keys that could reach an object's prototype if some later code merged objects naively. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function collectTypes(schema: JsonSchema, defs: Record<string, JsonSchema>, into: Set<string>, depth: number) {
  const s = resolveRef(schema, defs);
  if (depth > MAX_SCHEMA_DEPTH) return;
  const type = s.type;
  if (typeof type === 'string') into.add(type);
  else if (Array.isArray(type)) for (const t of type) into.add(String(t));
  if ('const' in s) into.add(s.const === null ? 'null' : typeof s.const);
  if (Array.isArray(s.enum)) for (const v of s.enum) into.add(v === null ? 'null' : typeof v);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches)) for (const b of branches) collectTypes(b as JsonSchema, defs, into, depth + 1);
  }
}

function branchesOf(s: JsonSchema): JsonSchema[] {
  const list = s.anyOf ?? s.oneOf;
  return Array.isArray(list) ? (list as JsonSchema[]) : [s];
}

/** Builds the coercer of one field from its JSON schema. */
export function buildCoercer(schema: JsonSchema, defs: Record<string, JsonSchema>, depth = 0): Coercer {
  if (depth > MAX_SCHEMA_DEPTH) return ANY;
  const s = resolveRef(schema, defs);
  for (const branch of branchesOf(s)) {
    const b = resolveRef(branch, defs);
    if (b.type === 'array' || (Array.isArray(b.type) && b.type.includes('array'))) {
      const items = (b.items ?? {}) as JsonSchema;
      return { kind: 'array', item: buildCoercer(items, defs, depth + 1) };
    }
    if (b.type === 'object' && b.properties && typeof b.properties === 'object') {
      const props = new Map<string, Coercer>();
      for (const [name, prop] of Object.entries(b.properties as Record<string, JsonSchema>)) {
        props.set(name, buildCoercer(prop, defs, depth + 1));
      }
      const additional = b.additionalProperties;
      const extra =
        typeof additional === 'object' && additional !== null
          ? buildCoercer(additional as JsonSchema, defs, depth + 1)
          : undefined;
      return { kind: 'object', props, extra };
    }
    if (b.type === 'object' && typeof b.additionalProperties === 'object') {
      return { kind: 'object', props: new Map(), extra: buildCoercer(b.additionalProperties as JsonSchema, defs, depth + 1) };
    }
  }
  const types = new Set<string>();
  collectTypes(s, defs, types, depth);
  return { kind: 'scalar', types };
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Converts one string by the field's accepted types. A string stays a string when the schema
 * accepts strings (or anything); malformed numbers and booleans stay strings so zod reports them.
 */
export function coerceScalar(value: string, coercer: Coercer): unknown {
  if (coercer.kind !== 'scalar') return value;
  const types = coercer.types;
  if (types.size === 0 || types.has('string')) return value;
  if ((types.has('number') || types.has('integer')) && NUMBER.test(value)) return Number(value);
  if (types.has('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (types.has('null') && value === 'null') return null;
  return value;
}

const KEY = /^([A-Za-z0-9_.\-$]+)((?:\[[A-Za-z0-9_.\-$]+\])*)$/;
const MAX_PARAMS = 256;
const MAX_KEY_SEGMENTS = 6;

function decodeComponent(raw: string, what: string): string {
  const plusDecoded = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!plusDecoded.includes('%')) return plusDecoded;
  try {
    return decodeURIComponent(plusDecoded);
  } catch {
    throw new RestRequestError(400, `Malformed percent-encoding or invalid UTF-8 in query ${what}.`);
  }
}

function splitKey(key: string): string[] {
  const match = KEY.exec(key);
  if (!match) throw new RestRequestError(400, `Malformed query parameter name "${key.slice(0, 64)}".`);
  const segments = [match[1]!];
  if (match[2]) for (const part of match[2].slice(1, -1).split('][')) segments.push(part);
  if (segments.length > MAX_KEY_SEGMENTS) throw new RestRequestError(400, `Query parameter "${key}" nests too deeply.`);
  for (const segment of segments) {
    if (FORBIDDEN_KEYS.has(segment)) throw new RestRequestError(400, `Query parameter name "${key}" is not allowed.`);
  }
  return segments;
}

function paramName(segments: readonly string[]): string {
  return segments[0] + segments.slice(1).map((s) => `[${s}]`).join('');
}

type Bag = Record<string, unknown>;

/**
 * Strict query parsing: `name=v`, repeated `name=a&name=b` only for array fields, `name[key]=v`
 * (deepObject) only for object fields. Unknown, repeated or ill-formed parameters are 400s.
 *
 * @param fields top-level input fields that may come from the query, with their coercers
 */
export function parseQuery(rawQuery: string, fields: ReadonlyMap<string, Coercer>): Bag {
  const out: Bag = {};
  if (rawQuery === '') return out;
  const pairs = rawQuery.split('&');
  if (pairs.length > MAX_PARAMS) throw new RestRequestError(400, `Too many query parameters (max ${MAX_PARAMS}).`);
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const key = decodeComponent(rawKey, 'parameter name');
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1), `value of "${key.slice(0, 64)}"`);
    const segments = splitKey(key);
    const name = paramName(segments);
    let coercer = fields.get(segments[0]!);
    if (!coercer) throw new RestRequestError(400, `Unknown query parameter "${name}".`, unknownParam(name));
    let target: Bag = out;
    for (let i = 1; i < segments.length; i++) {
      if (coercer.kind !== 'object') {
        throw new RestRequestError(400, `Query parameter "${paramName(segments.slice(0, i))}" takes no [sub-keys].`, unknownParam(name));
      }
      const parentKey = segments[i - 1]!;
      const existing = Object.hasOwn(target, parentKey) ? target[parentKey] : undefined;
      if (existing !== undefined && (typeof existing !== 'object' || existing === null || Array.isArray(existing))) {
        throw new RestRequestError(400, `Query parameter "${paramName(segments.slice(0, i))}" is given twice.`, repeated(name));
      }
      const child: Bag = (existing as Bag | undefined) ?? {};
      target[parentKey] = child;
      target = child;
      const sub = segments[i]!;
      const next: Coercer | undefined = coercer.props.get(sub) ?? coercer.extra;
      if (!next) throw new RestRequestError(400, `Unknown query parameter "${name}".`, unknownParam(name));
      coercer = next;
    }
    const leaf = segments[segments.length - 1]!;
    if (coercer.kind === 'object') {
      throw new RestRequestError(400, `Query parameter "${name}" is an object: use ${name}[key]=value.`, unknownParam(name));
    }
    if (coercer.kind === 'array') {
      if (coercer.item.kind !== 'scalar') {
        throw new RestRequestError(400, `Query parameter "${name}" cannot be expressed in a query string.`);
      }
      const list = Object.hasOwn(target, leaf) ? target[leaf] : undefined;
      if (list !== undefined && !Array.isArray(list)) throw new RestRequestError(400, `Query parameter "${name}" is given twice.`, repeated(name));
      const array = (list as unknown[] | undefined) ?? [];
      if (array.length >= MAX_PARAMS) throw new RestRequestError(400, `Too many values for "${name}".`);
      array.push(coerceScalar(value, coercer.item));
      target[leaf] = array;
      continue;
    }
    if (Object.hasOwn(target, leaf)) {
      throw new RestRequestError(400, `Query parameter "${name}" is given more than once but takes one value.`, repeated(name));
    }
    target[leaf] = coerceScalar(value, coercer);
  }
  return out;
}

function unknownParam(name: string) {
  return { errors: [{ pointer: `/${name}`, in: 'query' as const, parameter: name, message: 'Unknown parameter', code: 'unrecognized_keys' }] };
}

function repeated(name: string) {
  return { errors: [{ pointer: `/${name}`, in: 'query' as const, parameter: name, message: 'Parameter is repeated', code: 'repeated_parameter' }] };
}

/** Serializes the current query with one parameter replaced (for `Link: rel="next"`). */
export function replaceQueryParam(rawQuery: string, name: string, value: string): string {
  const kept = rawQuery === '' ? [] : rawQuery.split('&').filter((pair) => {
    if (pair === '') return false;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    let key: string;
    try {
      key = decodeURIComponent(rawKey.replaceAll('+', ' '));
    } catch {
      return false;
    }
    return key !== name;
  });
  kept.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  return kept.join('&');
}
