/**
 * Puts what a SOAP client library decoded into the JSON shape of a reference value, so the data of
 * the three styles can be compared with `toEqual`. Only the representation changes, never a value:
 *
 * - `Date` (node-soap decodes `xs:dateTime`) → the ISO string, compared as an instant;
 * - an absent repeated element where the reference has an array → `[]` (XML cannot say "empty list"
 *   other than by sending no element); a lone element where the reference has an array → `[x]`;
 * - an absent or `xsi:nil` element where the reference has `null` → `null`;
 * - numeric/boolean text where the reference has a number/boolean → that number/boolean.
 *
 * Anything else is copied as it is, so a wrong value, an extra field or a missing non-empty list
 * still differs from the reference.
 *
 * @example
 * expect(alignToShape(trpcProduct, soapProduct)).toEqual(normalizeInstants(trpcProduct));
 */
export function alignToShape(reference: unknown, value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(reference)) {
    if (value === undefined || value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    return list.map((item, i) => alignToShape(reference[i] ?? reference[0], item));
  }
  if (reference === null) {
    if (value === undefined || isNil(value)) return null;
    return alignToShape(undefined, value);
  }
  if (typeof reference === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (typeof reference === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (typeof reference === 'string' && isInstant(reference) && typeof value === 'string' && isInstant(value)) return new Date(value).toISOString();
  if (isRecord(value)) {
    // A nil where the reference has a value stays visible as a difference.
    if (isNil(value)) return null;
    const shape = isRecord(reference) ? reference : {};
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(shape), ...Object.keys(value)])) {
      const aligned = alignToShape(shape[key], value[key]);
      if (aligned !== undefined) out[key] = aligned;
    }
    return out;
  }
  return value;
}

/** The reference itself with every ISO instant in one canonical form (`…T…:…:….mmmZ`). */
export function normalizeInstants(value: unknown): unknown {
  if (typeof value === 'string') return isInstant(value) ? new Date(value).toISOString() : value;
  if (Array.isArray(value)) return value.map(normalizeInstants);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeInstants(v)]));
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** node-soap's form of `<x xsi:nil="true"/>`: `{ attributes: { 'xsi:nil': 'true' } }` (or `true`). */
function isNil(value: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.attributes)) return false;
  const nil = Object.entries(value.attributes).find(([k]) => k === 'nil' || k.endsWith(':nil'))?.[1];
  return nil === true || nil === 'true' || nil === '1';
}

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

function isInstant(text: string): boolean {
  return INSTANT.test(text) && !Number.isNaN(Date.parse(text));
}
