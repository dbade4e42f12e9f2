import { escapeXml } from './svg.ts';

export type SoapVersionTag = 'soap11' | 'soap12';

const ENVELOPE_NS = {
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
} as const;

/** What the bench needs from the WSDL: target namespace and each operation's SOAPAction. */
export interface SoapService {
  namespace: string;
  actions: Record<string, string>;
}

/**
 * Reads the target namespace and SOAPActions from a WSDL 1.1 document (the API's `/soap?wsdl`), so the
 * bench sends exactly what the adapter advertises.
 *
 * @example
 * parseWsdl(wsdl).actions.GetProduct; // 'urn:triport:soap:v1#GetProduct'
 */
export function parseWsdl(wsdl: string): SoapService {
  const namespace = /<(?:wsdl:)?definitions\b[^>]*\btargetNamespace="([^"]+)"/.exec(wsdl)?.[1];
  if (!namespace) throw new Error('WSDL has no targetNamespace');
  const actions: Record<string, string> = {};
  for (const m of wsdl.matchAll(/<(?:wsdl:)?operation\s+name="([^"]+)"\s*>\s*<soap:operation\s+soapAction="([^"]*)"/g)) {
    actions[m[1]!] = unescapeXml(m[2]!);
  }
  return { namespace, actions };
}

/**
 * A document/literal wrapped request envelope: `<t:Operation>` with one child per input field, in the
 * given key order (the schema order), arrays as repeated elements, objects nested.
 *
 * @example
 * soapEnvelope('soap11', 'urn:x', 'GetProduct', { id: 1 });
 */
export function soapEnvelope(version: SoapVersionTag, namespace: string, operation: string, input: Record<string, unknown>, headerXml = ''): string {
  const header = headerXml ? `<soap:Header>${headerXml}</soap:Header>` : '';
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ENVELOPE_NS[version]}" xmlns:t="${escapeXml(namespace)}">` +
    `${header}<soap:Body><t:${operation}>${fields(input)}</t:${operation}></soap:Body></soap:Envelope>`
  );
}

function fields(input: Record<string, unknown>): string {
  let xml = '';
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      xml +=
        typeof item === 'object' && item !== null
          ? `<t:${key}>${fields(item as Record<string, unknown>)}</t:${key}>`
          : `<t:${key}>${escapeXml(String(item))}</t:${key}>`;
    }
  }
  return xml;
}

/** Content-Type (and SOAPAction for 1.1) headers for one operation. */
export function soapHeaders(version: SoapVersionTag, action: string): Record<string, string> {
  return version === 'soap11'
    ? { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${action}"` }
    : { 'Content-Type': `application/soap+xml; charset=utf-8; action="${action}"` };
}

function unescapeXml(value: string): string {
  return value.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '');
}
