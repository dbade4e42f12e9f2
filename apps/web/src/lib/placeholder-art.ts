/**
 * Deterministic placeholder art for a product: the same id always gets the same picture, drawn
 * locally as SVG (no image hosts, nothing fetched).
 */
export interface ArtInput {
  id: number;
  name: string;
  category: string;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Hue pairs per category keep one category visually coherent; the id varies the shapes. */
export function artPalette(input: ArtInput): { hue: number; accent: number; seed: number } {
  const hue = hash(input.category) % 360;
  const seed = hash(`${input.id}:${input.name}`);
  return { hue, accent: (hue + 40 + (seed % 80)) % 360, seed };
}

/**
 * SVG markup for a product placeholder (viewBox 0 0 400 300); `variant` gives gallery angles.
 *
 * @example
 * const svg = placeholderSvg({ id: 7, name: 'Trail Runner', category: 'Shoes' });
 */
export function placeholderSvg(input: ArtInput, variant = 0): string {
  const { hue, accent, seed } = artPalette(input);
  const s = ((seed >>> (variant * 3)) ^ Math.imul(variant, 2654435761)) >>> 0;
  // Shapes stay inside the frame: centre kept at least r + 20 from every edge.
  const r = 45 + ((s >>> 16) % 45);
  const cx = r + 20 + (s % (400 - 2 * r - 40));
  const cy = r + 20 + ((s >>> 8) % (300 - 2 * r - 40));
  const rot = (s >>> 4) % 90;
  const initials = input.name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => (w.replace(/[^A-Za-z0-9]/g, '')[0] ?? '').toUpperCase())
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 70% 92%)"/><stop offset="1" stop-color="hsl(${accent} 65% 80%)"/></linearGradient></defs><rect width="400" height="300" fill="url(#g)"/><circle cx="${cx}" cy="${cy}" r="${r}" fill="hsl(${accent} 70% 60% / .55)"/><rect x="${cx - r / 2}" y="${cy - r / 3}" width="${r * 1.4}" height="${r * 1.1}" rx="18" transform="rotate(${rot} ${cx} ${cy})" fill="hsl(${hue} 60% 45% / .45)"/><text x="24" y="276" font-family="system-ui,sans-serif" font-size="34" font-weight="700" fill="hsl(${hue} 50% 25% / .75)">${initials}</text></svg>`;
}

/**
 * URL of the same art served by `/art/[id]` (cacheable, keeps the HTML small).
 *
 * @example
 * <img src={placeholderUrl({ id: 7, name: 'Trail Runner', category: 'Shoes' })} alt="" />
 */
export function placeholderUrl(input: ArtInput, variant = 0): string {
  const q = new URLSearchParams({ n: input.name, c: input.category });
  if (variant) q.set('v', String(variant));
  return `/art/${input.id}?${q.toString()}`;
}
