import { isNcName } from './xml-text.ts';

/**
 * The XML view of a zod schema, derived from `z.toJSONSchema()`. One model drives the XSD, the
 * request decoder and the response encoder, so the three can never disagree.
 */
export type ScalarXsd =
  | 'string'
  | 'boolean'
  | 'int'
  | 'long'
  | 'integer'
  | 'double'
  | 'decimal'
  | 'dateTime'
  | 'date'
  | 'time'
  /** Anything XSD cannot describe (unions, records, unknown): JSON text in an xs:string. */
  | 'json';

export interface Facets {
  enumeration?: string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minInclusive?: number;
  maxInclusive?: number;
  minExclusive?: number;
  maxExclusive?: number;
  fractionDigits?: number;
}

export interface ScalarType {
  kind: 'scalar';
  xsd: ScalarXsd;
  facets: Facets;
}

export interface ObjectType {
  kind: 'object';
  fields: Field[];
  byName: Map<string, Field>;
  /** Set for `$ref`'d (possibly recursive) schemas: emitted once as a global named complexType. */
  name?: string;
}

/** An array nested in an array: a wrapper element whose `item` children are the entries. */
export interface ListType {
  kind: 'list';
  item: Field;
}

export type XType = ScalarType | ObjectType | ListType;

export interface Field {
  name: string;
  type: XType;
  /** Array field: the element repeats once per entry. */
  repeated: boolean;
  minOccurs: number;
  /** Undefined = unbounded (only for repeated fields); 1 otherwise. */
  maxOccurs: number | undefined;
  /** Each occurrence may be `xsi:nil` (for repeated fields: the array's items are nullable). */
  nullable: boolean;
  /** Repeated field whose array itself is nullable: a single `xsi:nil` element stands for `null`. */
  listNullable?: boolean;
  /** Present in JSON Schema `required` (optional and defaulted fields are not). */
  required: boolean;
}

/** How an operation's input or output maps onto the wrapper element's children. */
export type Shape =
  | { mode: 'none' }
  | { mode: 'object'; type: ObjectType }
  /** A non-object value carried in one child element (`input` or `result`). */
  | { mode: 'wrapped'; type: ObjectType; field: string }
  /** No schema known (procedure without `.output()`): elements written from the value itself. */
  | { mode: 'untyped' };

type Json = Record<string, unknown>;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export class SchemaMappingError extends Error {}

