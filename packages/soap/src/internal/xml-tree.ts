import { XMLParser } from 'fast-xml-parser';
import { XML_NS } from './namespaces.ts';
import { type ScanLimits, prescan } from './prescan.ts';
import { SoapProtocolError } from './soap-error.ts';

/** A parsed element with its namespace resolved from the xmlns declarations in scope. */
export interface XmlElement {
  ns: string;
  local: string;
  /** Attributes keyed by `{ns}local` (ns empty for unprefixed attributes). */
  attrs: ReadonlyMap<string, string>;
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
/**
 * fast-xml-parser builds an entity decoder per parse; with `processEntities: false` it never decodes
 * with it, so this one does nothing (we decode ourselves) — and refuses DTD entities outright (the
 * prescan already refuses every DTD).
 */
const NO_ENTITY_DECODER = {
  setExternalEntities: (): void => {},
  addInputEntities: (): void => {
    throw new SoapProtocolError('BAD_REQUEST', 'DTDs and entity declarations are not allowed');
  },
  reset: (): void => {},
  decode: (text: string): string => text,
  setXmlVersion: (): void => {},
};

function createParser(maxNestedTags: number): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    entityDecoder: NO_ENTITY_DECODER,
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
    // Callbacks get the path matcher instead of a path string built per node (we use no callbacks).
    jPath: false,
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

/** Shared by every element without attributes (read-only by type). */
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

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

function isNamespaceDeclaration(name: string): boolean {
  return name.startsWith('xmlns') && (name.length === 5 || name.charCodeAt(5) === 0x3a /* : */);
}

/** The element name of an fxp node: its first own key that is not the attribute map. */
function nodeName(node: FxpNode): string | undefined {
  for (const key in node) {
    if (key !== ':@' && Object.hasOwn(node, key)) return key;
  }
  return undefined;
}

function buildElement(qname: string, node: FxpNode, parentScope: Scope | undefined): XmlElement {
  const rawAttrs = node[':@'] as Record<string, string> | undefined;
  let scope = parentScope;
  let attrs = NO_ATTRIBUTES;
  if (rawAttrs !== undefined) {
    let decls: Map<string, string> | undefined;
    let others = false;
    for (const name in rawAttrs) {
      if (!Object.hasOwn(rawAttrs, name)) continue;
      if (isNamespaceDeclaration(name)) {
        decls ??= new Map();
        decls.set(name.length === 5 ? '' : name.slice(6), decodeEntities(rawAttrs[name]!));
      } else {
        others = true;
      }
    }
    if (decls !== undefined) scope = { decls, parent: parentScope };
    if (others) {
      const map = new Map<string, string>();
      for (const name in rawAttrs) {
        if (!Object.hasOwn(rawAttrs, name) || isNamespaceDeclaration(name)) continue;
        const colon = name.indexOf(':');
        // Unprefixed attributes are in no namespace (the default namespace does not apply to them).
        const attrNs = colon === -1 ? '' : resolve(name.slice(0, colon), scope);
        map.set(`{${attrNs}}${colon === -1 ? name : name.slice(colon + 1)}`, decodeEntities(rawAttrs[name]!));
      }
      attrs = map;
    }
  }
  const colon = qname.indexOf(':');
  const ns = resolve(colon === -1 ? '' : qname.slice(0, colon), scope);
  const children: XmlElement[] = [];
  const content = node[qname] as FxpNode[];
  let text = '';
  for (const child of content) {
    const raw = child['#text'];
    if (raw !== undefined) {
      text += decodeEntities(String(raw));
    } else if ('#cdata' in child) {
      // CDATA content is literal: never entity-decoded.
      for (const part of child['#cdata'] as FxpNode[]) text += String(part['#text'] ?? '');
    } else {
      const childName = nodeName(child);
      if (childName !== undefined) children.push(buildElement(childName, child, scope));
    }
  }
  return { ns, local: colon === -1 ? qname : qname.slice(colon + 1), attrs, children, text };
}

const DEFAULT_LIMITS: ScanLimits = { maxDepth: 32, maxElements: 10_000 };

/**
 * Checks well-formedness and the limits (`prescan`), then parses and resolves namespaces. The scan
 * is the only well-formedness check: fast-xml-parser's parser builds the tree but does not verify it.
 */
export function parseXml(xml: string, limits: ScanLimits = DEFAULT_LIMITS): XmlElement {
  const declarationEnd = prescan(xml, limits);
  let nodes: FxpNode[];
  try {
    // The declaration is checked (version 1.0, UTF-8) and would be ignored: the parser skips it.
    nodes = parserFor(limits.maxDepth).parse(declarationEnd === 0 ? xml : xml.slice(declarationEnd)) as FxpNode[];
  } catch {
    throw new SoapProtocolError('PARSE_ERROR', 'Malformed XML');
  }
  const roots = nodes.filter((node) => !('#text' in node && String(node['#text']).trim() === ''));
  if (roots.length !== 1) throw new SoapProtocolError('PARSE_ERROR', 'Expected exactly one root element');
  const root = roots[0]!;
  const rootName = nodeName(root);
  if (rootName === undefined || rootName === '#text' || rootName === '#cdata') {
    throw new SoapProtocolError('PARSE_ERROR', 'Expected exactly one root element');
  }
  return buildElement(rootName, root, undefined);
}

const BLANK = /^[ \t\r\n]*$/;

/** True when text is only XML whitespace. */
export function isBlank(text: string): boolean {
  return BLANK.test(text);
}
