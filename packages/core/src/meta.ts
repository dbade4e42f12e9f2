/**
 * Procedure metadata: the single place where a procedure says how it is exposed.
 *
 * The REST and SOAP adapters read these fields from `procedure._def.meta`. They never import this
 * file (dependency rules): each adapter declares a structurally compatible type of its own, and
 * apps/api proves the two agree when it wires `appRouter` into the adapters.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRouteMeta {
  method: HttpMethod;
  /** Path under the REST base (`/rest/v1`), with `{param}` placeholders naming input fields. */
  path: string;
  summary?: string;
  description?: string;
  tags?: string[];
  /** Success status: 200 by default, 201 for creates (with `Location`), 204 for deletes. */
  successStatus?: 200 | 201 | 204;
  /** `Location` template filled from the output, e.g. `/orders/{id}` (with 201). */
  location?: string;
  deprecated?: boolean;
  /** `Cache-Control` for successful public reads, e.g. `public, max-age=30`. */
  cacheControl?: string;
  /** Request headers copied into input fields, e.g. `{ 'idempotency-key': 'idempotencyKey' }`. */
  headers?: Record<string, string>;
  /** Cursor pagination: the input field holding the cursor and the output field with the next one. */
  pagination?: { cursorParam: string; nextCursorField: string };
  /** Error statuses the procedure can produce beyond those the REST adapter derives from access, path
   * parameters and method (e.g. `[404]` when a create names other resources). */
  errorStatuses?: Array<401 | 403 | 404 | 409>;
}

export interface SoapOperationMeta {
  /** WSDL operation name, also the request element's local name (`<Op>` / `<OpResponse>`). */
  operation: string;
  summary?: string;
}

/** Who may call a procedure; adapters turn it into OpenAPI security and WSDL documentation. */
export type AccessLevel = 'public' | 'user' | 'admin';

export interface ProcedureMeta {
  rest?: RestRouteMeta;
  soap?: SoapOperationMeta;
  access?: AccessLevel;
  /** Rate-limit tokens one call costs (default 1); expensive reads such as search cost more. */
  cost?: number;
}
