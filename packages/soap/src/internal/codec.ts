import type { SoapFieldIssue } from '../types.ts';
import { XSI } from './namespaces.ts';
import type { Field, ObjectType, ScalarType, Shape, XType } from './schema-model.ts';
import { SoapProtocolError } from './soap-error.ts';
import { type XmlElement, isBlank } from './xml-tree.ts';
import { escapeText } from './xml-text.ts';

/** Turns an operation wrapper element into the procedure input. */
export type Decoder = (wrapper: XmlElement) => unknown;
/** The children of the response wrapper element for an output value, as XML text. */
export type Encoder = (value: unknown) => string;

type DecodeFn = (el: XmlElement, path: string, issues: SoapFieldIssue[]) => unknown;

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

interface FieldDecoders {
  byName: Map<string, FieldDecoder>;
  /** Names of required arrays: absent on the wire when empty, so they default to []. */
  requiredLists: string[];
}

function fieldDecoders(fields: Field[]): FieldDecoders {
  return {
    byName: new Map(fields.map((field) => [field.name, { field, decode: typeDecoder(field.type) }])),
    requiredLists: fields.filter((field) => field.repeated && field.required).map((field) => field.name),
  };
}

function decodeChildren(el: XmlElement, path: string, issues: SoapFieldIssue[], decoders: FieldDecoders): Record<string, unknown> {
  // Keys come only from the schema's field names, so no hostile key can reach the object.
  const result: Record<string, unknown> = {};
  if (!isBlank(el.text)) issues.push({ path, message: 'Unexpected text content' });
  for (const child of el.children) {
    const childPath = path === '' ? child.local : `${path}.${child.local}`;
    const entry = decoders.byName.get(child.local);
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
  for (const name of decoders.requiredLists) {
    // An empty required array has no elements at all on the wire.
    if (!Object.hasOwn(result, name)) result[name] = [];
  }
  return result;
}

/** Per object type, so shared (recursive) types compile once and cycles terminate. */
const objectDecoders = new WeakMap<ObjectType, DecodeFn>();

function objectDecoder(type: ObjectType): DecodeFn {
  const cached = objectDecoders.get(type);
  if (cached) return cached;
  let decoders: FieldDecoders | undefined;
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
    // String(number) writes an exponent as a lower-case 'e' (1e+21, 1e-7).
    return text.includes('e') ? value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : text;
  }
  return String(value);
}

function scalarText(value: unknown, xsd: ScalarType['xsd']): string {
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') return formatNumber(value, xsd);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return escapeText(JSON.stringify(value) ?? '');
}

/** The content of one element (between its tags) for a value that is neither null nor undefined. */
type ContentFn = (value: unknown) => string;

/**
 * One schema field, with its tags built once at startup (not per value). Responses are built by
 * string concatenation: cheaper than collecting parts in an array and joining them.
 */
interface FieldEncoder {
  name: string;
  repeated: boolean;
  open: string;
  close: string;
  nil: string;
  content: ContentFn;
}

function contentOf(type: XType): ContentFn {
  if (type.kind === 'scalar') {
    const xsd = type.xsd;
    return (value) => scalarText(value, xsd);
  }
  if (type.kind === 'object') return objectContent(type);
  const item = fieldEncoders([type.item]);
  return (value) => encodeFields({ item: value }, item);
}

const objectContents = new WeakMap<ObjectType, ContentFn>();

/** Per object type, so shared (recursive) types compile once and cycles terminate. */
function objectContent(type: ObjectType): ContentFn {
  const cached = objectContents.get(type);
  if (cached) return cached;
  let fields: FieldEncoder[] | undefined;
  const content: ContentFn = (value) =>
    typeof value === 'object' && value !== null ? encodeFields(value as Record<string, unknown>, fields!) : '';
  objectContents.set(type, content);
  fields = fieldEncoders(type.fields);
  return content;
}

function fieldEncoders(fields: Field[]): FieldEncoder[] {
  return fields.map((field) => ({
    name: field.name,
    repeated: field.repeated,
    open: `<tns:${field.name}>`,
    close: `</tns:${field.name}>`,
    nil: `<tns:${field.name} xsi:nil="true"/>`,
    content: contentOf(field.type),
  }));
}

function encodeOne(entry: FieldEncoder, value: unknown): string {
  return value === null || value === undefined ? entry.nil : entry.open + entry.content(value) + entry.close;
}

/** Writes fields in SCHEMA order (never the object's key order). */
function encodeFields(value: Record<string, unknown>, fields: FieldEncoder[]): string {
  let xml = '';
  for (const entry of fields) {
    const v = value[entry.name];
    if (v === undefined) continue;
    if (entry.repeated && Array.isArray(v)) {
      for (const item of v) xml += encodeOne(entry, item);
    } else {
      xml += encodeOne(entry, v);
    }
  }
  return xml;
}

const XML_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function encodeUntyped(name: string, value: unknown, depth: number): string {
  if (value === undefined) return '';
  if (value === null) return `<tns:${name} xsi:nil="true"/>`;
  if (Array.isArray(value)) {
    let xml = '';
    for (const item of value) xml += encodeUntyped(name, item, depth + 1);
    return xml;
  }
  if (typeof value === 'object' && !(value instanceof Date) && depth < 32) {
    let xml = `<tns:${name}>`;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (XML_KEY.test(key)) xml += encodeUntyped(key, v, depth + 1);
    }
    return `${xml}</tns:${name}>`;
  }
  return `<tns:${name}>${scalarText(value, 'string')}</tns:${name}>`;
}

/** Builds the response encoder once per operation. */
export function compileEncoder(shape: Shape): Encoder {
  if (shape.mode === 'none') return () => '';
  if (shape.mode === 'untyped') {
    return (value) => {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        let xml = '';
        for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
          if (XML_KEY.test(key)) xml += encodeUntyped(key, v, 1);
        }
        return xml;
      }
      return encodeUntyped('result', value, 1);
    };
  }
  const fields = fieldEncoders(shape.type.fields);
  if (shape.mode === 'wrapped') {
    const name = shape.field;
    return (value) => encodeFields({ [name]: value }, fields);
  }
  return (value) => (typeof value === 'object' && value !== null ? encodeFields(value as Record<string, unknown>, fields) : '');
}
