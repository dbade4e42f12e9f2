import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { memoizeFrozen } from '@triport/procedure-call';
import { type AnyTRPCRouter, getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import { renderSoapFault } from './fault.ts';
import { readSecurityHeader } from './internal/headers.ts';
import { endpointUrl, parseContentType, unquote } from './internal/http.ts';
import { CONTENT_TYPE_11, CONTENT_TYPE_12, SOAP11_ENV, SOAP12_ENV, XSI } from './internal/namespaces.ts';
import { type SoapOperation, collectOperations } from './internal/operations.ts';
import { UTF8_NAME, decodeUtf8, parseXml } from './internal/xml-parser.ts';
import { readBody } from './internal/read-body.ts';
import { SoapProtocolError } from './internal/soap-error.ts';
import { type XmlElement, isBlank } from './internal/xml-tree.ts';
import { escapeAttr, isNcName } from './internal/xml-text.ts';
import type { SoapHandlerOptions, SoapVersion } from './types.ts';
import { renderWsdl, schemaXml, soapActionOf } from './wsdl.ts';

const MiB = 1024 * 1024;
const WSDL_CACHE_LIMIT = 32;

/** The request handler: resolves to false when the URL is not the SOAP endpoint. */
export type SoapRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

function defaultRequestId(_req: IncomingMessage, res: ServerResponse): string {
  const existing = res.getHeader('x-request-id');
  if (typeof existing === 'string' && existing !== '') return existing;
  const id = randomUUID();
  if (!res.headersSent) res.setHeader('x-request-id', id);
  return id;
}

const NOT_OURS: Promise<boolean> = Promise.resolve(false);

/**
 * The procedure's `getRawInput` without a closure per request: the API runs under tsx, whose esbuild
 * transform (keepNames) adds an Object.defineProperty to every closure it creates (~2 µs here).
 */
function rawInput(input: unknown): () => Promise<unknown> {
  return Promise.resolve.bind(Promise, input) as () => Promise<unknown>;
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  if (res.headersSent) {
    // Something upstream already answered; don't corrupt the response.
    if (!res.writableEnded) res.end();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.setHeader('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.end(body);
}

/** An operation with its response renderers (the whole response body, per SOAP version). */
interface Endpoint {
  operation: SoapOperation;
  /** The WSDL soapAction of the operation. */
  action: string;
  respond11: (output: unknown) => Buffer;
  respond12: (output: unknown) => Buffer;
}

interface Envelope {
  header: XmlElement | undefined;
  payload: XmlElement;
}

/** Validates Envelope/Header/Body structure for the version the content type announced. */
function openEnvelope(root: XmlElement, version: SoapVersion): Envelope {
  const expected = version === '1.1' ? SOAP11_ENV : SOAP12_ENV;
  if (root.local !== 'Envelope' || root.ns !== expected) {
    // SOAP 1.2 Appendix A: a SOAP 1.1 envelope gets a SOAP 1.1 VersionMismatch fault (with Upgrade),
    // whatever the content type; the envelope namespace decides.
    const respondAs = root.local === 'Envelope' && root.ns === SOAP11_ENV ? '1.1' : version;
    throw new SoapProtocolError('BAD_REQUEST', `Expected a SOAP ${version} Envelope`, { kind: 'VersionMismatch', respondAs });
  }
  if (!isBlank(root.text)) throw new SoapProtocolError('BAD_REQUEST', 'Text is not allowed in the Envelope');
  let header: XmlElement | undefined;
  let body: XmlElement | undefined;
  for (const child of root.children) {
    const isEnv = child.ns === expected;
    if (isEnv && child.local === 'Header' && !header && !body) header = child;
    else if (isEnv && child.local === 'Body' && !body) body = child;
    else throw new SoapProtocolError('BAD_REQUEST', `Unexpected element '${child.local}' in the Envelope`);
  }
  if (!body) throw new SoapProtocolError('BAD_REQUEST', 'The Envelope has no Body');
  if (!isBlank(body.text)) throw new SoapProtocolError('BAD_REQUEST', 'Text is not allowed in the Body');
  if (body.children.length === 0) throw new SoapProtocolError('BAD_REQUEST', 'The Body is empty');
  if (body.children.length > 1) throw new SoapProtocolError('BAD_REQUEST', 'The Body must contain exactly one element');
  return { header, payload: body.children[0]! };
}

/**
 * Creates the SOAP endpoint: `POST <path>` runs operations (SOAP 1.1 and 1.2), `GET <path>?wsdl`
 * serves the WSDL 1.1 and `GET <path>?xsd` the bare schema. Everything per operation (XSD, decoder,
 * encoder) is computed here, once.
 *
 * @example
 * const soap = createSoapHandler({ router: appRouter, namespace: 'urn:triport:soap:v1',
 *   serviceName: 'NotesService', createContext: ({ req, security }) => ({ req, security }) });
 * http.createServer(async (req, res) => { if (!(await soap(req, res))) { res.statusCode = 404; res.end(); } });
 */
export function createSoapHandler<TRouter extends AnyTRPCRouter>(options: SoapHandlerOptions<TRouter>): SoapRequestHandler {
  const endpointPath = options.path ?? '/soap';
  const { namespace, serviceName } = options;
  const maxBodyBytes = options.limits?.maxBodyBytes ?? MiB;
  const bodyLimits = { maxBodyBytes, maxInflatedBytes: options.limits?.maxInflatedBytes ?? maxBodyBytes };
  const scanLimits = { maxDepth: options.limits?.maxDepth ?? 32, maxElements: options.limits?.maxElements ?? 10_000 };
  if (!isNcName(serviceName)) throw new Error(`serviceName '${serviceName}' is not a valid XML name`);
  if (namespace.trim() === '') throw new Error('namespace must be a non-empty URI');
  const getRequestId = options.getRequestId ?? defaultRequestId;
  const abortOnDisconnect = options.abortOnDisconnect ?? false;
  const operationList = [...collectOperations(options.router).values()];
  const wsdlCache = new Map<string, string>();
  const xsd = `<?xml version="1.0" encoding="UTF-8"?>${schemaXml(operationList, namespace)}`;
  const ns = escapeAttr(namespace);
  const open11 = `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP11_ENV}" xmlns:xsi="${XSI}" xmlns:tns="${ns}"><soap:Body>`;
  const close11 = '</soap:Body></soap:Envelope>';
  const open12 = `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${SOAP12_ENV}" xmlns:xsi="${XSI}" xmlns:tns="${ns}"><env:Body>`;
  const close12 = '</env:Body></env:Envelope>';
  // A frozen output (a cache hit: cached values are deep-frozen) always encodes to the same bytes, so its
  // response body is rendered once and reused, as REST reuses its JSON (memoizeFrozen).
  const endpoints = new Map<string, Endpoint>(
    operationList.map((op) => [
      op.name,
      {
        operation: op,
        action: soapActionOf(namespace, op.name),
        respond11: memoizeFrozen((output) => Buffer.from(open11 + op.responseOpen + op.encode(output) + op.responseClose + close11)),
        respond12: memoizeFrozen((output) => Buffer.from(open12 + op.responseOpen + op.encode(output) + op.responseClose + close12)),
      },
    ]),
  );

  function wsdlFor(req: IncomingMessage): string {
    const address = options.publicUrl ?? endpointUrl(req, endpointPath, options.trustProxy === true);
    let wsdl = wsdlCache.get(address);
    if (wsdl === undefined) {
      wsdl = renderWsdl(operationList, { namespace, serviceName, address });
      if (wsdlCache.size >= WSDL_CACHE_LIMIT) wsdlCache.clear();
      wsdlCache.set(address, wsdl);
    }
    return wsdl;
  }

  function checkAction(endpoint: Endpoint, action: string | undefined): void {
    if (action === undefined || action === '') return;
    if (action === endpoint.action || action === endpoint.operation.name) return;
    throw new SoapProtocolError('BAD_REQUEST', 'SOAPAction does not match the Body element');
  }

  /** Resolves to true (the request was ours), so the router can return this promise as it is. */
  async function handlePost(req: IncomingMessage, res: ServerResponse): Promise<true> {
    let requestId = '';
    try {
      requestId = getRequestId(req, res);
    } catch {
      // A broken request-id hook must not turn a fault into a crash.
    }
    let version: SoapVersion = '1.1';
    let operation: SoapOperation | undefined;
    try {
      const contentType = parseContentType(req.headers['content-type']);
      if (contentType.mediaType === 'application/soap+xml') version = '1.2';
      else if (contentType.mediaType !== 'text/xml') {
        req.resume();
        throw new SoapProtocolError('UNSUPPORTED_MEDIA_TYPE', 'Use text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2)');
      }
      const charset = contentType.params.get('charset');
      if (charset !== undefined && !UTF8_NAME.test(charset)) {
        req.resume();
        throw new SoapProtocolError('UNSUPPORTED_MEDIA_TYPE', 'Only UTF-8 encoded messages are supported');
      }
      const headerAction = req.headers.soapaction;
      const action = unquote(version === '1.1' ? (Array.isArray(headerAction) ? headerAction[0] : headerAction) : contentType.params.get('action'));

      const xml = decodeUtf8(await readBody(req, bodyLimits));
      const { header, payload } = openEnvelope(parseXml(xml, scanLimits), version);
      const security = readSecurityHeader(header, version, namespace);
      const endpoint = payload.ns === namespace ? endpoints.get(payload.local) : undefined;
      if (!endpoint) throw new SoapProtocolError('BAD_REQUEST', `Unknown operation '${payload.local}'`);
      operation = endpoint.operation;
      checkAction(endpoint, action);
      const input = operation.decode(payload);
      const ctx = await options.createContext({
        req,
        res,
        path: operation.path,
        meta: operation.meta,
        operation: operation.name,
        version,
        security,
      });
      // Opt-in: lets a long-running procedure stop when the client goes away. Off by default
      // because an AbortSignal and a close listener per request are a measurable share of a cheap call.
      let signal: AbortSignal | undefined;
      let onClose: (() => void) | undefined;
      if (abortOnDisconnect) {
        const abort = new AbortController();
        signal = abort.signal;
        onClose = (): void => {
          if (!res.writableFinished) abort.abort();
        };
        res.once('close', onClose);
      }
      let output: unknown;
      try {
        output = await operation.procedure({
          ctx,
          path: operation.path,
          getRawInput: rawInput(input),
          type: operation.type,
          signal,
          batchIndex: 0,
        });
      } finally {
        if (onClose) res.off('close', onClose);
      }
      if (version === '1.1') send(res, 200, CONTENT_TYPE_11, endpoint.respond11(output));
      else send(res, 200, CONTENT_TYPE_12, endpoint.respond12(output));
    } catch (error) {
      const faultVersion = error instanceof SoapProtocolError ? (error.respondAs ?? version) : version;
      const fault = renderSoapFault({ error, version: faultVersion, namespace, requestId });
      if (options.onError) {
        // Protocol refusals (bad XML, DOCTYPE, action mismatch) reach the hook with their own code, so an app
        // does not log a client's mistake as an internal error.
        const trpcError =
          error instanceof SoapProtocolError
            ? new TRPCError({ code: error.code, message: error.message, cause: error })
            : getTRPCErrorFromUnknown(error);
        try {
          options.onError({ error: trpcError, path: operation?.path, req, status: fault.status });
        } catch {
          // Logging failures must not replace the fault.
        }
      }
      // The body may not have been read (too large, wrong type): don't keep the connection.
      if (!req.complete) res.setHeader('connection', 'close');
      send(res, fault.status, fault.contentType, fault.body);
    }
    return true;
  }

  /** GET/HEAD (WSDL, XSD, pointer) and other methods on the path: not the hot path. */
  async function handleOther(req: IncomingMessage, res: ServerResponse, query: string): Promise<true> {
    // HEAD is answered like GET; node:http drops the body itself.
    const isGet = req.method === 'GET' || req.method === 'HEAD';
    if (isGet && query === 'wsdl') {
      send(res, 200, 'text/xml; charset=utf-8', wsdlFor(req));
    } else if (isGet && query === 'xsd') {
      send(res, 200, 'text/xml; charset=utf-8', xsd);
    } else if (isGet) {
      const address = options.publicUrl ?? endpointUrl(req, endpointPath, options.trustProxy === true);
      send(res, 200, 'text/plain; charset=utf-8', `${serviceName}: SOAP 1.1/1.2 endpoint. POST envelopes here; WSDL at ${address}?wsdl\n`);
    } else {
      res.setHeader('allow', 'GET, HEAD, POST');
      send(res, 405, 'text/plain; charset=utf-8', 'POST SOAP messages here; GET ?wsdl for the service description\n');
    }
    return true;
  }

  // Not an async function: a POST goes straight to handlePost's promise (one async layer less per call).
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    if (pathname !== endpointPath) return NOT_OURS;
    if (req.method === 'POST') return handlePost(req, res);
    return handleOther(req, res, q === -1 ? '' : url.slice(q + 1).toLowerCase());
  };
}
