import type { SoapFieldIssue } from '../types.ts';
import { XSI } from './namespaces.ts';
import type { Field, ObjectType, ScalarType, Shape, XType } from './schema-model.ts';
import { SoapProtocolError } from './soap-error.ts';
import { type XmlElement, isBlank } from './xml-tree.ts';
import { escapeText } from './xml-text.ts';

/** Turns an operation wrapper element into the procedure input. */
export type Decoder = (wrapper: XmlElement) => unknown;
/** Appends the children of the response wrapper element for an output value. */
export type Encoder = (value: unknown, out: string[]) => void;

type DecodeFn = (el: XmlElement, path: string, issues: SoapFieldIssue[]) => unknown;
type EncodeFn = (name: string, value: unknown, out: string[]) => void;

const NIL_KEY = `{${XSI}}nil`;
const MAX_ISSUES = 50;

function isNil(el: XmlElement): boolean {
  const nil = el.attrs.get(NIL_KEY);
  return nil !== undefined && (nil.trim() === 'true' || nil.trim() === '1');
}

const INTEGER = /^[+-]?[0-9]+$/;
const DECIMAL = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;
const DOUBLE = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

function scalarDecoder(type: ScalarType): DecodeFn {
  const xsd = type.xsd;
  return (el, path, issues) => {
    if (el.children.length > 0) {
      issues.push({ path, message: 'Expected a simple value, found child elements' });
      return undefined;
    }
    const text = el.text;
    switch (xsd) {
      case 'string':
      case 'dateTime':
      case 'date':
      case 'time':
        return text;
      case 'boolean': {
        const t = text.trim();
        if (t === 'true' || t === '1') return true;
        if (t === 'false' || t === '0') return false;
        issues.push({ path, message: 'Expected a boolean (true, false, 1 or 0)' });
        return undefined;
      }
      case 'int':
      case 'long':
      case 'integer': {
        const t = text.trim();
        const n = Number(t);
        if (!INTEGER.test(t) || !Number.isSafeInteger(n)) {
          issues.push({ path, message: 'Expected an integer' });
          return undefined;
        }
        return n;
      }
      case 'decimal':
      case 'double': {
        const t = text.trim();
        if (xsd === 'double' && (t === 'INF' || t === '-INF' || t === 'NaN')) {
          return t === 'NaN' ? Number.NaN : t === 'INF' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        }
        if (!(xsd === 'double' ? DOUBLE : DECIMAL).test(t)) {
          issues.push({ path, message: 'Expected a number' });
          return undefined;
        }
        return Number(t);
      }
      case 'json': {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      }
    }
  };
}

function typeDecoder(type: XType): DecodeFn {
  if (type.kind === 'scalar') return scalarDecoder(type);
  if (type.kind === 'object') return objectDecoder(type);
  const item = fieldDecoders([type.item]);
  return (el, path, issues) => {
    const result = decodeChildren(el, path, issues, item);
    return result.item ?? [];
  };
}

interface FieldDecoder {
  field: Field;
  decode: DecodeFn;
}

function fieldDecoders(fields: Field[]): Map<string, FieldDecoder> {
  return new Map(fields.map((field) => [field.name, { field, decode: typeDecoder(field.type) }]));
}

function decodeChildren(
  el: XmlElement,
  path: string,
  issues: SoapFieldIssue[],
  decoders: Map<string, FieldDecoder>,
): Record<string, unknown> {
  // Keys come only from the schema's field names, so no hostile key can reach the object.
  const result: Record<string, unknown> = {};
  if (!isBlank(el.text)) issues.push({ path, message: 'Unexpected text content' });
  for (const child of el.children) {
    const childPath = path === '' ? child.local : `${path}.${child.local}`;
    const entry = decoders.get(child.local);
    if (entry === undefined || (child.ns !== el.ns && child.ns !== '')) {
      if (issues.length < MAX_ISSUES) issues.push({ path: childPath, message: 'Unknown element' });
      continue;
    }
    const nil = isNil(child);
    const value = nil ? null : entry.decode(child, childPath, issues);
    const { name, repeated, listNullable } = entry.field;
    if (repeated && nil && listNullable && !Object.hasOwn(result, name)) {
      // `<f xsi:nil="true"/>` alone is a null array (items that are null need a nullable item schema).
      result[name] = null;
    } else if (repeated && result[name] === null) {
      issues.push({ path: childPath, message: 'A null list cannot have entries' });
    } else if (repeated) {
      const list = (result[name] as unknown[] | undefined) ?? [];
      list.push(value);
      result[name] = list;
    } else if (Object.hasOwn(result, name)) {
      issues.push({ path: childPath, message: 'Element may appear only once' });
    } else {
      result[name] = value;
    }
  }
  for (const { field } of decoders.values()) {
    // An empty required array has no elements at all on the wire.
    if (field.repeated && field.required && !Object.hasOwn(result, field.name)) result[field.name] = [];
  }
  return result;
}

/** Per object type, so shared (recursive) types compile once and cycles terminate. */
const objectDecoders = new WeakMap<ObjectType, DecodeFn>();

function objectDecoder(type: ObjectType): DecodeFn {
  const cached = objectDecoders.get(type);
  if (cached) return cached;
  let decoders: Map<string, FieldDecoder> | undefined;
  const decode: DecodeFn = (el, path, issues) => decodeChildren(el, path, issues, decoders!);
  objectDecoders.set(type, decode);
  decoders = fieldDecoders(type.fields);
  return decode;
}