function asJson(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function typesOf(schema: Json): string[] {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

interface Resolver {
  root: Json;
  defs: Json;
  depth: number;
  /** Prefix making named types unique per wrapper element (`GetNoteResponse_Category`). */
  prefix: string;
  /** `$ref` → its named object type (shared, so recursion becomes a cycle, not an explosion). */
  named: Map<string, ObjectType>;
}

function refTarget(ref: string, resolver: Resolver): Json | undefined {
  if (ref === '#') return resolver.root;
  if (ref.startsWith('#/$defs/')) return asJson(resolver.defs[ref.slice(8)]);
  return undefined;
}

function isObjectSchema(schema: Json): boolean {
  return typesOf(schema).length === 1 && schema.type === 'object' && schema.properties !== undefined;
}

/**
 * Unwraps `anyOf [X, null]` into X + nullable and follows local `$ref`s: references to object
 * schemas are returned as `ref` (they become named types), others are inlined.
 */
function normalise(schema: Json, resolver: Resolver): { schema: Json; nullable: boolean; ref?: string } {
  let current = schema;
  let nullable = false;
  for (let hops = 0; hops < 16; hops += 1) {
    const ref = current.$ref;
    if (typeof ref === 'string') {
      const target = refTarget(ref, resolver) ?? {};
      if (isObjectSchema(target)) return { schema: target, nullable, ref };
      current = { ...target, ...withoutKey(current, '$ref') };
      continue;
    }
    const anyOf = current.anyOf ?? current.oneOf;
    if (Array.isArray(anyOf)) {
      const options = anyOf.map(asJson);
      const nonNull = options.filter((o) => !(o.type === 'null'));
      if (nonNull.length !== options.length) nullable = true;
      if (nonNull.length === 1) {
        current = { ...withoutKey(withoutKey(current, 'anyOf'), 'oneOf'), ...nonNull[0] };
        continue;
      }
    }
    const types = typesOf(current);
    if (types.includes('null')) {
      nullable = true;
      const rest = types.filter((t) => t !== 'null');
      current = { ...current, type: rest.length === 1 ? rest[0] : rest };
    }
    return { schema: current, nullable };
  }
  return { schema: {}, nullable };
}

function withoutKey(schema: Json, key: string): Json {
  const { [key]: _removed, ...rest } = schema;
  return rest;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** JSON Schema (ECMAScript) regexes → XSD regexes, only when the translation is certain. */
function xsdPattern(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string' || !pattern.startsWith('^') || !pattern.endsWith('$')) return undefined;
  const body = pattern.slice(1, -1);
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    if (c === '\\') {
      const next = body[i + 1];
      // XSD allows only these escapes; `\/`, `\b`, back-references... would make the schema invalid.
      if (next === undefined || !'nrt\\|.?*+(){}-[]^sSdDwWiIcC'.includes(next)) return undefined;
      i += 1;
      continue;
    }
    if (c === '$' || (c === '^' && body[i - 1] !== '[')) return undefined;
    if (c === '(' && body[i + 1] === '?') return undefined;
    if ((c === '*' || c === '+' || c === '?' || c === '}') && body[i + 1] === '?') return undefined;
  }
  return body;
}

function scalarOf(schema: Json, type: string): ScalarType {
  const facets: Facets = {};
  if (Array.isArray(schema.enum)) facets.enumeration = schema.enum.map(String);
  else if (schema.const !== undefined && schema.const !== null) facets.enumeration = [String(schema.const)];
  if (type === 'string') {
    const format = schema.format;
    let xsd: ScalarXsd = 'string';
    if (format === 'date-time') xsd = 'dateTime';
    else if (format === 'date') xsd = 'date';
    else if (format === 'time') xsd = 'time';
    if (xsd === 'string') {
      facets.minLength = num(schema.minLength);
      facets.maxLength = num(schema.maxLength);
      // Formats (email, uuid...) carry ECMAScript-only patterns: zod still enforces them.
      if (format === undefined) facets.pattern = xsdPattern(schema.pattern);
    }
    return { kind: 'scalar', xsd, facets };
  }
  if (type === 'boolean') return { kind: 'scalar', xsd: 'boolean', facets: {} };
  facets.minInclusive = num(schema.minimum);
  facets.maxInclusive = num(schema.maximum);
  facets.minExclusive = num(schema.exclusiveMinimum);
  facets.maxExclusive = num(schema.exclusiveMaximum);
  if (type === 'integer') {
    const lo = facets.minInclusive ?? (facets.minExclusive !== undefined ? facets.minExclusive + 1 : undefined);
    const hi = facets.maxInclusive ?? (facets.maxExclusive !== undefined ? facets.maxExclusive - 1 : undefined);
    const fitsInt = lo !== undefined && hi !== undefined && lo >= INT32_MIN && hi <= INT32_MAX;
    const fitsLong = lo !== undefined && hi !== undefined && Number.isSafeInteger(lo) && Number.isSafeInteger(hi);
    return { kind: 'scalar', xsd: fitsInt ? 'int' : fitsLong ? 'long' : 'integer', facets };
  }
  const step = num(schema.multipleOf);
  if (step !== undefined && step > 0 && step < 1) {
    // A decimal step (e.g. 0.01 for money) means exact decimals, not binary floating point.
    const digits = Math.round(-Math.log10(step));
    if (Math.abs(10 ** -digits - step) < 1e-12) facets.fractionDigits = digits;
    return { kind: 'scalar', xsd: 'decimal', facets };
  }
  if (step !== undefined && Number.isInteger(step)) return { kind: 'scalar', xsd: 'integer', facets };
  return { kind: 'scalar', xsd: 'double', facets };
}

function jsonScalar(): ScalarType {
  return { kind: 'scalar', xsd: 'json', facets: {} };
}

/** Builds a field (element) for a property schema. */
function fieldOf(name: string, raw: unknown, required: boolean, resolver: Resolver, where: string): Field {
  if (!isNcName(name)) {
    throw new SchemaMappingError(`${where}: property '${name}' is not a valid XML element name`);
  }
  const { schema, nullable, ref } = normalise(asJson(raw), resolver);
  if (ref !== undefined) {
    const type = namedObject(ref, schema, resolver, where);
    return { name, type, repeated: false, minOccurs: required ? 1 : 0, maxOccurs: 1, nullable, required };
  }
  const types = typesOf(schema);
  if (types.length === 1 && types[0] === 'array') {
    const item = fieldOf('item', schema.items, true, resolver, `${where}.${name}`);
    const minItems = num(schema.minItems) ?? 0;
    const maxItems = num(schema.maxItems);
    if (item.repeated) {
      // Array of arrays: each entry becomes a wrapper element holding `item` children.
      return {
        name,
        type: { kind: 'list', item },
        repeated: true,
        minOccurs: required ? minItems : 0,
        maxOccurs: maxItems,
        nullable: nullable,
        listNullable: nullable,
        required,
      };
    }
    return {
      name,
      type: item.type,
      repeated: true,
      minOccurs: required ? minItems : 0,
      maxOccurs: maxItems,
      nullable: item.nullable || nullable,
      listNullable: nullable,
      required,
    };
  }
  return { name, type: typeOf(schema, types, resolver, `${where}.${name}`), repeated: false, minOccurs: required ? 1 : 0, maxOccurs: 1, nullable, required };
}

function typeOf(schema: Json, types: string[], resolver: Resolver, where: string): XType {
  if (resolver.depth > 24) return jsonScalar();
  if (types.length === 1) {
    const [type] = types as [string];
    if (type === 'object') {
      if (schema.properties === undefined && schema.additionalProperties !== undefined) return jsonScalar();
      return objectOf(schema, { ...resolver, depth: resolver.depth + 1 }, where);
    }
    if (type === 'string' || type === 'boolean' || type === 'integer' || type === 'number') return scalarOf(schema, type);
  }
  if (types.length === 0 && Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) {
    return scalarOf(schema, 'string');
  }
  return jsonScalar();
}

function typeNameOf(ref: string, resolver: Resolver): string {
  const raw = ref === '#' ? 'Self' : ref.slice(8);
  const generated = /^__schema(\d+)$/.exec(raw);
  const base = generated ? `Type${generated[1]}` : raw.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${resolver.prefix}_${base}`;
}

/** One shared ObjectType per `$ref`, registered before its fields are built (cycles terminate). */
function namedObject(ref: string, schema: Json, resolver: Resolver, where: string): ObjectType {
  const existing = resolver.named.get(ref);
  if (existing) return existing;
  const type: ObjectType = { kind: 'object', fields: [], byName: new Map(), name: typeNameOf(ref, resolver) };
  resolver.named.set(ref, type);
  const built = objectOf(schema, resolver, where);
  type.fields.push(...built.fields);
  for (const [key, field] of built.byName) type.byName.set(key, field);
  return type;
}

function objectOf(schema: Json, resolver: Resolver, where: string): ObjectType {
  const properties = asJson(schema.properties);
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const fields = Object.keys(properties).map((name) =>
    fieldOf(name, properties[name], required.has(name), resolver, where),
  );
  return { kind: 'object', fields, byName: new Map(fields.map((f) => [f.name, f])) };
}

/**
 * Maps a procedure's JSON Schema onto the wrapper element's content.
 * `wrapName` names the single child used when the value is not an object (`input` / `result`).
 */
export function shapeOf(jsonSchema: unknown, wrapName: string, where: string, typePrefix: string): Shape {
  const root = asJson(jsonSchema);
  const resolver: Resolver = {
    root,
    defs: asJson(root.$defs ?? root.definitions),
    depth: 0,
    prefix: typePrefix,
    named: new Map(),
  };
  const meaningful = Object.keys(root).filter((k) => k !== '$schema' && k !== '$defs' && k !== 'definitions');
  if (meaningful.length === 0) return { mode: 'none' };
  const { schema, nullable } = normalise(root, resolver);
  const types = typesOf(schema);
  if (!nullable && types.length === 1 && types[0] === 'object' && schema.properties !== undefined) {
    return { mode: 'object', type: objectOf(schema, resolver, where) };
  }
  const field = fieldOf(wrapName, root, true, resolver, where);
  return { mode: 'wrapped', type: { kind: 'object', fields: [field], byName: new Map([[wrapName, field]]) }, field: wrapName };
}
