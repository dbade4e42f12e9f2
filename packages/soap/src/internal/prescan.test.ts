/**
 * The prescan is the only well-formedness check (fast-xml-parser's parser pairs `<a>` with `</b>`
 * without complaint). These tests hold it to at least what fast-xml-parser's validator rejected,
 * which the adapter ran as a separate pass before: targeted cases, then a differential fuzz.
 */
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { SoapProtocolError } from './soap-error.ts';
import { parseXml } from './xml-tree.ts';

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

describe('prescan: well-formedness', () => {
  it.each(accepted)('accepts %s', (_name, xml) => {
    expect(outcome(xml)).toBe('ok');
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it.each(refused)('refuses %s', (_name, xml) => {
    expect(outcome(xml)).not.toBe('ok');
  });

  it('accepts nothing that fast-xml-parser’s validator refuses (differential fuzz)', () => {
    // Deterministic PRNG (mulberry32) so a failure can be replayed.
    let seed = 0xc0ffee;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
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
    }
    // The mutations must leave enough documents intact for the comparison to mean something.
    expect(acceptedCount).toBeGreaterThan(1000);
  });
});
