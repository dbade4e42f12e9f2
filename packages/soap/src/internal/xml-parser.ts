import { SoapProtocolError } from './soap-error.ts';
import {
  NO_ATTRIBUTES,
  NO_CHILDREN,
  type Scope,
  type XmlElement,
  decodeEntities,
  isNamespaceDeclaration,
  namespaceOf,
  storedName,
  undeclaredPrefix,
} from './xml-tree.ts';

export interface ScanLimits {
  maxDepth: number;
  maxElements: number;
}

/**
 * Attributes (namespace declarations included) per element. SOAP needs a handful; thousands on one
 * element make the parser's work superlinear (measured: 60k attributes ≈ 1.6 s of CPU).
 */
export const MAX_ATTRIBUTES_PER_ELEMENT = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function malformed(message: string): SoapProtocolError {
  return new SoapProtocolError('PARSE_ERROR', message);
}

/** Decodes the body as strict UTF-8; UTF-16/32 byte order marks and invalid sequences are refused. */
export function decodeUtf8(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe) || (b0 === 0 && b1 === 0)) {
    throw new SoapProtocolError('UNSUPPORTED_MEDIA_TYPE', 'Only UTF-8 encoded messages are supported');
  }
  try {
    // TextDecoder strips a UTF-8 BOM (ignoreBOM: false).
    return utf8.decode(bytes);
  } catch {
    throw malformed('Request body is not valid UTF-8');
  }
}

/** Names that must never become object keys, whatever the prefix. */
const DANGEROUS_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

// XML 1.0 (5th ed.) name characters in the BMP, as fast-xml-parser's validator had them, without ':'
// (namespaces: a QName is NCName or NCName:NCName), and without U+1680 and U+FEFF: JavaScript's `\\s`
// and trim() count them as white space (fast-xml-parser, the reference in the tests, splits names there).
const NC_START =
  'A-Za-z_\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u167F\\u1681-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFEFE\\uFF00-\\uFFFD';
