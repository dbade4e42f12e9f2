import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyTRPCRouter, TRPC_ERROR_CODE_KEY, TRPCError, inferRouterContext } from '@trpc/server';

/** SOAP envelope version; the envelope namespace decides it and the content type must agree. */
export type SoapVersion = '1.1' | '1.2';

/** `meta.soap`: a procedure is exposed as a SOAP operation only when this is set. */
export interface SoapOperationMeta {
  /** WSDL operation name and request element local name (`<tns:Op>` / `<tns:OpResponse>`). */
  operation: string;
  summary?: string;
}

/**
 * The part of a procedure's meta this adapter reads. Structurally compatible with the app's
 * `ProcedureMeta` (declared here so the adapter never imports the app).
 */
export interface SoapProcedureMeta {
  soap?: SoapOperationMeta;
  access?: 'public' | 'user' | 'admin';
  [key: string]: unknown;
}

/** Credentials found in the SOAP Header, handed to `createContext` unverified. */
export type SoapSecurity =
  | {
      kind: 'usernameToken';
      username: string;
      password: string;
      passwordType: 'text' | 'digest';
      /** Base64 text as sent (`wsse:Nonce`). */
      nonce?: string;
      /** `wsu:Created` as sent. */
      created?: string;
    }
  | { kind: 'apiKey'; key: string };

export interface SoapCreateContextOptions {
  req: IncomingMessage;
  res: ServerResponse;
  /** tRPC procedure path, e.g. `notes.get`. */
  path: string;
  meta: SoapProcedureMeta;
  /** SOAP operation name. */
  operation: string;
  version: SoapVersion;
  security: SoapSecurity | undefined;
}

export interface SoapErrorHookOptions {
  /** The error as the fault reports it: procedure errors as thrown, protocol refusals with their own code. */
  error: TRPCError;
  /** HTTP status of the fault response. */
  status: number;
  /** Procedure path when known. */
  path: string | undefined;
  req: IncomingMessage;
}

export interface SoapLimits {
  /** Raw (possibly compressed) body bytes; default 1 MiB. */
  maxBodyBytes?: number;
  /** Element nesting depth, Envelope = 1; default 32. */
  maxDepth?: number;
  /** Elements in one message; default 10,000. */
  maxElements?: number;
  /** Bytes after gzip/deflate inflation; default = maxBodyBytes. */
  maxInflatedBytes?: number;
}

export interface SoapHandlerOptions<TRouter extends AnyTRPCRouter = AnyTRPCRouter> {
  router: TRouter;
  /** URL path of the endpoint; default `/soap`. */
  path?: string;
  /** Target namespace URI of the generated WSDL/XSD, e.g. `urn:triport:soap:v1`. */
  namespace: string;
  /** WSDL service name, e.g. `NotesService`. */
  serviceName: string;
  /** Called once per request, before the procedure; its result is the procedure's `ctx`. */
  createContext: (opts: SoapCreateContextOptions) => inferRouterContext<TRouter> | Promise<inferRouterContext<TRouter>>;
  /** Default: the `X-Request-Id` response header (one is generated and set when absent). */
  getRequestId?: (req: IncomingMessage, res: ServerResponse) => string;
  limits?: SoapLimits;
  /** Absolute endpoint URL written into the WSDL; default derived from the request. */
  publicUrl?: string;
  /** Honour `X-Forwarded-Proto` / `X-Forwarded-Host` when deriving the WSDL address. */
  trustProxy?: boolean;
  onError?: (opts: SoapErrorHookOptions) => void;
  /**
   * Pass procedures an AbortSignal that aborts when the client disconnects before the response.
   * Default false (`signal` is undefined): a signal and a close listener per request cost ~4% of a
   * cached read.
   */
  abortOnDisconnect?: boolean;
}

/** Field-level validation message carried in a fault's detail. */
export interface SoapFieldIssue {
  path: string;
  message: string;
}

export type SoapErrorCode = TRPC_ERROR_CODE_KEY;
