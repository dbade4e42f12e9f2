import type { ReactNode } from 'react';

/**
 * Wraps `[start, end)` ranges of plain text in `<mark>`. The API sends text and ranges, never HTML,
 * so nothing here is parsed as markup.
 */
export function highlight(text: string, ranges: readonly { start: number; end: number }[]): ReactNode {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].filter((r) => r.end > r.start && r.start < text.length).sort((a, b) => a.start - b.start);
  const out: ReactNode[] = [];
  let at = 0;
  for (const r of sorted) {
    const start = Math.max(r.start, at);
    const end = Math.min(r.end, text.length);
    if (end <= start) continue;
    if (start > at) out.push(text.slice(at, start));
    out.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
