/**
 * The single-pass parser against fast-xml-parser, its reference: it must refuse at least what
 * fast-xml-parser's validator refused (the adapter once ran it as a separate pass), and for every
 * document it accepts build the tree fast-xml-parser gave with the adapter's options (the request
 * path's parser until the scanner replaced it; see README). Targeted cases, the hostile table,
 * mutation fuzz and random documents.
 */
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { hostileCases } from '../testing/hostile-cases.ts';
import { parseWithFastXmlParser } from '../testing/fxp-reference.ts';
import { SoapProtocolError } from './soap-error.ts';
import { parseXml } from './xml-parser.ts';
import type { XmlElement } from './xml-tree.ts';

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const NS = 'urn:triport:soap:v1';

function env(body: string, header = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${S11}" xmlns:t="${NS}">${header ? `<s:Header>${header}</s:Header>` : ''}<s:Body>${body}</s:Body></s:Envelope>`;
}

/** The error code parseXml refuses with, or 'ok'. Anything but a SoapProtocolError fails the test. */
function outcome(xml: string): string {
  try {
    parseXml(xml);
    return 'ok';
  } catch (error) {
    if (!(error instanceof SoapProtocolError)) throw error;
    return error.code;
  }
}

const accepted: [string, string][] = [
  ['plain envelope', env('<t:Ping/>')],
  ['attributes with both quote styles and spaces around =', env(`<t:Ping a = "1" b='2'\t c="x>y/z"/>`)],
  ['white space and line breaks in tags', env('<t:Echo\n><t:text\r\n>x</t:text\t></t:Echo >')],
  ['comments before, inside and after the root', `${env('<t:Echo><!-- b --><t:text>x</t:text></t:Echo>').replace('?><s:', '?><!-- a --><s:')}<!-- c -->\n`],
  ['CDATA inside an element', env('<t:Echo><t:text><![CDATA[<a>&amp;]]></t:text></t:Echo>')],
  ['non-ASCII names', env('<t:Écho xmlns:ü="urn:u" ü:ä="1"/>')],
  ['no declaration, leading and trailing white space', `\n ${env('<t:Ping/>').replace(/^<\?xml[^>]*>/, '')} \r\n`],
];

