/** Reading the three wire formats back into comparable data, and the Server-Timing breakdown. */
import type { Operation, Style } from './requests';

export interface TimingEntry {
  name: string;
  dur: number;
  desc?: string;
}

/**
 * Parses a `Server-Timing` header: `auth;dur=0.1, db;dur=2.3;desc="2 queries"`.
 *
 * @example
 * parseServerTiming('db;dur=2.5'); // [{ name: 'db', dur: 2.5 }]
 */
export function parseServerTiming(header: string | null): TimingEntry[] {
  if (!header) return [];
  const entries: TimingEntry[] = [];
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.split(';').map((s) => s.trim());
    if (!rawName) continue;
    const entry: TimingEntry = { name: rawName, dur: 0 };
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'dur' && Number.isFinite(Number(value))) entry.dur = Number(value);
      if (key === 'desc') entry.desc = value;
    }
    entries.push(entry);
  }
  return entries;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An XML element as plain data: leaves → text, repeated children → arrays, `xsi:nil` → null. */
export function xmlToData(el: Element): Json {
  if (el.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'nil') === 'true') return null;
  const children = Array.from(el.children);
  if (children.length === 0) return el.textContent ?? '';
  const groups = new Map<string, Json[]>();
  for (const child of children) {
    const list = groups.get(child.localName) ?? [];
    list.push(xmlToData(child));
    groups.set(child.localName, list);
  }
  const out: Record<string, Json> = {};
  for (const [key, values] of groups) out[key] = values.length === 1 ? (values[0] as Json) : values;
  return out;
}

/** The payload of a successful response, whatever the style (null when it is an error). */
export function payloadOf(style: Style, status: number, text: string): unknown {
  if (status < 200 || status >= 300) return null;
  try {
    if (style === 'trpc') return (JSON.parse(text) as { result?: { data?: unknown } }).result?.data ?? null;
    if (style === 'rest') return JSON.parse(text);
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const body = Array.from(doc.documentElement.children).find((c) => c.localName === 'Body');
    const response = body?.firstElementChild;
    return response ? xmlToData(response) : null;
  } catch {
    return null;
  }
}

function asArray(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

/**
 * What must be equal across the styles for one operation: the ids and prices of the results, the
 * product's fields, or the order's lines and total (each style places its own order).
 */
export function fingerprint(op: Operation, payload: unknown): string | null {
  if (payload === null || payload === undefined) return null;
  if (op === 'product') return ['id', 'name', 'priceCents', 'stock'].map((k) => String(field(payload, k))).join('|');
  if (op === 'search') {
    const items = asArray(field(payload, 'items'));
    return items.map((i) => `${String(field(i, 'id'))}:${String(field(i, 'priceCents'))}`).join(',') || 'no results';
  }
  const lines = asArray(field(payload, 'lines'))
    .map((l) => `${String(field(l, 'productId'))}x${String(field(l, 'quantity'))}@${String(field(l, 'unitPriceCents'))}`)
    .join(',');
  return `${lines}|${String(field(payload, 'totalCents'))}`;
}
