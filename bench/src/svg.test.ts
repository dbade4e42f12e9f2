import { describe, expect, it } from 'vitest';
import { escapeXml, renderChart } from './svg.ts';

/** Tag balance: every opened element is closed in order (enough to catch a broken writer). */
function isBalanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0;
}

const input = {
  title: 'Cached product read <Triport & co>',
  subtitle: 'one run',
  groups: [
    {
      title: 'product-cached',
      rows: [
        { label: 'bare node:http', ratio: 1, reqPerSec: 40_000, p99Ms: 2, kind: 'reference' as const },
        { label: 'REST', ratio: 0.5, reqPerSec: 20_000, p99Ms: 8 },
        { label: 'SOAP 1.1', ratio: null, reqPerSec: null, p99Ms: null },
      ],
    },
  ],
};

describe('renderChart', () => {
  it('writes a well-formed SVG document with escaped text', () => {
    const svg = renderChart(input);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(isBalanced(svg)).toBe(true);
    expect(svg).toContain('Cached product read &lt;Triport &amp; co&gt;');
    expect(svg).not.toContain('<Triport');
  });

  it('draws bars proportional to the values', () => {
    const svg = renderChart(input);
    const widths = [...svg.matchAll(/<rect x="190" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([360, 180]); // ratio 1 fills the panel, 0.5 half of it
    expect(svg).toContain('0.50× · 20,000 req/s');
    expect(svg).toContain('8.00 ms');
  });

  it('says when a style was not measured instead of drawing a zero bar', () => {
    expect(renderChart(input)).toContain('not measured');
  });

  it('grows with the number of rows', () => {
    const height = (svg: string) => Number(/height="(\d+)"/.exec(svg)?.[1]);
    const more = { ...input, groups: [...input.groups, { title: 'search', rows: input.groups[0]!.rows }] };
    expect(height(renderChart(more))).toBeGreaterThan(height(renderChart(input)));
  });
});

describe('escapeXml', () => {
  it('escapes the five special characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});