const refused: [string, string][] = [
  ['mismatched end tag', env('<t:Echo><t:text>x</t:txt></t:Echo>')],
  ['end tag that is a prefix of the open name', env('<t:Echo><t:text>x</t:tex></t:Echo>')],
  ['end tag longer than the open name', env('<t:Echo><t:text>x</t:texts></t:Echo>')],
  ['end tag without an open element', `${env('<t:Ping/>')}</x>`],
  ['attributes in an end tag', env('<t:Echo></t:Echo a="1">')],
  ['unclosed element', env('<t:Echo>')],
  ['two root elements', `${env('<t:Ping/>')}<x/>`],
  ['two self-closing roots', '<a xmlns="urn:a"/><b/>'],
  ['text before the root', `hello${env('<t:Ping/>').replace(/^<\?xml[^>]*>/, '')}`],
  ['text after the root', `${env('<t:Ping/>')}trailing`],
  ['non-breaking space outside the root', `${env('<t:Ping/>')}\u00a0`],
  ['attributes without white space between them', env('<t:Ping a="1"b="2"/>')],
  ['attribute without a value', env('<t:Ping a/>')],
  ['attribute with = but no value', env('<t:Ping a=/>')],
  ['unquoted attribute value', env('<t:Ping a=1/>')],
  ['unterminated attribute value', env('<t:Ping a="1/>')],
  ['duplicate attribute', env('<t:Ping a="1" a="2"/>')],
  ["'<' in an attribute value", env('<t:Ping a="<b/>"/>')],
  ['space after <', env('< t:Ping/>')],
  ['empty element name', env('<></>')],
  ['name starting with a digit', env('<t:1Ping/>')],
  ['name with two colons', env('<t:a:b/>')],
  ['name starting with a colon', env('<:Ping/>')],
  ['attribute name with invalid characters', env('<t:Ping a"b="1"/>')],
  ['non-breaking space as a separator', env('<t:Ping\u00a0a="1"/>')],
  ['slash not followed by >', env('<t:Ping / >')],
  ['unterminated start tag', '<a xmlns="urn:a" b="1"'],
  ['bare ampersand in text', env('<t:Echo><t:text>a & b</t:text></t:Echo>')],
  ['unknown entity', env('<t:Echo><t:text>&nbsp;</t:text></t:Echo>')],
  ['empty character reference', env('<t:Echo><t:text>&#x;</t:text></t:Echo>')],
  ['ampersand in an attribute value', env('<t:Ping a="a & b"/>')],
  ['undeclared prefix', env('<x:Ping/>')],
  ['no element at all', '  <!-- nothing -->  '],
  ['DOCTYPE', `<!DOCTYPE x>${env('<t:Ping/>')}`],
  ['processing instruction', env('<?pi x?><t:Ping/>')],
];

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(start: number): () => number {
  let seed = start;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface PlainElement {
  ns: string;
  local: string;
  attrs: [string, string][];
  text: string;
  children: PlainElement[];
}

/** Attribute order included, so the comparison is exact. */
function plain(el: XmlElement): PlainElement {
  return { ns: el.ns, local: el.local, attrs: [...el.attrs], text: el.text, children: el.children.map(plain) };
}

/** Errors that only the tree building raises (the document itself is well-formed). */
const TREE_ERROR = /^(Undeclared namespace prefix|Undefined entity or bare '&'|Character reference to a code point)/;

/**
 * Parses with both; returns 'tree' when the scanner accepted (trees must be equal), 'tree-error'
 * when it refused for a namespace or entity reason (the reference must refuse with the same error),
 * 'refused' for a well-formedness or limit refusal (nothing to compare).
 */
function compareWithReference(xml: string): 'tree' | 'tree-error' | 'refused' {
  let tree: XmlElement;
  try {
    tree = parseXml(xml);
  } catch (error) {
    if (!(error instanceof SoapProtocolError)) throw error;
    if (!TREE_ERROR.test(error.message)) return 'refused';
    let reference: unknown;
    try {
      parseWithFastXmlParser(xml);
    } catch (referenceError) {
      reference = referenceError;
    }
    expect(reference, xml).toBeInstanceOf(SoapProtocolError);
    expect({ code: (reference as SoapProtocolError).code, message: (reference as SoapProtocolError).message }, xml).toEqual({
      code: error.code,
      message: error.message,
    });
    return 'tree-error';
  }
  expect(plain(tree), xml).toEqual(plain(parseWithFastXmlParser(xml)));
  return 'tree';
}

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** A random well-formed (mostly) document exercising what the tree depends on. */
function randomDocument(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const prefixes = ['', 'a', 'b', 'toString', 'ü'];
  const uris = ['urn:a', 'urn:b', '', 'urn:x&amp;y', 'urn:&#65;', XSI_NS];
  const locals = ['x', 'Ping', 'toString', 'valueOf', 'hasOwnProperty', 'Écho', 'a.b-c_d', 'nil'];
  const space = ['', ' ', '\n', '\r\n', '\r', '\t', ' \r\n\t '];
  const texts = ['plain', ' ', '\r\n', '\r', 'a\rb', '&amp;', '&lt;&gt;&quot;&apos;', '&#65;', '&#x1F600;', '&#13;', '>', ']]>', 'é', '&', '&nbsp;', '&#0;', '&am', 'p;', '&#x4'];
  const values = ['v', '', 'a&amp;b', '&#x9;&#10;', 'line\nbreak', 'cr\r\nlf', 'tab\there', "it's", 'q"q', '&bad;', '1 > 0', '/'];
  const qname = (): string => {
    const prefix = random() < 0.5 ? pick(prefixes) : '';
    return prefix === '' ? pick(locals) : `${prefix}:${pick(locals)}`;
  };
  const attributes = (): string => {
    const used = new Set<string>();
    let out = '';
    const count = Math.floor(random() * 4);
    for (let k = 0; k < count; k += 1) {
      const kind = random();
      const name =
        kind < 0.25 ? (random() < 0.3 ? 'xmlns' : `xmlns:${pick(prefixes.filter((p) => p !== ''))}`) : kind < 0.35 ? 'xml:lang' : qname();
      if (used.has(name)) continue;
      used.add(name);
      const value = name.startsWith('xmlns') ? pick(uris) : pick(values);
      const quote = value.includes('"') ? "'" : value.includes("'") ? '"' : pick(['"', "'"]);
      out += `${pick([' ', '\n', '\t', '\r\n'])}${name}${pick(['', ' '])}=${pick(['', ' '])}${quote}${value}${quote}`;
    }
    return out;
  };
  const element = (depth: number): string => {
    const name = qname();
    const attrs = attributes();
    if (depth > 4 || random() < 0.2) return `<${name}${attrs}${pick(['', ' '])}/>`;
    let content = '';
    const parts = Math.floor(random() * 5);
    for (let k = 0; k < parts; k += 1) {
      const kind = random();
      if (kind < 0.35) content += pick(texts);
      else if (kind < 0.45) content += `<!--${pick(['', ' c ', '<x>', '&bad;'])}-->`;
      else if (kind < 0.55) content += `<![CDATA[${pick(['', '<a>&amp;', ']]', '\r\n', ']'])}]]>`;
      else if (kind < 0.65) content += pick(space);
      else content += element(depth + 1);
    }
    return `<${name}${attrs}>${content}</${name}${pick(['', ' ', '\n'])}>`;
  };
  const declaration = random() < 0.5 ? `<?xml version="1.0"${random() < 0.5 ? ' encoding="UTF-8"' : ''}?>` : '';
  const root = random() < 0.7 ? element(0).replace(/^<([^\s/>]+)/, '<$1 xmlns:a="urn:a" xmlns:b="urn:b"') : element(0);
  return `${declaration}${pick(space)}${random() < 0.2 ? '<!-- lead -->' : ''}${root}${pick(space)}`;
}

describe('parseXml: well-formedness', () => {
  it.each(accepted)('accepts %s', (_name, xml) => {
    expect(outcome(xml)).toBe('ok');
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it.each(refused)('refuses %s', (_name, xml) => {
    expect(outcome(xml)).not.toBe('ok');
  });

  it('accepts nothing that fast-xml-parser’s validator refuses, and builds its tree (mutation fuzz)', () => {
    const random = prng(0xc0ffee);
    const bases = [
      env('<t:CreateNote a="1" b=\'x\'><t:title>T &amp; U</t:title><t:tags>a</t:tags><t:author><t:name>A</t:name></t:author></t:CreateNote>', '<t:ApiKey>k</t:ApiKey>'),
      env('<t:Echo xmlns:x="urn:x" x:y="z"><!-- c --><t:text><![CDATA[<b>]]>&#65;</t:text><t:n/></t:Echo>'),
      `<a xmlns="urn:a"><b c="d"/><e>f</e></a>`,
    ];
    const alphabet = ['<', '>', '/', '&', ';', ':', '=', '"', "'", '!', '?', '[', ']', '-', '#', 'x', '0', ' ', '\t', '\n', 'a', 't', '\u00a0', 'é', '<!--', '-->', '</', '/>', '<![CDATA[', ']]>', '&amp;'];
    let acceptedCount = 0;
    for (let i = 0; i < 20_000; i += 1) {
      let xml = bases[i % bases.length]!;
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e += 1) {
        const at = Math.floor(random() * xml.length);
        const kind = random();
        if (kind < 0.45) xml = xml.slice(0, at) + alphabet[Math.floor(random() * alphabet.length)]! + xml.slice(at + 1);
        else if (kind < 0.7) xml = xml.slice(0, at) + alphabet[Math.floor(random() * alphabet.length)]! + xml.slice(at);
        else if (kind < 0.9) xml = xml.slice(0, at) + xml.slice(at + 1 + Math.floor(random() * 6));
        else xml = xml.slice(0, at) + xml.slice(at, at + 10) + xml.slice(at);
      }
      if (outcome(xml) === 'ok') {
        acceptedCount += 1;
        // Replay aid: the failing document is in the assertion message.
        expect(XMLValidator.validate(xml), xml).toBe(true);
      }
      compareWithReference(xml);
    }
    // The mutations must leave enough documents intact for the comparison to mean something.
    expect(acceptedCount).toBeGreaterThan(1000);
  });
});

describe('parseXml: the tree equals fast-xml-parser’s (reference)', () => {
  it.each(accepted)('%s', (_name, xml) => {
    expect(compareWithReference(xml)).toBe('tree');
  });

  it('on the hostile-input table (same tree, or the same namespace/entity error)', () => {
    const outcomes = new Map<string, number>();
    for (const { body, headers } of hostileCases) {
      if (headers?.['content-encoding'] !== undefined) continue;
      const xml = typeof body === 'string' ? body : new TextDecoder().decode(body);
      const outcome = compareWithReference(xml);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect(outcomes.get('tree') ?? 0).toBeGreaterThan(25);
    expect(outcomes.get('tree-error') ?? 0).toBeGreaterThan(5);
  });

  it('on random documents: namespaces, renamed names, entities, CDATA, comments, line ends, white space', () => {
    const random = prng(0xfeed);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 5_000; i += 1) {
      const outcome = compareWithReference(randomDocument(random));
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // Both kinds must be well represented for the comparison to mean something.
    expect(outcomes.get('tree') ?? 0).toBeGreaterThan(1_000);
    expect(outcomes.get('tree-error') ?? 0).toBeGreaterThan(500);
  });

  it('keeps white space, normalises line ends, never splits text at comments and decodes once', () => {
    // As fast-xml-parser: a comment does not end the text run, even inside an entity reference (`&am<!---->p;`).
    const tree = parseXml(`<a xmlns="urn:a" x="1\r\n2\t3">\r\n t&am<!-- c -->p;u<![CDATA[&amp;\r]]>&#13;<b/> v\r</a>`);
    expect(plain(tree)).toEqual({
      ns: 'urn:a',
      local: 'a',
      attrs: [['{}x', '1\n2\t3']],
      text: '\n t&u&amp;\n\r v\n',
      children: [{ ns: 'urn:a', local: 'b', attrs: [], text: '', children: [] }],
    });
  });

  it('reports a well-formedness error before an earlier namespace or entity error', () => {
    expect(() => parseXml('<x:a>&bad;<b></c></x:a>')).toThrow('Mismatched end tag');
    expect(() => parseXml(`<x:a>&bad;${'<b/>'.repeat(10_001)}</x:a>`)).toThrow('Too many elements');
    expect(() => parseXml('<a xmlns="urn:a"><x:b>&bad;</x:b></a>')).toThrow("Undeclared namespace prefix 'x'");
  });
});
