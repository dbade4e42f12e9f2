import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { CONTENT_TYPE_11, CONTENT_TYPE_12, SOAP11_ENV, SOAP12_ENV } from './internal/namespaces.ts';
import { type PublicFault, toPublicFault } from './internal/soap-error.ts';
import { escapeAttr, escapeText } from './internal/xml-text.ts';
import type { SoapVersion } from './types.ts';

export interface RenderSoapFaultOptions {
  /** Anything thrown: a TRPCError (mapped by code), the adapter's own errors, or anything else (generic). */
  error: unknown;
  version: SoapVersion;
  /** Target namespace of the service (the `ErrorDetail` element lives there). */
  namespace: string;
  requestId: string;
}

export interface RenderedSoapFault {
  status: number;
  contentType: string;
  body: string;
}

const RECEIVER_CODES: ReadonlySet<TRPC_ERROR_CODE_KEY> = new Set([
  'INTERNAL_SERVER_ERROR',
  'NOT_IMPLEMENTED',
  'BAD_GATEWAY',
  'SERVICE_UNAVAILABLE',
  'GATEWAY_TIMEOUT',
]);

/** Statuses both versions use: transport-level rejections and the two "come back later" codes. */
const SHARED_STATUS: Partial<Record<TRPC_ERROR_CODE_KEY, number>> = {
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

/** SOAP 1.2 HTTP binding: Sender faults are 4xx; these codes get their specific status. */
const SENDER_STATUS_12: Partial<Record<TRPC_ERROR_CODE_KEY, number>> = {
  ...SHARED_STATUS,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  CONFLICT: 409,
};

/** True when the fault blames the server (SOAP 1.1 `Server`, SOAP 1.2 `Receiver`). */
export function isReceiverCode(code: TRPC_ERROR_CODE_KEY): boolean {
  return RECEIVER_CODES.has(code);
}

function statusOf(fault: PublicFault, version: SoapVersion): number {
  if (fault.kind !== undefined) return 500;
  if (version === '1.1') return SHARED_STATUS[fault.code] ?? 500;
  if (isReceiverCode(fault.code)) return SHARED_STATUS[fault.code] ?? 500;
  return SENDER_STATUS_12[fault.code] ?? 400;
}

function detailXml(fault: PublicFault, requestId: string): string {
  let xml = `<tns:ErrorDetail><tns:code>${fault.code}</tns:code><tns:message>${escapeText(fault.message)}</tns:message><tns:requestId>${escapeText(requestId)}</tns:requestId>`;
  for (const issue of fault.issues) {
    xml += `<tns:issue><tns:path>${escapeText(issue.path)}</tns:path><tns:message>${escapeText(issue.message)}</tns:message></tns:issue>`;
  }
  return `${xml}</tns:ErrorDetail>`;
}

const UPGRADE =
  `<soap12:Upgrade xmlns:soap12="${SOAP12_ENV}">` +
  `<soap12:SupportedEnvelope qname="e12:Envelope" xmlns:e12="${SOAP12_ENV}"/>` +
  `<soap12:SupportedEnvelope qname="e11:Envelope" xmlns:e11="${SOAP11_ENV}"/>` +
  '</soap12:Upgrade>';

function headerXml(fault: PublicFault, prefix: string): string {
  if (fault.kind === 'VersionMismatch') return `<${prefix}:Header>${UPGRADE}</${prefix}:Header>`;
  if (fault.kind === 'MustUnderstand' && fault.notUnderstood.length > 0) {
    const blocks = fault.notUnderstood
      .map(
        (h) =>
          `<soap12:NotUnderstood xmlns:soap12="${SOAP12_ENV}" qname="nu:${escapeAttr(h.local)}" xmlns:nu="${escapeAttr(h.ns)}"/>`,
      )
      .join('');
    return `<${prefix}:Header>${blocks}</${prefix}:Header>`;
  }
  return '';
}

function faultCode11(fault: PublicFault): string {
  if (fault.kind !== undefined) return `soap:${fault.kind}`;
  return isReceiverCode(fault.code) ? 'soap:Server' : 'soap:Client';
}

function faultCode12(fault: PublicFault): string {
  if (fault.kind !== undefined) return `env:${fault.kind}`;
  return isReceiverCode(fault.code) ? 'env:Receiver' : 'env:Sender';
}

/**
 * Renders any error as a SOAP fault of the given version, with the HTTP status the fault table
 * gives (SOAP 1.1: 500, except 429/503 and the transport rejections 413/415; SOAP 1.2: 4xx for
 * Sender, 500/503 for Receiver). Never includes a stack or an internal message.
 *
 * @example
 * const fault = renderSoapFault({ error: new TRPCError({ code: 'TOO_MANY_REQUESTS' }), version: '1.1',
 *   namespace: 'urn:triport:soap:v1', requestId: 'abc' });
 * res.statusCode = fault.status; res.setHeader('content-type', fault.contentType); res.end(fault.body);
 */
export function renderSoapFault(options: RenderSoapFaultOptions): RenderedSoapFault {
  const fault = toPublicFault(options.error);
  const ns = escapeAttr(options.namespace);
  const detail = detailXml(fault, options.requestId);
  const message = escapeText(fault.message);
  let body: string;
  if (options.version === '1.1') {
    body =
      `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP11_ENV}" xmlns:tns="${ns}">` +
      headerXml(fault, 'soap') +
      `<soap:Body><soap:Fault><faultcode>${faultCode11(fault)}</faultcode><faultstring>${message}</faultstring>` +
      `<detail>${detail}</detail></soap:Fault></soap:Body></soap:Envelope>`;
  } else {
    const subcode = fault.kind === undefined ? `<env:Subcode><env:Value>tns:${fault.code}</env:Value></env:Subcode>` : '';
    body =
      `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${SOAP12_ENV}" xmlns:tns="${ns}">` +
      headerXml(fault, 'env') +
      `<env:Body><env:Fault><env:Code><env:Value>${faultCode12(fault)}</env:Value>${subcode}</env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${message}</env:Text></env:Reason>` +
      `<env:Detail>${detail}</env:Detail></env:Fault></env:Body></env:Envelope>`;
  }
  return {
    status: statusOf(fault, options.version),
    contentType: options.version === '1.1' ? CONTENT_TYPE_11 : CONTENT_TYPE_12,
    body,
  };
}

/**
 * The SOAP version a request announces by its Content-Type (`application/soap+xml` → 1.2, anything
 * else → 1.1), for rendering a fault before the adapter has read the envelope.
 *
 * @example
 * renderSoapFault({ error, version: soapVersionOf(req.headers['content-type']), namespace, requestId });
 */
export function soapVersionOf(contentType: string | undefined): SoapVersion {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/soap+xml' ? '1.2' : '1.1';
}
