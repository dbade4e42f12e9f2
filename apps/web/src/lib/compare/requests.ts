/**
 * The same operation as three raw HTTP requests: tRPC's wire format, REST and a SOAP 1.1 envelope.
 * Everything goes to the storefront's own origin (rewritten to the API), so the browser's session
 * cookie rides along exactly as it does for the shop itself.
 */
export type Style = 'trpc' | 'rest' | 'soap';
export type Operation = 'search' | 'product' | 'createOrder';

export interface OperationInput {
  q: string;
  limit: number;
  productId: number;
  quantity: number;
  /** Optional API key: sent as `Authorization: Bearer` (tRPC, REST) and `<ApiKey>` (SOAP). */
  apiKey: string;
  /** One idempotency key per style per attempt (three orders are placed, one per style). */
  idempotencyKeys: Record<Style, string>;
}

export interface RawRequest {
  style: Style;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export const SOAP_NAMESPACE_DEFAULT = 'urn:triport:soap:v1';
const SOAP11_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

/** Procedure path (tRPC), REST route and SOAP operation of each compare operation. */
export const OPERATIONS: Record<Operation, { label: string; procedure: string; soapOperation: string }> = {
  search: { label: 'Search products', procedure: 'catalog.search', soapOperation: 'SearchProducts' },
  product: { label: 'Get a product', procedure: 'catalog.product', soapOperation: 'GetProduct' },
  createOrder: { label: 'Create an order', procedure: 'orders.create', soapOperation: 'CreateOrder' },
};

/** The procedure input shared by all three styles: the point is that they carry the same data. */
export function procedureInput(op: Operation, input: OperationInput, style: Style): Record<string, unknown> {
  switch (op) {
    case 'search':
      return { q: input.q, limit: input.limit };
    case 'product':
      return { id: input.productId };
    case 'createOrder':
      return { lines: [{ productId: input.productId, quantity: input.quantity }], idempotencyKey: input.idempotencyKeys[style] };
  }
}

function authHeaders(input: OperationInput): Record<string, string> {
  return input.apiKey ? { authorization: `Bearer ${input.apiKey}` } : {};
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function xmlFields(value: Record<string, unknown>): string {
  let xml = '';
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) {
      xml +=
        typeof item === 'object' && item !== null
          ? `<t:${key}>${xmlFields(item as Record<string, unknown>)}</t:${key}>`
          : `<t:${key}>${escapeXml(String(item))}</t:${key}>`;
    }
  }
  return xml;
}

/**
 * Builds the raw request for one style.
 *
 * @example
 * buildRequest('rest', 'product', input, 'urn:triport:soap:v1'); // GET /rest/v1/products/42
 */
export function buildRequest(style: Style, op: Operation, input: OperationInput, soapNamespace: string): RawRequest {
  const data = procedureInput(op, input, style);
  const { procedure, soapOperation } = OPERATIONS[op];
  if (style === 'trpc') {
    if (op === 'createOrder') {
      return {
        style,
        method: 'POST',
        url: `/trpc/${procedure}`,
        headers: { 'content-type': 'application/json', ...authHeaders(input) },
        body: JSON.stringify(data),
      };
    }
    return { style, method: 'GET', url: `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(data))}`, headers: authHeaders(input), body: null };
  }
  if (style === 'rest') {
    if (op === 'search') {
      const q = new URLSearchParams({ q: input.q, limit: String(input.limit) });
      return { style, method: 'GET', url: `/rest/v1/products?${q}`, headers: { accept: 'application/json', ...authHeaders(input) }, body: null };
    }
    if (op === 'product') {
      return { style, method: 'GET', url: `/rest/v1/products/${input.productId}`, headers: { accept: 'application/json', ...authHeaders(input) }, body: null };
    }
    return {
      style,
      method: 'POST',
      url: '/rest/v1/orders',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'idempotency-key': input.idempotencyKeys.rest,
        ...authHeaders(input),
      },
      body: JSON.stringify({ lines: data.lines }),
    };
  }
  const header = input.apiKey ? `<soap:Header><t:ApiKey>${escapeXml(input.apiKey)}</t:ApiKey></soap:Header>` : '';
  const body =
    `<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="${SOAP11_ENV}" xmlns:t="${escapeXml(soapNamespace)}">` +
    `${header}<soap:Body><t:${soapOperation}>${xmlFields(data)}</t:${soapOperation}></soap:Body></soap:Envelope>`;
  return {
    style,
    method: 'POST',
    url: '/soap',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${soapNamespace}#${soapOperation}"` },
    body,
  };
}
