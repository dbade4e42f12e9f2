import type { Facets, Field, ObjectType, ScalarType, Shape, XType } from './schema-model.ts';
import { escapeAttr } from './xml-text.ts';

/** XSD text for the shapes; prefix `xs:` for XML Schema, `tns:` for the target namespace. */

const BUILTIN: Record<ScalarType['xsd'], string> = {
  string: 'xs:string',
  boolean: 'xs:boolean',
  int: 'xs:int',
  long: 'xs:long',
  integer: 'xs:integer',
  double: 'xs:double',
  decimal: 'xs:decimal',
  dateTime: 'xs:dateTime',
  date: 'xs:date',
  time: 'xs:time',
  json: 'xs:string',
};

function hasFacets(facets: Facets): boolean {
  return Object.values(facets).some((v) => v !== undefined);
}

function facetXml(facets: Facets, base: ScalarType['xsd']): string {
  let xml = '';
  for (const value of facets.enumeration ?? []) xml += `<xs:enumeration value="${escapeAttr(value)}"/>`;
  if (facets.enumeration !== undefined) return xml;
  if (facets.pattern !== undefined) xml += `<xs:pattern value="${escapeAttr(facets.pattern)}"/>`;
  if (facets.minLength !== undefined) xml += `<xs:minLength value="${facets.minLength}"/>`;
  if (facets.maxLength !== undefined) xml += `<xs:maxLength value="${facets.maxLength}"/>`;
  const bound = (n: number): string => (base === 'double' ? String(n) : String(n).includes('e') ? n.toFixed(0) : String(n));
  if (facets.minInclusive !== undefined) xml += `<xs:minInclusive value="${bound(facets.minInclusive)}"/>`;
  if (facets.minExclusive !== undefined) xml += `<xs:minExclusive value="${bound(facets.minExclusive)}"/>`;
  if (facets.maxInclusive !== undefined) xml += `<xs:maxInclusive value="${bound(facets.maxInclusive)}"/>`;
  if (facets.maxExclusive !== undefined) xml += `<xs:maxExclusive value="${bound(facets.maxExclusive)}"/>`;
  if (facets.fractionDigits !== undefined) xml += `<xs:fractionDigits value="${facets.fractionDigits}"/>`;
  return xml;
}

function occurs(field: Field): string {
  let xml = field.minOccurs === 1 ? '' : ` minOccurs="${field.minOccurs}"`;
  if (field.repeated) xml += ` maxOccurs="${field.maxOccurs === undefined ? 'unbounded' : field.maxOccurs}"`;
  if (field.nullable) xml += ' nillable="true"';
  return xml;
}

/** Named (referenced/recursive) types met while writing elements; emitted once, globally. */
export type NamedTypes = Map<string, ObjectType>;

function typeContent(type: XType, named: NamedTypes): { attr: string; body: string } {
  if (type.kind === 'scalar') {
    const base = BUILTIN[type.xsd];
    if (!hasFacets(type.facets)) return { attr: ` type="${base}"`, body: '' };
    return {
      attr: '',
      body: `<xs:simpleType><xs:restriction base="${base}">${facetXml(type.facets, type.xsd)}</xs:restriction></xs:simpleType>`,
    };
  }
  if (type.kind === 'object') {
    if (type.name !== undefined) {
      named.set(type.name, type);
      return { attr: ` type="tns:${type.name}"`, body: '' };
    }
    return { attr: '', body: complexType(type, named) };
  }
  return { attr: '', body: `<xs:complexType><xs:sequence>${elementXml(type.item, named)}</xs:sequence></xs:complexType>` };
}

function documentation(type: XType): string {
  return type.kind === 'scalar' && type.xsd === 'json'
    ? '<xs:annotation><xs:documentation>JSON text (value not expressible in XSD)</xs:documentation></xs:annotation>'
    : '';
}

function elementXml(field: Field, named: NamedTypes): string {
  const { attr, body } = typeContent(field.type, named);
  const doc = documentation(field.type);
  const inner = doc + body;
  return inner === ''
    ? `<xs:element name="${field.name}"${attr}${occurs(field)}/>`
    : `<xs:element name="${field.name}"${attr}${occurs(field)}>${inner}</xs:element>`;
}

function complexType(type: ObjectType, named: NamedTypes, name?: string): string {
  const open = name === undefined ? '<xs:complexType>' : `<xs:complexType name="${name}">`;
  if (type.fields.length === 0) return `${open}<xs:sequence/></xs:complexType>`;
  return `${open}<xs:sequence>${type.fields.map((f) => elementXml(f, named)).join('')}</xs:sequence></xs:complexType>`;
}

/** Global named complexTypes for everything collected in `named` (which may grow while writing). */
export function namedTypesXml(named: NamedTypes): string {
  let xml = '';
  const done = new Set<string>();
  for (let pending = [...named.keys()]; pending.length > 0; pending = [...named.keys()].filter((n) => !done.has(n))) {
    for (const name of pending) {
      done.add(name);
      xml += complexType(named.get(name)!, named, name);
    }
  }
  return xml;
}

/** The global element for an operation's request or response wrapper. */
export function wrapperElementXml(name: string, shape: Shape, named: NamedTypes): string {
  switch (shape.mode) {
    case 'none':
      return `<xs:element name="${name}"><xs:complexType><xs:sequence/></xs:complexType></xs:element>`;
    case 'untyped':
      return `<xs:element name="${name}"><xs:complexType><xs:sequence><xs:any namespace="##any" processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>`;
    default:
      return `<xs:element name="${name}">${complexType(shape.type, named)}</xs:element>`;
  }
}

/** The typed fault detail element and the API-key header element. */
export const COMMON_SCHEMA_XML =
  '<xs:complexType name="ErrorIssue"><xs:sequence>' +
  '<xs:element name="path" type="xs:string"/><xs:element name="message" type="xs:string"/>' +
  '</xs:sequence></xs:complexType>' +
  '<xs:complexType name="ErrorDetail"><xs:sequence>' +
  '<xs:element name="code" type="xs:string"/>' +
  '<xs:element name="message" type="xs:string"/>' +
  '<xs:element name="requestId" type="xs:string"/>' +
  '<xs:element name="issue" type="tns:ErrorIssue" minOccurs="0" maxOccurs="unbounded"/>' +
  '</xs:sequence></xs:complexType>' +
  '<xs:element name="ErrorDetail" type="tns:ErrorDetail"/>' +
  '<xs:element name="ApiKey" type="xs:string"/>';
