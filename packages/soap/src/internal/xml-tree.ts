import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XML_NS } from './namespaces.ts';
import { SoapProtocolError } from './soap-error.ts';

/** A parsed element with its namespace resolved from the xmlns declarations in scope. */
export interface XmlElement {
  ns: string;
  local: string;
  /** Attributes keyed by `{ns}local` (ns empty for unprefixed attributes). */
  attrs: Map<string, string>;
  children: XmlElement[];
  /** Concatenated character data (text + CDATA), entities decoded. */
  text: string;
}

/**
 * In-scope namespace declarations as a chain (never copied): a lookup walks at most `maxDepth`
 * links. Copying a map per element would let 40k declarations × 5k elements exhaust memory.
 */
interface Scope {
  decls: Map<string, string> | undefined;
  parent: Scope | undefined;
}

/**
 * Hardened parser settings: no entity processing (we decode the five XML entities and numeric
 * references ourselves), every value kept as a string, prefixes kept, CDATA kept apart so it is
 * never entity-decoded, comments and PIs dropped (PIs were already refused by the prescan).
 */
function createParser(maxNestedTags: number): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    removeNSPrefix: false,
    cdataPropName: '#cdata',
    commentPropName: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    allowBooleanAttributes: false,
    // A second fence behind the prescan's depth check.
    maxNestedTags,
  });
}

/** Parsers are stateless between synchronous parse() calls: one per depth limit is enough. */
const parsers = new Map<number, XMLParser>();

function parserFor(maxDepth: number): XMLParser {
  let parser = parsers.get(maxDepth);
  if (!parser) {
    parser = createParser(maxDepth + 1);
    parsers.set(maxDepth, parser);
  }
  return parser;
}

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

type FxpNode = Record<string, unknown>;

function splitQName(qname: string): [prefix: string, local: string] {
  const colon = qname.indexOf(':');
  return colon === -1 ? ['', qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

function lookup(prefix: string, scope: Scope | undefined): string | undefined {
  for (let s = scope; s !== undefined; s = s.parent) {
    const ns = s.decls?.get(prefix);
    if (ns !== undefined) return ns;
  }
  return undefined;
}

function resolve(prefix: string, scope: Scope | undefined): string {
  if (prefix === 'xml') return XML_NS;
  const ns = lookup(prefix, scope);
  if (ns === undefined) {
    if (prefix === '') return '';
    throw new SoapProtocolError('PARSE_ERROR', `Undeclared namespace prefix '${prefix}'`);
  }
  return ns;
}

function buildElement(qname: string, node: FxpNode, parentScope: Scope | undefined): XmlElement {
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  const attrNames = Object.keys(rawAttrs);
  let decls: Map<string, string> | undefined;
  for (const name of attrNames) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      decls ??= new Map();
      decls.set(name === 'xmlns' ? '' : name.slice(6), decodeEntities(rawAttrs[name]!));
    }
  }
  const scope = decls === undefined ? parentScope : { decls, parent: parentScope };
  const [prefix, local] = splitQName(qname);
  const attrs = new Map<string, string>();
  for (const name of attrNames) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const [attrPrefix, attrLocal] = splitQName(name);
    // Unprefixed attributes are in no namespace (the default namespace does not apply to them).
    const attrNs = attrPrefix === '' ? '' : resolve(attrPrefix, scope);
    attrs.set(`{${attrNs}}${attrLocal}`, decodeEntities(rawAttrs[name]!));
  }
  const element: XmlElement = { ns: resolve(prefix, scope), local, attrs, children: [], text: '' };
  const content = node[qname] as FxpNode[];
  let text = '';
  for (const child of content) {
    if ('#text' in child) {
      text += decodeEntities(String(child['#text']));
    } else if ('#cdata' in child) {
      // CDATA content is literal: never entity-decoded.
      for (const part of child['#cdata'] as FxpNode[]) text += String(part['#text'] ?? '');
    } else {
      const childName = Object.keys(child).find((key) => key !== ':@');
      if (childName !== undefined) element.children.push(buildElement(childName, child, scope));
    }
  }
  element.text = text;
  return element;
}

/**
 * Checks well-formedness, parses and resolves namespaces. Call only after `prescan` has accepted
 * the text (no DTD, bounded depth and element count).
 */
export function parseXml(xml: string, maxDepth = 32): XmlElement {
  const validation = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (validation !== true) {
    const { line, col } = validation.err;
    throw new SoapProtocolError('PARSE_ERROR', `Malformed XML (line ${line}, column ${col})`);
  }
  let nodes: FxpNode[];
  try {
    nodes = parserFor(maxDepth).parse(xml) as FxpNode[];
  } catch {
    throw new SoapProtocolError('PARSE_ERROR', 'Malformed XML');
  }
  const roots = nodes.filter((node) => !('#text' in node && String(node['#text']).trim() === ''));
  if (roots.length !== 1) throw new SoapProtocolError('PARSE_ERROR', 'Expected exactly one root element');
  const root = roots[0]!;
  const rootName = Object.keys(root).find((key) => key !== ':@');
  if (rootName === undefined || rootName === '#text' || rootName === '#cdata') {
    throw new SoapProtocolError('PARSE_ERROR', 'Expected exactly one root element');
  }
  return buildElement(rootName, root, undefined);
}

/** True when text is only XML whitespace. */
export function isBlank(text: string): boolean {
  return /^[ \t\r\n]*$/.test(text);
}
