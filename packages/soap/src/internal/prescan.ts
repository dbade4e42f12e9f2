import { SoapProtocolError } from './soap-error.ts';

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

function localPart(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

function checkName(qname: string, what: string): void {
  if (DANGEROUS_NAMES.has(localPart(qname)) || DANGEROUS_NAMES.has(qname)) {
    throw new SoapProtocolError('BAD_REQUEST', `Forbidden ${what} name`);
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters in a document
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const DECLARATION = /^<\?xml(\s[^?]*)?\?>/;
const NAME_END = /[\s/>]/;

function checkDeclaration(xml: string): number {
  // `<?xml-stylesheet ...?>` is a processing instruction, not the declaration.
  if (!/^<\?xml[\s?]/.test(xml)) return 0;
  const match = DECLARATION.exec(xml);
  if (!match) throw malformed('Malformed XML declaration');
  const attrs = match[1] ?? '';
  const version = /version\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1];
  if (version !== '1.0') throw malformed('Only XML 1.0 is supported');
  const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1];
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
    throw new SoapProtocolError('UNSUPPORTED_MEDIA_TYPE', 'Only UTF-8 encoded messages are supported');
  }
  return match[0].length;
}

/**
 * A linear pass over the text BEFORE the real parser sees it: refuses DTDs/entities declarations
 * (`<!DOCTYPE`, `<!ENTITY`, anything `<!` that is not a comment or CDATA), processing instructions
 * (SOAP forbids them), characters XML 1.0 forbids, dangerous element/attribute names, and enforces
 * the depth and element-count limits, so the parser never works on a hostile shape.
 */
export function prescan(xml: string, limits: ScanLimits): void {
  if (FORBIDDEN_CHAR.test(xml)) throw malformed('Message contains characters not allowed in XML 1.0');
  let i = checkDeclaration(xml);
  let depth = 0;
  let elements = 0;
  const length = xml.length;
  for (;;) {
    const lt = xml.indexOf('<', i);
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
        i = end + 3;
      } else {
        throw new SoapProtocolError('BAD_REQUEST', 'DTDs and entity declarations are not allowed');
      }
      continue;
    }
    if (next === 0x3f /* ? */) throw new SoapProtocolError('BAD_REQUEST', 'Processing instructions are not allowed');
    if (next === 0x2f /* / */) {
      depth -= 1;
      if (depth < 0) throw malformed('Unbalanced end tag');
      const gt = xml.indexOf('>', lt);
      if (gt === -1) throw malformed('Unterminated end tag');
      i = gt + 1;
      continue;
    }
    // A start tag: name, then attributes (quoted values may contain '>' and '/').
    elements += 1;
    if (elements > limits.maxElements) throw new SoapProtocolError('PAYLOAD_TOO_LARGE', 'Too many elements');
    let j = lt + 1;
    while (j < length && !NAME_END.test(xml[j]!)) j += 1;
    checkName(xml.slice(lt + 1, j), 'element');
    let selfClosing = false;
    let attributes = 0;
    for (;;) {
      while (j < length && /\s/.test(xml[j]!)) j += 1;
      if (j >= length) throw malformed('Unterminated start tag');
      const c = xml[j]!;
      if (c === '>') break;
      if (c === '/') {
        if (xml[j + 1] !== '>') throw malformed('Malformed start tag');
        selfClosing = true;
        j += 1;
        break;
      }
      attributes += 1;
      if (attributes > MAX_ATTRIBUTES_PER_ELEMENT) throw new SoapProtocolError('BAD_REQUEST', 'Too many attributes on one element');
      const nameStart = j;
      while (j < length && !/[\s=/>]/.test(xml[j]!)) j += 1;
      checkName(xml.slice(nameStart, j), 'attribute');
      while (j < length && /\s/.test(xml[j]!)) j += 1;
      if (xml[j] !== '=') throw malformed('Malformed attribute');
      j += 1;
      while (j < length && /\s/.test(xml[j]!)) j += 1;
      const quote = xml[j];
      if (quote !== '"' && quote !== "'") throw malformed('Unquoted attribute value');
      const close = xml.indexOf(quote, j + 1);
      if (close === -1) throw malformed('Unterminated attribute value');
      j = close + 1;
    }
    i = j + 1;
    if (!selfClosing) {
      depth += 1;
      if (depth > limits.maxDepth) throw new SoapProtocolError('BAD_REQUEST', 'Message nested too deeply');
    } else if (depth + 1 > limits.maxDepth) {
      throw new SoapProtocolError('BAD_REQUEST', 'Message nested too deeply');
    }
  }
  if (elements === 0) throw malformed('Request body is not an XML document');
  if (depth !== 0) throw malformed('Unclosed element');
}
