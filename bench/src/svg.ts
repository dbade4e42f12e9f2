/**
 * A small SVG bar-chart writer (no chart library): one row per style, grouped by scenario, with two
 * panels — throughput as a ratio to the bare node:http reply, and p99 latency.
 */
export interface ChartRow {
  label: string;
  /** Throughput / bare throughput; null when not measured. */
  ratio: number | null;
  reqPerSec: number | null;
  p99Ms: number | null;
  /** Highlighted rows (the bare reference) get a different colour. */
  kind?: 'reference' | 'style';
}

export interface ChartGroup {
  title: string;
  rows: ChartRow[];
}

export interface ChartInput {
  title: string;
  subtitle?: string;
  groups: ChartGroup[];
}

const ROW = 26;
const GROUP_GAP = 34;
const LABEL_W = 190;
const PANEL_W = 360;
const GAP = 150;
const TOP = 78;

/**
 * Renders the chart as a standalone SVG document.
 *
 * @example
 * renderChart({ title: 'Cached product read', groups: [{ title: 'product', rows: [{ label: 'REST', ratio: 0.5, reqPerSec: 20000, p99Ms: 4 }] }] });
 */
export function renderChart(input: ChartInput): string {
  const maxRatio = Math.max(1, ...input.groups.flatMap((g) => g.rows.map((r) => r.ratio ?? 0)));
  const maxP99 = Math.max(1, ...input.groups.flatMap((g) => g.rows.map((r) => r.p99Ms ?? 0)));
  const ratioX = LABEL_W;
  const p99X = LABEL_W + PANEL_W + GAP;
  const width = p99X + PANEL_W + 110;
  const parts: string[] = [];
  let y = TOP;
  for (const group of input.groups) {
    parts.push(text(12, y, group.title, 'group'));
    y += 10;
    for (const row of group.rows) {
      const cy = y + ROW / 2;
      parts.push(text(LABEL_W - 10, cy + 4, row.label, 'label', 'end'));
      const fill = row.kind === 'reference' ? '#8a8f98' : '#2f6fdf';
      if (row.ratio != null) {
        const w = (row.ratio / maxRatio) * PANEL_W;
        parts.push(rect(ratioX, y + 4, w, ROW - 8, fill));
        const rps = row.reqPerSec != null ? ` · ${Math.round(row.reqPerSec).toLocaleString('en-US')} req/s` : '';
        parts.push(text(ratioX + w + 6, cy + 4, `${row.ratio.toFixed(2)}×${rps}`, 'value'));
      } else {
        parts.push(text(ratioX + 6, cy + 4, 'not measured', 'missing'));
      }
      if (row.p99Ms != null) {
        const w = (row.p99Ms / maxP99) * PANEL_W;
        parts.push(rect(p99X, y + 4, w, ROW - 8, row.kind === 'reference' ? '#8a8f98' : '#d9822b'));
        parts.push(text(p99X + w + 6, cy + 4, `${formatMs(row.p99Ms)} ms`, 'value'));
      }
      y += ROW;
    }
    y += GROUP_GAP - 10;
  }
  const height = y + 10;
  const axis = [
    line(ratioX, TOP - 6, ratioX, height - 20),
    line(p99X, TOP - 6, p99X, height - 20),
    // 1.0 = the bare node:http reply: the physical limit of this machine.
    dashed(ratioX + PANEL_W / maxRatio, TOP - 6, ratioX + PANEL_W / maxRatio, height - 20),
    text(ratioX, TOP - 12, 'throughput ÷ bare node:http (higher is better)', 'axis'),
    text(p99X, TOP - 12, 'p99 latency (lower is better)', 'axis'),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(input.title)}">`,
    '<style>text{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;fill:#1d2330}.title{font-size:18px;font-weight:600}.subtitle{font-size:12px;fill:#5b6270}.group{font-size:13px;font-weight:600}.label{font-size:12px}.value{font-size:11px;fill:#323846}.axis{font-size:11px;fill:#5b6270}.missing{font-size:11px;fill:#a33}</style>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(12, 26, input.title, 'title'),
    input.subtitle ? text(12, 46, input.subtitle, 'subtitle') : '',
    ...axis,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** Escapes the five XML special characters for text and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function text(x: number, y: number, value: string, cls: string, anchor: 'start' | 'end' = 'start'): string {
  const a = anchor === 'end' ? ' text-anchor="end"' : '';
  return `<text x="${n(x)}" y="${n(y)}" class="${cls}"${a}>${escapeXml(value)}</text>`;
}

function rect(x: number, y: number, w: number, h: number, fill: string): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(Math.max(1, w))}" height="${n(h)}" rx="2" fill="${fill}"/>`;
}

function line(x1: number, y1: number, x2: number, y2: number): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="#c4c8d0"/>`;
}

function dashed(x1: number, y1: number, x2: number, y2: number): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="#8a8f98" stroke-dasharray="4 3"/>`;
}

function n(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