const NC_CHAR = `${NC_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const QNAME = new RegExp(`^[${NC_START}][${NC_CHAR}]*(?::[${NC_START}][${NC_CHAR}]*)?$`);

function checkName(qname: string, what: string): void {
  if (!QNAME.test(qname)) throw malformed(`Invalid ${what} name`);
  const colon = qname.indexOf(':');
  if (DANGEROUS_NAMES.has(colon === -1 ? qname : qname.slice(colon + 1))) {
    throw new SoapProtocolError('BAD_REQUEST', `Forbidden ${what} name`);
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters in a document
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const LINE_END = /\r\n?/g;
// Regular expression literals are hoisted: a literal inside a function is a new object per call.
const DECLARATION_START = /^<\?xml[\s?]/;
const DECLARATION = /^<\?xml(\s[^?]*)?\?>/;
const VERSION = /version\s*=\s*["']([^"']*)["']/;
const ENCODING = /encoding\s*=\s*["']([^"']*)["']/;
/** `utf-8` / `utf8`, any case: the only charset and XML encoding accepted. */
export const UTF8_NAME = /^utf-?8$/i;

/** Declarations clients actually send, accepted without the regular expressions below. */
const COMMON_DECLARATIONS = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<?xml version="1.0" encoding="utf-8"?>',
  "<?xml version='1.0' encoding='UTF-8'?>",
  "<?xml version='1.0' encoding='utf-8'?>",
  '<?xml version="1.0"?>',
];

function checkDeclaration(xml: string): number {
  if (xml.charCodeAt(0) !== 0x3c /* < */ || xml.charCodeAt(1) !== 0x3f /* ? */) return 0;
  // slice + === compares in one go; startsWith went character by character (2× slower here).
  for (const declaration of COMMON_DECLARATIONS) if (xml.slice(0, declaration.length) === declaration) return declaration.length;
  // `<?xml-stylesheet ...?>` is a processing instruction, not the declaration.
  if (!DECLARATION_START.test(xml)) return 0;
  const match = DECLARATION.exec(xml);
  if (!match) throw malformed('Malformed XML declaration');
  const attrs = match[1] ?? '';
  const version = VERSION.exec(attrs)?.[1];
  if (version !== '1.0') throw malformed('Only XML 1.0 is supported');
  const encoding = ENCODING.exec(attrs)?.[1];
  if (encoding !== undefined && !UTF8_NAME.test(encoding)) {
    throw new SoapProtocolError('UNSUPPORTED_MEDIA_TYPE', 'Only UTF-8 encoded messages are supported');
  }
  return match[0].length;
}

/** XML white space: space, TAB, LF, CR (not the wider JavaScript `\s`). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** End of a name: white space, `/`, `>`, `=` or the end of the text. */
function nameEnd(xml: string, from: number): number {
  const length = xml.length;
  let j = from;
  for (; j < length; j += 1) {
    const c = xml.charCodeAt(j);
    if (c === 0x3e /* > */ || c === 0x2f /* / */ || c === 0x3d /* = */ || isSpace(c)) break;
  }
  return j;
}

function skipSpace(xml: string, from: number): number {
  let j = from;
  while (j < xml.length && isSpace(xml.charCodeAt(j))) j += 1;
  return j;
}

/** Only XML white space between `from` and `to` (character data outside the root element). */
function onlySpace(xml: string, from: number, to: number): boolean {
  for (let j = from; j < to; j += 1) if (!isSpace(xml.charCodeAt(j))) return false;
  return true;
}

/** Open elements, their qualified names (for the end tag) and namespace scopes; reused between calls (never re-entered). */
const openNames: string[] = [];
const openElements: XmlElement[] = [];
const openScopes: (Scope | undefined)[] = [];
/** Names and raw values of the attributes of the start tag being scanned. */
const attrNames: string[] = [];
const attrValues: string[] = [];
/**
 * The first namespace or entity error, thrown only once the whole document has scanned cleanly: a
 * well-formedness or limit error anywhere takes precedence, as it did when a separate scan ran first.
 */
let deferred: SoapProtocolError | undefined;

function decoded(raw: string): string {
  if (!raw.includes('&')) return raw;
  try {
    return decodeEntities(raw);
  } catch (error) {
    deferred ??= error as SoapProtocolError;
    return raw;
  }
}

function resolved(prefix: string, scope: Scope | undefined): string {
  const ns = namespaceOf(prefix, scope);
  if (ns !== undefined) return ns;
  deferred ??= undeclaredPrefix(prefix);
  return '';
}

function addChild(parent: XmlElement, child: XmlElement): void {
  if (parent.children === NO_CHILDREN) parent.children = [child];
  else parent.children.push(child);
}

/** The namespace scope of the element startElement returned last (no tuple allocated per element). */
let startedScope: Scope | undefined;

/** The element of a start tag whose `count` attributes are in attrNames/attrValues; its scope goes to startedScope. */
function startElement(qname: string, count: number, parentScope: Scope | undefined): XmlElement {
  let scope = parentScope;
  let attrs = NO_ATTRIBUTES;
  if (count > 0) {
    let decls: Map<string, string> | undefined;
    let others = false;
    for (let k = 0; k < count; k += 1) {
      const name = attrNames[k]!;
      if (isNamespaceDeclaration(name)) {
        decls ??= new Map();
        decls.set(name.length === 5 ? '' : name.slice(6), decoded(attrValues[k]!));
      } else {
        others = true;
      }
    }
    if (decls !== undefined) scope = { decls, parent: parentScope };
    if (others) {
      const map = new Map<string, string>();
      for (let k = 0; k < count; k += 1) {
        const name = attrNames[k]!;
        if (isNamespaceDeclaration(name)) continue;
        const colon = name.indexOf(':');
        // Unprefixed attributes are in no namespace (the default namespace does not apply to them).
        const attrNs = colon === -1 ? '' : resolved(name.slice(0, colon), scope);
        map.set(`{${attrNs}}${colon === -1 ? storedName(name) : name.slice(colon + 1)}`, decoded(attrValues[k]!));
      }
      attrs = map;
    }
  }
  const colon = qname.indexOf(':');
  const ns = resolved(colon === -1 ? '' : qname.slice(0, colon), scope);
  const local = colon === -1 ? storedName(qname) : qname.slice(colon + 1);
  startedScope = scope;
  return { ns, local, attrs, children: NO_CHILDREN, text: '' };
}

const DEFAULT_LIMITS: ScanLimits = { maxDepth: 32, maxElements: 10_000 };

/**
 * Parses a request document in one linear pass: well-formedness, the limits and the element tree
 * with namespaces resolved. It refuses DTDs/entity declarations (`<!DOCTYPE`, `<!ENTITY`, anything
 * `<!` that is not a comment or CDATA), processing instructions (SOAP forbids them), characters XML
 * 1.0 forbids, names that are not QNames or are dangerous as object keys, mismatched or unclosed
 * tags, attributes without white space before them or without a quoted value, duplicate attributes,
 * `<` in attribute values, text or a second element outside the root; it enforces the depth,
 * element-count and attribute-count limits; then undeclared prefixes and entity references other
 * than the five XML entities and references to allowed code points are `PARSE_ERROR`s.
 *
 * The tree is what fast-xml-parser (with the options in src/testing/fxp-reference.ts) plus our
 * namespace resolution gave: line ends normalised to LF, text kept exactly (white space included),
 * comments dropped without splitting text, CDATA literal, attribute values not normalised. The
 * differential tests in xml-parser.test.ts hold it to that.
 */
export function parseXml(input: string, limits: ScanLimits = DEFAULT_LIMITS): XmlElement {
  if (FORBIDDEN_CHAR.test(input)) throw malformed('Message contains characters not allowed in XML 1.0');
  // XML 1.0 §2.11: CR LF and lone CR become LF before parsing.
  const xml = input.includes('\r') ? input.replace(LINE_END, '\n') : input;
  let i = checkDeclaration(xml);
  let depth = 0;
  let elements = 0;
  let rootClosed = false;
  let nextLt = -1;
  let root: XmlElement | undefined;
  /** Character data since the last tag or CDATA section (comments don't split it), not yet decoded. */
  let pending = '';
  const length = xml.length;
  let treeError: SoapProtocolError | undefined;
  deferred = undefined;
  try {
    for (;;) {
      const lt = xml.indexOf('<', i);
      const textEnd = lt === -1 ? length : lt;
      if (depth === 0) {
        // Character data outside the root element may only be white space.
        if (!onlySpace(xml, i, textEnd)) throw malformed('Text outside the root element');
      } else if (textEnd > i) {
        pending = pending === '' ? xml.slice(i, textEnd) : pending + xml.slice(i, textEnd);
      }
      if (lt === -1) break;
      const next = xml.charCodeAt(lt + 1);
      if (next === 0x21 /* ! */) {
        if (xml.startsWith('<!--', lt)) {
          const end = xml.indexOf('-->', lt + 4);
          if (end === -1) throw malformed('Unterminated comment');
          i = end + 3;
        } else if (xml.startsWith('<![CDATA[', lt)) {
          if (depth === 0) throw malformed('CDATA outside the root element');
          const end = xml.indexOf(']]>', lt + 9);
          if (end === -1) throw malformed('Unterminated CDATA section');
          const current = openElements[depth - 1]!;
          if (pending !== '') {
            current.text += decoded(pending);
            pending = '';
          }
          // CDATA content is literal: never entity-decoded.
          current.text += xml.slice(lt + 9, end);
          i = end + 3;
        } else {
          throw new SoapProtocolError('BAD_REQUEST', 'DTDs and entity declarations are not allowed');
        }
        continue;
      }
      if (next === 0x3f /* ? */) throw new SoapProtocolError('BAD_REQUEST', 'Processing instructions are not allowed');
      if (next === 0x2f /* / */) {
        // An end tag: the name of the innermost open element, optional white space, '>'.
        if (depth === 0) throw malformed('Unbalanced end tag');
        const name = openNames[depth - 1]!;
        const nameStart = lt + 2;
        if (!xml.startsWith(name, nameStart)) throw malformed('Mismatched end tag');
        const gt = skipSpace(xml, nameStart + name.length);
        if (xml.charCodeAt(gt) !== 0x3e /* > */) throw malformed('Mismatched end tag');
        if (pending !== '') {
          openElements[depth - 1]!.text += decoded(pending);
          pending = '';
        }
        depth -= 1;
        if (depth === 0) rootClosed = true;
        i = gt + 1;
        continue;
      }
      // A start tag: name, then attributes (quoted values may contain '>' and '/').
      if (rootClosed) throw malformed('More than one root element');
      elements += 1;
      if (elements > limits.maxElements) throw new SoapProtocolError('PAYLOAD_TOO_LARGE', 'Too many elements');
      let j = nameEnd(xml, lt + 1);
      const name = xml.slice(lt + 1, j);
      checkName(name, 'element');
      let selfClosing = false;
      let attributes = 0;
      for (;;) {
        const before = j;
        j = skipSpace(xml, j);
        if (j >= length) throw malformed('Unterminated start tag');
        const c = xml.charCodeAt(j);
        if (c === 0x3e /* > */) break;
        if (c === 0x2f /* / */) {
          if (xml.charCodeAt(j + 1) !== 0x3e) throw malformed('Malformed start tag');
          selfClosing = true;
          j += 1;
          break;
        }
        if (j === before) throw malformed('Attributes must be separated by white space');
        attributes += 1;
        if (attributes > MAX_ATTRIBUTES_PER_ELEMENT) throw new SoapProtocolError('BAD_REQUEST', 'Too many attributes on one element');
        const nameStart = j;
        j = nameEnd(xml, j);
        const attrName = xml.slice(nameStart, j);
        checkName(attrName, 'attribute');
        for (let k = 0; k < attributes - 1; k += 1) if (attrNames[k] === attrName) throw malformed('Duplicate attribute');
        attrNames[attributes - 1] = attrName;
        j = skipSpace(xml, j);
        if (xml.charCodeAt(j) !== 0x3d /* = */) throw malformed('Malformed attribute');
        j = skipSpace(xml, j + 1);
        const quote = xml[j];
        if (quote !== '"' && quote !== "'") throw malformed('Unquoted attribute value');
        const close = xml.indexOf(quote, j + 1);
        if (close === -1) throw malformed('Unterminated attribute value');
        // The next '<' only moves forward, so this stays linear however many attributes there are.
        if (nextLt <= j) {
          nextLt = xml.indexOf('<', j + 1);
          if (nextLt === -1) nextLt = length;
        }
        if (nextLt < close) throw malformed("'<' in an attribute value");
        attrValues[attributes - 1] = xml.slice(j + 1, close);
        j = close + 1;
      }
      i = j + 1;
      if (depth + 1 > limits.maxDepth) throw new SoapProtocolError('BAD_REQUEST', 'Message nested too deeply');
      // Text before a child belongs to the parent, ahead of anything in the child (so errors come in document order).
      const parent = depth === 0 ? undefined : openElements[depth - 1]!;
      if (parent !== undefined && pending !== '') {
        parent.text += decoded(pending);
        pending = '';
      }
      const element = startElement(name, attributes, depth === 0 ? undefined : openScopes[depth - 1]);
      if (parent === undefined) root = element;
      else addChild(parent, element);
      if (selfClosing) {
        if (depth === 0) rootClosed = true;
      } else {
        openNames[depth] = name;
        openElements[depth] = element;
        openScopes[depth] = startedScope;
        depth += 1;
      }
    }
  } finally {
    // Don't keep (slices of) a request alive until the next one.
    openNames.length = 0;
    openElements.length = 0;
    openScopes.length = 0;
    attrNames.length = 0;
    attrValues.length = 0;
    startedScope = undefined;
    treeError = deferred;
    deferred = undefined;
  }
  if (root === undefined) throw malformed('Request body is not an XML document');
  if (depth !== 0) throw malformed('Unclosed element');
  if (treeError !== undefined) throw treeError;
  return root;
}
