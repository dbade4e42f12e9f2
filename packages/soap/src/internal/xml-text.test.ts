import { describe, expect, it } from 'vitest';
import { escapeAttr, escapeText, replaceForbiddenChars } from './xml-text.ts';

describe('escapeText', () => {
  it('escapes markup characters so CDATA tricks arrive as text', () => {
    expect(escapeText('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
    expect(escapeText(']]><![CDATA[<x/>]]>')).toBe(']]&gt;&lt;![CDATA[&lt;x/&gt;]]&gt;');
    expect(escapeText('quotes " and \' stay')).toBe('quotes " and \' stay');
    expect(escapeText('line\r\nbreak')).toBe('line&#xD;\nbreak');
  });

  it('replaces characters XML 1.0 forbids with U+FFFD (documented choice)', () => {
    expect(escapeText('a\u0000b\u0008c\u000bd\u001fe')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(escapeText('tab\tnl\n')).toBe('tab\tnl\n');
    expect(escapeText('lone \uD800 high and \uDC00 low')).toBe('lone \uFFFD high and \uFFFD low');
    expect(escapeText('pair \uD83D\uDE00 ok')).toBe('pair \uD83D\uDE00 ok');
    expect(replaceForbiddenChars('\uFFFE\uFFFF')).toBe('\uFFFD\uFFFD');
  });
});

describe('escapeAttr', () => {
  it('escapes both quote styles and whitespace that attribute normalisation would lose', () => {
    expect(escapeAttr(`a"b'c<d>&\t\n`)).toBe('a&quot;b&apos;c&lt;d&gt;&amp;&#x9;&#xA;');
  });
});
