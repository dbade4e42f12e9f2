import type { IncomingMessage, ServerResponse } from 'node:http';
import { getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';

/** Default base of problem `type` URIs; each code appends its slug (`.../validation`). */
export const DEFAULT_PROBLEM_TYPE_BASE = 'https://triport.dev/problems/';

/** One field-level error of a validation problem. */
export interface ProblemFieldError {
  /** JSON pointer into the procedure input, e.g. `/items/0/qty`. */
  pointer: string;
  /** Where the field came from; absent for the body. */
  in?: 'path' | 'query' | 'header';
  /** Parameter name (`limit`, `price[min]`, `idempotency-key`) when the field is not from the body. */
  parameter?: string;
  message: string;
  /** Machine-readable code, e.g. zod's `invalid_type`. */
  code: string;
}

/** RFC 9457 problem details as rendered by this adapter. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: ProblemFieldError[];
}

interface ProblemKind {
  status: number;
  slug: string;
  title: string;
}

/** tRPC error code → HTTP status and problem type (ARCHITECTURE.md "One error vocabulary"). */
const KINDS: Record<TRPCError['code'], ProblemKind> = {
  PARSE_ERROR: { status: 400, slug: 'malformed-request', title: 'Malformed request' },
  BAD_REQUEST: { status: 400, slug: 'bad-request', title: 'Bad request' },
  UNAUTHORIZED: { status: 401, slug: 'unauthenticated', title: 'Authentication required' },
  PAYMENT_REQUIRED: { status: 402, slug: 'payment-required', title: 'Payment required' },
  FORBIDDEN: { status: 403, slug: 'forbidden', title: 'Forbidden' },
  NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found' },
  METHOD_NOT_SUPPORTED: { status: 405, slug: 'method-not-allowed', title: 'Method not allowed' },
  TIMEOUT: { status: 408, slug: 'timeout', title: 'Request timeout' },
  CONFLICT: { status: 409, slug: 'conflict', title: 'Conflict' },
  PRECONDITION_FAILED: { status: 412, slug: 'precondition-failed', title: 'Precondition failed' },
  PAYLOAD_TOO_LARGE: { status: 413, slug: 'payload-too-large', title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, slug: 'unsupported-media-type', title: 'Unsupported media type' },
  UNPROCESSABLE_CONTENT: { status: 422, slug: 'validation', title: 'Validation failed' },
  PRECONDITION_REQUIRED: { status: 428, slug: 'precondition-required', title: 'Precondition required' },
  TOO_MANY_REQUESTS: { status: 429, slug: 'rate-limited', title: 'Too many requests' },
  CLIENT_CLOSED_REQUEST: { status: 499, slug: 'client-closed-request', title: 'Client closed request' },
  INTERNAL_SERVER_ERROR: { status: 500, slug: 'internal', title: 'Internal server error' },
  NOT_IMPLEMENTED: { status: 501, slug: 'not-implemented', title: 'Not implemented' },
  BAD_GATEWAY: { status: 502, slug: 'bad-gateway', title: 'Bad gateway' },
  SERVICE_UNAVAILABLE: { status: 503, slug: 'unavailable', title: 'Service unavailable' },
  GATEWAY_TIMEOUT: { status: 504, slug: 'gateway-timeout', title: 'Gateway timeout' },
};

const VALIDATION: ProblemKind = KINDS.UNPROCESSABLE_CONTENT;
const NOT_ACCEPTABLE: ProblemKind = { status: 406, slug: 'not-acceptable', title: 'Not acceptable' };
const INTERNAL_DETAIL = 'An unexpected error occurred. Quote the request id when reporting it.';

/** Every problem type this adapter can emit, by HTTP status (used to document the responses). */
export function problemKindForStatus(status: number): ProblemKind {
  if (status === 406) return NOT_ACCEPTABLE;
  if (status === 422) return VALIDATION;
  if (status === 400) return KINDS.PARSE_ERROR;
  for (const kind of Object.values(KINDS)) if (kind.status === status) return kind;
  return KINDS.INTERNAL_SERVER_ERROR;
}

/**
 * An error raised by the adapter itself (routing, parsing, negotiation) with its final status.
 * Kept apart from TRPCError so statuses without a tRPC code (406, 422 from query syntax) stay exact.
 */
export class RestRequestError extends Error {
  readonly status: number;
  readonly errors: ProblemFieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;
  constructor(
    status: number,
    detail: string,
    options: { errors?: ProblemFieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'RestRequestError';
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export interface ProblemContext {
  requestId?: string;
  instance?: string;
  typeBase?: string;
  /** Maps issue paths back to the parameter they came from (path, query, header). */
  locate?: (path: readonly PropertyKey[]) => Pick<ProblemFieldError, 'in' | 'parameter'> | undefined;
}

interface IssueLike {
  path?: readonly unknown[];
  message?: unknown;
  code?: unknown;
}

function issuesOf(error: TRPCError): IssueLike[] | undefined {
  const cause: unknown = error.cause;
  if (typeof cause !== 'object' || cause === null || !('issues' in cause)) return undefined;
  const issues = (cause as { issues: unknown }).issues;
  return Array.isArray(issues) ? (issues as IssueLike[]) : undefined;
}

function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** `['items', 0, 'qty']` → `/items/0/qty` (RFC 6901). */
export function toJsonPointer(path: readonly unknown[]): string {
  let out = '';
  for (const segment of path) {
    const key = typeof segment === 'object' && segment !== null && 'key' in segment ? segment.key : segment;
    out += `/${escapePointerToken(String(key))}`;
  }
  return out;
}

function fieldErrors(issues: IssueLike[], ctx: ProblemContext): ProblemFieldError[] {
  return issues.slice(0, 100).map((issue) => {
    const path = Array.isArray(issue.path) ? issue.path : [];
    const located = ctx.locate?.(path as PropertyKey[]);
    return {
      pointer: toJsonPointer(path),
      ...located,
      message: typeof issue.message === 'string' ? issue.message : 'Invalid value',
      code: typeof issue.code === 'string' ? issue.code : 'invalid',
    };
  });
}

/**
 * Maps any thrown value to RFC 9457 problem details. Only TRPCErrors below 500 keep their message:
 * anything else becomes a generic 500 so no internals (stack, SQL, paths, causes) leave the process.
 *
 * @example
 * problemFromError(new TRPCError({ code: 'NOT_FOUND', message: 'No such note' }), { requestId: 'r1' })
 * // → { type: '.../not-found', title: 'Not found', status: 404, detail: 'No such note', requestId: 'r1' }
 */
export function problemFromError(error: unknown, ctx: ProblemContext = {}): ProblemDetails {
  const base = ctx.typeBase ?? DEFAULT_PROBLEM_TYPE_BASE;
  let kind: ProblemKind;
  let detail: string;
  let errors: ProblemFieldError[] | undefined;
  if (error instanceof RestRequestError) {
    kind = problemKindForStatus(error.status);
    detail = error.message;
    errors = error.errors;
  } else {
    const trpcError = error instanceof TRPCError ? error : getTRPCErrorFromUnknown(error);
    const issues = trpcError.code === 'BAD_REQUEST' ? issuesOf(trpcError) : undefined;
    if (issues) {
      kind = VALIDATION;
      detail = 'The request input is invalid; see `errors`.';
      errors = fieldErrors(issues, ctx);
    } else {
      kind = KINDS[trpcError.code] ?? KINDS.INTERNAL_SERVER_ERROR;
      // 4xx messages are written for the caller; 5xx messages may carry internals, so never echo them.
      if (kind.status === 500) detail = INTERNAL_DETAIL;
      else if (kind.status > 500) detail = `${kind.title}. Try again later.`;
      else if (trpcError.cause instanceof Error && trpcError.message === trpcError.cause.message) {
        // Message inherited from a wrapped error (a driver's text, say), not written for the caller.
        detail = kind.title;
      } else detail = trpcError.message;
    }
  }
  const problem: ProblemDetails = { type: base + kind.slug, title: kind.title, status: kind.status, detail };
  if (ctx.instance !== undefined) problem.instance = ctx.instance;
  if (ctx.requestId !== undefined) problem.requestId = ctx.requestId;
  if (errors && errors.length > 0) problem.errors = errors;
  return problem;
}

export interface SendProblemOptions extends ProblemContext {
  /** Realm of `WWW-Authenticate` on 401. Default `api`. */
  realm?: string;
  /** `Retry-After` seconds set on a 503 that has none. Default 30. */
  defaultRetryAfterSeconds?: number;
}

/**
 * Writes an error as `application/problem+json` (RFC 9457), keeping headers already on `res`
 * (RateLimit, Retry-After, X-Request-Id). Adds `WWW-Authenticate` on 401 and `Retry-After` on 503.
 *
 * @example
 * // in a gateway, after the rate limiter said no (it already set Retry-After and RateLimit):
 * sendProblem(req, res, new TRPCError({ code: 'TOO_MANY_REQUESTS' }), { requestId });
 */
export function sendProblem(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  options: SendProblemOptions = {},
): ProblemDetails {
  // The path only: a query string may carry tokens that do not belong in logs or bodies.
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const problem = problemFromError(error, { instance: q === -1 ? url : url.slice(0, q), ...options });
  if (res.headersSent) {
    res.destroy();
    return problem;
  }
  if (error instanceof RestRequestError && error.headers) {
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  }
  if (problem.status === 401 && !res.hasHeader('www-authenticate')) {
    const realm = (options.realm ?? 'api').replaceAll(/["\\]/g, '');
    const invalid = req.headers.authorization ? ', error="invalid_token"' : '';
    res.setHeader('WWW-Authenticate', `Bearer realm="${realm}"${invalid}`);
  }
  if (problem.status === 503 && !res.hasHeader('retry-after')) {
    res.setHeader('Retry-After', String(options.defaultRetryAfterSeconds ?? 30));
  }
  const body = JSON.stringify(problem);
  res.statusCode = problem.status;
  res.setHeader('Content-Type', 'application/problem+json');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.removeHeader('etag');
  res.end(req.method === 'HEAD' ? undefined : body);
  return problem;
}
