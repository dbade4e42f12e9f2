import type { IncomingMessage, ServerResponse } from 'node:http';
import { compileProcedureCall, memoizeFrozen, type ProcedureCall } from '@triport/procedure-call';
import { type AnyTRPCProcedure, type AnyTRPCRouter, getTRPCErrorFromUnknown, type TRPCError } from '@trpc/server';
import {
  defaultTransformer,
  getErrorShape,
  getHTTPStatusCode,
  type TRPCResponse,
  transformTRPCResponse,
} from '@trpc/server/unstable-core-do-not-import';

export interface QueryEndpointOptions<TReq extends IncomingMessage, TRes extends ServerResponse, TContext> {
  router: AnyTRPCRouter;
  /** Called once per request it takes (a batch shares one context), as tRPC's handler does. */
  createContext(req: TReq, res: TRes): Promise<TContext>;
  onError(req: TReq, error: TRPCError): void;
  maxBatchSize: number;
}

const OPEN_BATCH = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE_BATCH = Buffer.from(']');

/** One call of a batch, resolved before any procedure runs. */
interface Call {
  path: string;
  procedure: ProcedureCall;
  input: unknown;
}

/**
 * The hot path of `/trpc`: GET queries (single or `?batch=1`) answered in the httpBatchLink wire format by
 * calling the procedures directly, the way the REST and SOAP adapters do. tRPC's node-http handler builds a
 * fetch `Request`, `Headers` and `AbortSignal` for every call, about a third of its CPU (bench/FINDINGS.md).
 *
 * Returns false — before reading anything or creating a context — for every request it does not take: not
 * GET, a streaming `Accept`, a malformed or oversized batch, an unknown or non-query procedure. The stock
 * handler then answers those with its own errors, so clients see one behaviour (the parity test checks it).
 *
 * @example
 * const queries = createQueryEndpoint({ router, createContext: (req, res) => ctxFor(req, res), onError: log, maxBatchSize: 20 });
 * if (!(await queries(req, res, 'catalog.product', search))) await stock(req, res);
 */
export function createQueryEndpoint<TReq extends IncomingMessage, TRes extends ServerResponse, TContext>({
  router,
  createContext,
  onError,
  maxBatchSize,
}: QueryEndpointOptions<TReq, TRes, TContext>) {
  // Queries only: anything else goes to the stock handler.
  const queries = new Map<string, ProcedureCall>();
  for (const [name, procedure] of Object.entries(router._def.procedures as Record<string, AnyTRPCProcedure>)) {
    if (procedure._def.type === 'query') queries.set(name, compileProcedureCall(procedure));
  }
  const config = router._def._config;
  // Without a transformer the wire format is plain JSON, so a result's JSON can be spliced in: and for a
  // frozen (cached, immutable) result it is rendered once and kept.
  const plainJson = config.transformer === defaultTransformer;
  // Bytes, not strings: a kept rendering is then written as it is instead of being UTF-8 encoded per
  // response (a third of a cached search's CPU for a 19 kB page).
  const resultBytes = memoizeFrozen((data) => Buffer.from(`{"result":{"data":${JSON.stringify(data)}}}`));
  const responseBytes = (response: TRPCResponse): Buffer =>
    'result' in response && response.result.data !== undefined ? resultBytes(response.result.data) : Buffer.from(JSON.stringify(response));
  const batchBytes = (responses: TRPCResponse[]): Buffer => {
    const parts: Buffer[] = [OPEN_BATCH];
    for (let i = 0; i < responses.length; i += 1) {
      if (i > 0) parts.push(COMMA);
      parts.push(responseBytes(responses[i]!));
    }
    parts.push(CLOSE_BATCH);
    return Buffer.concat(parts);
  };

  function resolveCalls(path: string, search: URLSearchParams, batch: boolean): Call[] | undefined {
    let paths: string[];
    try {
      paths = batch ? decodeURIComponent(path).split(',') : [decodeURIComponent(path)];
    } catch {
      return undefined;
    }
    if (paths.length > maxBatchSize) return undefined;
    let inputs: unknown;
    const raw = search.get('input');
    if (raw) {
      try {
        inputs = JSON.parse(raw);
      } catch {
        return undefined;
      }
    }
    if (batch && inputs !== undefined && (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))) return undefined;
    const calls: Call[] = [];
    for (let index = 0; index < paths.length; index += 1) {
      const name = paths[index]!;
      const procedure = queries.get(name);
      if (!procedure) return undefined;
      const input = batch ? (inputs as Record<string, unknown> | undefined)?.[index] : inputs;
      calls.push({ path: name, procedure, input: input === undefined ? undefined : config.transformer.input.deserialize(input) });
    }
    return calls;
  }

  return async (req: TReq, res: TRes, path: string, search: URLSearchParams): Promise<boolean> => {
    if (req.method !== 'GET') return false;
    const accept = `${req.headers['trpc-accept'] ?? ''},${req.headers.accept ?? ''}`;
    if (accept.includes('application/jsonl')) return false;
    const batch = search.get('batch') === '1';
    const calls = resolveCalls(path, search, batch);
    if (!calls) return false;

    const ctx = await createContext(req, res);
    const results = await Promise.all(
      calls.map(async (call, batchIndex): Promise<TRPCResponse> => {
        try {
          const data: unknown = await call.procedure({
            ctx,
            path: call.path,
            type: 'query',
            getRawInput: async () => call.input,
            signal: undefined,
            batchIndex,
          });
          return { result: { data } };
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          onError(req, error);
          return { error: getErrorShape({ config, error, type: 'query', path: call.path, input: call.input, ctx }) };
        }
      }),
    );
    const body = batch ? results : results[0]!;
    const bytes = !plainJson
      ? Buffer.from(JSON.stringify(transformTRPCResponse(config, body)))
      : batch
        ? batchBytes(results)
        : responseBytes(results[0]!);
    res.statusCode = getHTTPStatusCode(body);
    res.setHeader('vary', 'trpc-accept, accept');
    res.setHeader('content-type', 'application/json');
    res.setHeader('content-length', bytes.length);
    res.end(bytes);
    return true;
  };
}
