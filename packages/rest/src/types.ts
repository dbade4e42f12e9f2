import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyTRPCRouter, inferRouterContext, TRPCError } from '@trpc/server';

/** HTTP methods a procedure can be bound to (HEAD and OPTIONS are derived). */
export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a procedure; becomes OpenAPI `security` (structurally equal to the app's type). */
export type RestAccessLevel = 'public' | 'user' | 'admin';

/** `meta.rest`: how one procedure is exposed as a REST operation. */
export interface RestRouteMeta {
  method: RestMethod;
  /** Path under the base path with `{param}` placeholders naming input fields, e.g. `/notes/{id}`. */
  path: string;
  summary?: string;
  description?: string;
  tags?: string[];
  /** 200 by default; 201 for creates (with `Location`), 204 for deletes (no body). */
  successStatus?: 200 | 201 | 204;
  /** `Location` template filled from the output with 201, e.g. `/notes/{id}`. */
  location?: string;
  deprecated?: boolean;
  /** `Cache-Control` for successful reads of `access: 'public'` procedures, e.g. `public, max-age=30`. */
  cacheControl?: string;
  /** Request headers copied into input fields, e.g. `{ 'idempotency-key': 'idempotencyKey' }`. */
  headers?: Record<string, string>;
  /** Cursor pagination: the input field with the cursor and the output field with the next one. */
  pagination?: { cursorParam: string; nextCursorField: string };
  /** Error statuses the procedure itself can produce beyond the ones the adapter derives (e.g. `[404]` for a
   * create that names other resources, `[401]` for a login); documented in OpenAPI. */
  errorStatuses?: Array<401 | 403 | 404 | 409>;
}

/** The part of a procedure's meta this adapter reads. Other fields (`soap`, `cost`) are ignored. */
export interface RestProcedureMeta {
  rest?: RestRouteMeta;
  access?: RestAccessLevel;
}

/** What `createContext` receives, once per request, after routing and before input parsing. */
export interface RestCreateContextOptions {
  req: IncomingMessage;
  res: ServerResponse;
  /** Procedure path, e.g. `notes.get`. */
  path: string;
  meta: RestProcedureMeta;
}

/** OpenAPI `info` + `servers` input. */
export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
  servers?: { url: string; description?: string }[];
}

/** Options of `createOpenApiDocument` beyond `info`. */
export interface OpenApiDocumentOptions extends OpenApiInfo {
  /** Prefix of every operation path. Default `/rest/v1`. */
  basePath?: string;
  /** Name of the session cookie documented in the `cookieAuth` scheme. Default `session`. */
  sessionCookieName?: string;
  /** Base URI of problem `type`s. Default {@link DEFAULT_PROBLEM_TYPE_BASE}. */
  problemTypeBase?: string;
}

/** Arguments of the `onError` hook. */
export interface RestErrorEvent {
  error: TRPCError;
  /** Procedure path when the error happened inside (or right before) a procedure call. */
  path: string | undefined;
  req: IncomingMessage;
  /** HTTP status of the problem response. */
  status: number;
}

export interface RestHandlerOptions<TRouter extends AnyTRPCRouter = AnyTRPCRouter> {
  router: TRouter;
  /** Prefix of the REST routes. Default `/rest/v1`. */
  basePath?: string;
  /** Path of the OpenAPI document. Default `/rest/openapi.json`. */
  openapiPath?: string;
  /** Path of the docs page; its assets are served below it. Default `/rest/docs`. `false` disables it. */
  docsPath?: string | false;
  /** Builds the router's context, once per request (it may throw a TRPCError, e.g. UNAUTHORIZED). */
  createContext: (opts: RestCreateContextOptions) => inferRouterContext<TRouter> | Promise<inferRouterContext<TRouter>>;
  /** Default: the `X-Request-Id` response header set by the gateway, else a fresh UUID (then set on `res`). */
  getRequestId?: (req: IncomingMessage, res: ServerResponse) => string;
  /** Largest accepted request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Time allowed to receive a request body before 408. Default 10 000 ms. */
  bodyTimeoutMs?: number;
  /**
   * Pass procedures an AbortSignal that aborts when the client disconnects before the response.
   * Default false: creating a signal per request costs ~4% of a cached read.
   */
  abortOnDisconnect?: boolean;
  /** CORS for these exact origins only (e.g. `https://app.example`). No CORS headers otherwise. */
  cors?: { origins: string[]; credentials?: boolean; maxAgeSeconds?: number };
  openapi?: OpenApiInfo & { sessionCookieName?: string };
  /** Realm in `WWW-Authenticate: Bearer realm="..."`. Default `api`. */
  realm?: string;
  /** `Retry-After` seconds added to 503 responses that have none. Default 30. */
  defaultRetryAfterSeconds?: number;
  problemTypeBase?: string;
  onError?: (event: RestErrorEvent) => void;
}

/** A `(req, res)` handler that returns false when the URL is not its own. */
export type RestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