/**
 * Builds the request decoder once per operation. Child elements must be in the wrapper's namespace
 * (elementFormDefault="qualified"); unknown or repeated single elements are Client faults; zod
 * validates the result afterwards.
 */
export function compileDecoder(shape: Shape): Decoder {
  if (shape.mode === 'none' || shape.mode === 'untyped') {
    return (wrapper) => {
      if (wrapper.children.length > 0 || !isBlank(wrapper.text)) {
        throw new SoapProtocolError('BAD_REQUEST', 'Operation takes no input', {
          issues: wrapper.children.slice(0, MAX_ISSUES).map((c) => ({ path: c.local, message: 'Unknown element' })),
        });
      }
      return undefined;
    };
  }
  const decode = objectDecoder(shape.type);
  const wrapped = shape.mode === 'wrapped' ? shape.field : undefined;
  return (wrapper) => {
    const issues: SoapFieldIssue[] = [];
    const value = decode(wrapper, '', issues) as Record<string, unknown>;
    if (issues.length > 0) {
      throw new SoapProtocolError('BAD_REQUEST', 'Invalid request element', { issues: issues.slice(0, MAX_ISSUES) });
    }
    return wrapped === undefined ? value : value[wrapped];
  };
}

// ---------------------------------------------------------------------------------------------
// Encoding

function formatNumber(value: number, xsd: ScalarType['xsd']): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'INF' : '-INF';
  if (xsd === 'decimal' || xsd === 'int' || xsd === 'long' || xsd === 'integer') {
    // xs:decimal has no exponent form.
    const text = String(value);
    return /e/i.test(text) ? value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : text;
  }
  return String(value);
}

function scalarText(value: unknown, type: ScalarType): string {
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') return formatNumber(value, type.xsd);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return escapeText(JSON.stringify(value) ?? '');
}

function open(name: string): string {
  return `<tns:${name}>`;
}

function typeEncoder(type: XType): EncodeFn {
  if (type.kind === 'scalar') {
    return (name, value, out) => {
      out.push(`<tns:${name}>`, scalarText(value, type), `</tns:${name}>`);
    };
  }
  if (type.kind === 'object') return objectEncoder(type);
  const item = fieldEncoders([type.item]);
  return (name, value, out) => {
    out.push(open(name));
    encodeFields({ item: value }, item, out);
    out.push(`</tns:${name}>`);
  };
}

const objectEncoders = new WeakMap<ObjectType, EncodeFn>();

function objectEncoder(type: ObjectType): EncodeFn {
  const cached = objectEncoders.get(type);
  if (cached) return cached;
  let fields: FieldEncoder[] | undefined;
  const encode: EncodeFn = (name, value, out) => {
    out.push(open(name));
    if (typeof value === 'object' && value !== null) encodeFields(value as Record<string, unknown>, fields!, out);
    out.push(`</tns:${name}>`);
  };
  objectEncoders.set(type, encode);
  fields = fieldEncoders(type.fields);
  return encode;
}

interface FieldEncoder {
  field: Field;
  encode: EncodeFn;
}

function fieldEncoders(fields: Field[]): FieldEncoder[] {
  return fields.map((field) => ({ field, encode: typeEncoder(field.type) }));
}

function encodeOne(entry: FieldEncoder, value: unknown, out: string[]): void {
  if (value === null || value === undefined) {
    out.push(`<tns:${entry.field.name} xsi:nil="true"/>`);
  } else {
    entry.encode(entry.field.name, value, out);
  }
}

/** Writes fields in SCHEMA order (never the object's key order). */
function encodeFields(value: Record<string, unknown>, fields: FieldEncoder[], out: string[]): void {
  for (const entry of fields) {
    const v = value[entry.field.name];
    if (v === undefined) continue;
    if (entry.field.repeated && Array.isArray(v)) {
      for (const item of v) encodeOne(entry, item, out);
    } else {
      encodeOne(entry, v, out);
    }
  }
}

function encodeUntyped(name: string, value: unknown, out: string[], depth: number): void {
  if (value === undefined) return;
  if (value === null) {
    out.push(`<tns:${name} xsi:nil="true"/>`);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) encodeUntyped(name, item, out, depth + 1);
    return;
  }
  if (typeof value === 'object' && !(value instanceof Date) && depth < 32) {
    out.push(open(name));
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) encodeUntyped(key, v, out, depth + 1);
    }
    out.push(`</tns:${name}>`);
    return;
  }
  out.push(open(name), scalarText(value, { kind: 'scalar', xsd: 'string', facets: {} }), `</tns:${name}>`);
}

/** Builds the response encoder once per operation. */
export function compileEncoder(shape: Shape): Encoder {
  if (shape.mode === 'none') return () => {};
  if (shape.mode === 'untyped') {
    return (value, out) => {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
          if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) encodeUntyped(key, v, out, 1);
        }
      } else {
        encodeUntyped('result', value, out, 1);
      }
    };
  }
  const fields = fieldEncoders(shape.type.fields);
  if (shape.mode === 'wrapped') {
    const name = shape.field;
    return (value, out) => encodeFields({ [name]: value }, fields, out);
  }
  return (value, out) => {
    if (typeof value === 'object' && value !== null) encodeFields(value as Record<string, unknown>, fields, out);
  };
}
