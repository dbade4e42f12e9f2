import type { TextRange } from './search-schemas.ts';

/**
 * A small highlighter that returns ranges, not markup: the text stays plain and the client escapes it
 * and wraps the ranges (`<mark>`), so nothing from the catalog or the query can inject HTML.
 * A word matches a query token when it starts with the token's stem ("laptops" → "laptop"), or, for a
 * typo-tolerant search, with the corrected token.
 */
const wordPattern = /[\p{L}\p{N}]+/gu;

/** Crude English stem: enough to match "headphones" with "headphone", "boots" with "boot". */
function stem(token: string): string {
  if (token.length > 4 && token.endsWith('ies')) return token.slice(0, -3);
  if (token.length > 4 && token.endsWith('es')) return token.slice(0, -2);
  if (token.length > 3 && token.endsWith('s')) return token.slice(0, -1);
  return token;
}

function stemsOf(tokens: readonly string[]): string[] {
  return [...new Set(tokens.map(stem).filter((s) => s.length >= 2))];
}

/** Ranges of the words of `text` that match one of the tokens. */
export function highlightRanges(text: string, tokens: readonly string[]): TextRange[] {
  const stems = stemsOf(tokens);
  if (stems.length === 0) return [];
  const ranges: TextRange[] = [];
  for (const match of text.matchAll(wordPattern)) {
    const word = match[0].toLowerCase();
    if (stems.some((s) => word.startsWith(s))) ranges.push({ start: match.index, end: match.index + match[0].length });
  }
  return ranges;
}

/**
 * An excerpt of about `width` characters around the first matching word, cut at word boundaries,
 * with its own ranges. Without a match: the beginning of the text.
 *
 * @example
 * snippet('Soft ear cushions. Active noise cancelling...', ['noise']) // { text: '…', ranges: [{ start, end }] }
 */
export function snippet(text: string, tokens: readonly string[], width = 160): { text: string; ranges: TextRange[] } {
  const all = highlightRanges(text, tokens);
  if (text.length <= width) return { text, ranges: all };
  const first = all[0];
  let start = first ? Math.max(0, first.start - Math.floor(width / 3)) : 0;
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space === -1 || space > (first?.start ?? start) ? start : space + 1;
  }
  let end = Math.min(text.length, start + width);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start) end = space;
  }
  const prefix = start > 0 ? '… ' : '';
  const suffix = end < text.length ? ' …' : '';
  const body = text.slice(start, end);
  const shift = prefix.length - start;
  const ranges = all.filter((r) => r.start >= start && r.end <= end).map((r) => ({ start: r.start + shift, end: r.end + shift }));
  return { text: prefix + body + suffix, ranges };
}
