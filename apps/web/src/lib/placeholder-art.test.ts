import { expect, it } from 'vitest';
import { placeholderSvg, placeholderUrl } from './placeholder-art';

const product = { id: 42, name: 'Trail Runner <Pro> & Co', category: 'Running Shoes' };

it('draws the same picture for the same product, a different one for another', () => {
  expect(placeholderSvg(product)).toBe(placeholderSvg({ ...product }));
  expect(placeholderSvg(product)).not.toBe(placeholderSvg({ ...product, id: 43 }));
  expect(placeholderSvg(product, 1)).not.toBe(placeholderSvg(product, 0));
});

it('never puts markup from the product name into the SVG', () => {
  const svg = placeholderSvg(product);
  expect(svg).not.toContain('<Pro>');
  expect(svg).not.toContain('&');
  expect(svg).toContain('>TR</text>');
});

it('keeps every shape inside the frame', () => {
  for (let id = 1; id <= 300; id++) {
    for (const variant of [0, 1, 2, 3]) {
      const svg = placeholderSvg({ id, name: `Product ${id}`, category: 'Lamps' }, variant);
      const [, cx, cy, r] = /<circle cx="(-?[\d.]+)" cy="(-?[\d.]+)" r="([\d.]+)"/.exec(svg)!.map(Number);
      expect(cx! - r!).toBeGreaterThanOrEqual(0);
      expect(cx! + r!).toBeLessThanOrEqual(400);
      expect(cy! - r!).toBeGreaterThanOrEqual(0);
      expect(cy! + r!).toBeLessThanOrEqual(300);
    }
  }
});

it('links to the art route with everything the picture depends on', () => {
  expect(placeholderUrl(product, 2)).toBe('/art/42?n=Trail+Runner+%3CPro%3E+%26+Co&c=Running+Shoes&v=2');
});
