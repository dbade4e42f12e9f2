import { XML_NS } from './namespaces.ts';
import { SoapProtocolError } from './soap-error.ts';

/** A parsed element with its namespace resolved from the xmlns declarations in scope. */
export interface XmlElement {
  ns: string;
  local: string;
  /** Attributes keyed by `{ns}local` (ns empty for unprefixed attributes). */
  attrs: ReadonlyMap<string, string>;
  /** Child elements in document order (leaves share one frozen empty array). */
  children: XmlElement[];
  /** Concatenated character data (text + CDATA), entities decoded. */
  text: string;
}

/**
 * In-scope namespace declarations as a chain (never copied): a lookup walks at most `maxDepth`
 * links. Copying a map per element would let 40k declarations × 5k elements exhaust memory.
 */
export interface Scope {
  decls: Map<string, string>;
  parent: Scope | undefined;
}

/** Shared by every element without attributes (read-only by type). */
export const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();
/** Shared by every element without child elements (frozen: nothing may add to it). */
export const NO_CHILDREN: XmlElement[] = Object.freeze([]) as unknown as XmlElement[];

const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));|&/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Decodes the five predefined entities and numeric references; anything else is an error. */
export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(ENTITY, (match, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (named !== undefined) return NAMED[named]!;
    if (dec === undefined && hex === undefined) {
      throw new SoapProtocolError('PARSE_ERROR', `Undefined entity or bare '&' near ${JSON.stringify(match)}`);
    }
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    if (!isXmlChar(cp)) throw new SoapProtocolError('PARSE_ERROR', 'Character reference to a code point XML 1.0 forbids');
    return String.fromCodePoint(cp);
  });
}

/** The namespace a prefix is bound to (`''` for no prefix and no default namespace); undefined if undeclared. */
export function namespaceOf(prefix: string, scope: Scope | undefined): string | undefined {
  if (prefix === 'xml') return XML_NS;
  for (let s = scope; s !== undefined; s = s.parent) {
    const ns = s.decls.get(prefix);
    if (ns !== undefined) return ns;
  }
  return prefix === '' ? '' : undefined;
}

export function undeclaredPrefix(prefix: string): SoapProtocolError {
  return new SoapProtocolError('PARSE_ERROR', `Undeclared namespace prefix '${prefix}'`);
}

export function isNamespaceDeclaration(name: string): boolean {
  return name.startsWith('xmlns') && (name.length === 5 || name.charCodeAt(5) === 0x3a /* : */);
}

/**
 * Names fast-xml-parser renamed to `__<name>` (its guard against shadowing Object.prototype methods);
 * the parser keeps that, so an element or attribute with one of these exact names reads the same as
 * it always did (they are never operation or field names).
 */
const RENAMED: ReadonlySet<string> = new Set([
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

export function storedName(name: string): string {
  return RENAMED.has(name) ? `__${name}` : name;
}

const BLANK = /^[ \t\r\n]*$/;

/** True when text is only XML whitespace. */
export function isBlank(text: string): boolean {
  return BLANK.test(text);
}
