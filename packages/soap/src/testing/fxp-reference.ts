/**
 * The parser the request path used before the single-pass scanner (see README, "Why the request path
 * does not call fast-xml-parser"): fast-xml-parser with the adapter's hardened options, then the
 * namespace resolution and entity decoding on its output. Tests only: the scanner's tree must equal
 * this one for every document the scanner accepts, and fail with the same error otherwise.
 */
import { XMLParser } from 'fast-xml-parser';
import { SoapProtocolError } from '../internal/soap-error.ts';
import {
  NO_ATTRIBUTES,
  type Scope,
  type XmlElement,
  decodeEntities,
  isNamespaceDeclaration,
  namespaceOf,
  undeclaredPrefix,
} from '../internal/xml-tree.ts';

/** With `processEntities: false` fast-xml-parser never decodes; DTD entities are refused outright. */
const NO_ENTITY_DECODER = {
  setExternalEntities: (): void => {},
  addInputEntities: (): void => {
    throw new SoapProtocolError('BAD_REQUEST', 'DTDs and entity declarations are not allowed');
  },
  reset: (): void => {},
  decode: (text: string): string => text,
  setXmlVersion: (): void => {},
};

const parser = new XMLParser({
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
  maxNestedTags: 33,
  jPath: false,
});

type FxpNode = Record<string, unknown>;

function resolve(prefix: string, scope: Scope | undefined): string {
  const ns = namespaceOf(prefix, scope);
  if (ns === undefined) throw undeclaredPrefix(prefix);
  return ns;
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
        const attrNs = colon === -1 ? '' : resolve(name.slice(0, colon), scope);
        map.set(`{${attrNs}}${colon === -1 ? name : name.slice(colon + 1)}`, decodeEntities(rawAttrs[name]!));
      }
      attrs = map;
    }
  }
  const colon = qname.indexOf(':');
  const ns = resolve(colon === -1 ? '' : qname.slice(0, colon), scope);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of node[qname] as FxpNode[]) {
    const raw = child['#text'];
    if (raw !== undefined) {
      text += decodeEntities(String(raw));
    } else if ('#cdata' in child) {
      for (const part of child['#cdata'] as FxpNode[]) text += String(part['#text'] ?? '');
    } else {
      const childName = nodeName(child);
      if (childName !== undefined) children.push(buildElement(childName, child, scope));
    }
  }
  return { ns, local: colon === -1 ? qname : qname.slice(colon + 1), attrs, children, text };
}

const DECLARATION = /^<\?xml(\s[^?]*)?\?>/;

/**
 * fast-xml-parser's tree for a document the scanner has accepted (well-formed, limits kept), resolved
 * as the adapter resolved it. Throws the same SoapProtocolError for undeclared prefixes and bad entities.
 */
export function parseWithFastXmlParser(xml: string): XmlElement {
  const declaration = DECLARATION.exec(xml)?.[0].length ?? 0;
  const nodes = parser.parse(declaration === 0 ? xml : xml.slice(declaration)) as FxpNode[];
  const roots = nodes.filter((node) => !('#text' in node && String(node['#text']).trim() === ''));
  if (roots.length !== 1) throw new SoapProtocolError('PARSE_ERROR', 'Expected exactly one root element');
  const root = roots[0]!;
  return buildElement(nodeName(root)!, root, undefined);
}
