import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AnyTRPCRouter, getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import { buildOpenApiDocument } from './openapi.ts';
import { type ProblemFieldError, RestRequestError, sendProblem } from './problem.ts';
import type { RestErrorEvent, RestHandler, RestHandlerOptions } from './types.ts';
import { ClientGoneError, hasBody, NO_BODY, readJsonBody } from './internal/body.ts';
import { createDocsServer, etagMatches, jsonAsset, sendStatic } from './internal/docs.ts';
import { acceptsJson } from './internal/negotiate.ts';
import { createBodyRenderer } from './internal/rendered-body.ts';
import { coerceScalar, parseQuery, replaceQueryParam } from './internal/query.ts';
import { allowHeader, type CompiledRoute, compileRoutes, matchPath, QUERY_METHODS } from './internal/routes.ts';

const EXPOSED_HEADERS = 'ETag, Link, Location, RateLimit, RateLimit-Policy, Retry-After, X-Request-Id, WWW-Authenticate';
const BASE_ALLOWED_HEADERS = ['authorization', 'content-type', 'if-none-match', 'x-request-id', 'accept'];

const STATUS_CODES: Record<number, TRPCError['code']> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  406: 'BAD_REQUEST',
  408: 'TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
};

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Splits and percent-decodes a path below the base; `%2F` stays inside its segment (it is data). */
function decodeSegments(relative: string): string[] {
  if (relative === '' || relative === '/') return [];
  const raw = relative.slice(1).split('/');
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  const out: string[] = [];
  for (const segment of raw) {
    if (segment === '.' || segment === '..') throw new RestRequestError(400, 'Dot segments are not allowed in paths.');
    if (!segment.includes('%')) {
      out.push(segment);
      continue;
    }
    try {
      out.push(decodeURIComponent(segment));
    } catch {
      throw new RestRequestError(400, 'Malformed percent-encoding or invalid UTF-8 in the path.');
    }
  }
  return out;
}

function defaultRequestId(_req: IncomingMessage, res: ServerResponse): string {
  const existing = res.getHeader('x-request-id');
  if (typeof existing === 'string' && existing !== '') return existing;
  const id = randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function conflict(field: string, where: string): RestRequestError {
  return new RestRequestError(400, `"${field}" is given both in the ${where} and in the body with different values.`, {
    errors: [{ pointer: `/${field}`, message: `Conflicts with the ${where}`, code: 'conflicting_sources' }],
  });
}

/** Maps an issue path to the parameter that carried the field (body fields have none). */
function locator(route: CompiledRoute) {
  return (path: readonly PropertyKey[]): Pick<ProblemFieldError, 'in' | 'parameter'> | undefined => {
    const field = path[0];
    if (typeof field !== 'string') return undefined;
    if (route.pathParams.includes(field)) return { in: 'path', parameter: field };
    for (const [header, name] of route.headerFields) if (name === field) return { in: 'header', parameter: header };
    if (!QUERY_METHODS.has(route.method)) return undefined;
    const sub = path.slice(1).filter((k): k is string => typeof k === 'string');
    return { in: 'query', parameter: field + sub.map((k) => `[${k}]`).join('') };
  };
}

/**
 * Creates the REST handler: routes from `meta.rest` under `basePath`, the OpenAPI document and
 * the Swagger UI docs page. Returns false for URLs that are not its own.
 *
 * Input = path parameters + mapped headers + (GET/DELETE) query parameters or (POST/PUT/PATCH)
 * the JSON body. Each field comes from one source; a body field that repeats a path or header
 * field must carry the same value, else 400.
 *
 * @example
 * const rest = createRestHandler({
 *   router: appRouter,
 *   createContext: ({ req, res }) => createContext(req, res),
 *   openapi: { title: 'Notes API', version: '1.0.0' },
 * });
 * http.createServer(async (req, res) => {
 *   if (!(await rest(req, res))) { res.statusCode = 404; res.end(); }
 * });
 */
export function createRestHandler<TRouter extends AnyTRPCRouter>(options: RestHandlerOptions<TRouter>): RestHandler {
  const basePath = trimSlash(options.basePath ?? '/rest/v1');
  const basePrefix = `${basePath}/`;
  const openapiPath = options.openapiPath ?? '/rest/openapi.json';
  const docsPath = options.docsPath === undefined ? '/rest/docs' : options.docsPath;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  const getRequestId = options.getRequestId ?? defaultRequestId;
  const corsOrigins = new Set(options.cors?.origins ?? []);
  const corsEnabled = corsOrigins.size > 0;
  const corsMaxAge = String(options.cors?.maxAgeSeconds ?? 600);
  const { createContext, onError } = options;
  const abortOnDisconnect = options.abortOnDisconnect ?? false;
  const problemOptions = {
    typeBase: options.problemTypeBase,
    realm: options.realm,
    defaultRetryAfterSeconds: options.defaultRetryAfterSeconds,
  };

  const table = compileRoutes(options.router);
  const info = options.openapi ?? { title: 'API', version: '1.0.0' };
  const document = buildOpenApiDocument(table.routes, {
    ...info,
    basePath,
    problemTypeBase: options.problemTypeBase,
  });
  const documentAsset = jsonAsset(JSON.stringify(document));
  const serveDocs = docsPath === false ? undefined : createDocsServer(trimSlash(docsPath), openapiPath, `${info.title} — API docs`);
  const allowedHeaders = new Set(BASE_ALLOWED_HEADERS);
  for (const route of table.routes) for (const header of route.headerFields.keys()) allowedHeaders.add(header);

  /** Sets CORS response headers for a configured origin; returns whether the origin is allowed. */
  const applyCors = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!corsEnabled) return false;
    res.appendHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (origin === undefined || !corsOrigins.has(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (options.cors?.credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
    return true;
  };

  const answerOptions = (req: IncomingMessage, res: ServerResponse, allow: string, corsAllowed: boolean) => {
    res.setHeader('Allow', allow);
    const requested = req.headers['access-control-request-method'];
    if (corsAllowed && requested !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', allow);
      const asked = (req.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => allowedHeaders.has(h));
      if (asked.length > 0) res.setHeader('Access-Control-Allow-Headers', asked.join(', '));
      res.setHeader('Access-Control-Max-Age', corsMaxAge);
      res.appendHeader('Vary', 'Access-Control-Request-Method, Access-Control-Request-Headers');
    }
    res.statusCode = 204;
    res.end();
  };

  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown, route: CompiledRoute | undefined, instance: string) => {
    if (error instanceof ClientGoneError) {
      res.destroy();
      return;
    }
    const problem = sendProblem(req, res, error, {
      ...problemOptions,
      requestId: getRequestId(req, res),
      instance,
      locate: route ? locator(route) : undefined,
    });
    if (onError) {
      const trpcError =
        error instanceof RestRequestError
          ? new TRPCError({ code: STATUS_CODES[error.status] ?? 'BAD_REQUEST', message: error.message, cause: error })
          : getTRPCErrorFromUnknown(error);
      const event: RestErrorEvent = { error: trpcError, path: route?.procedurePath, req, status: problem.status };
      try {
        onError(event);
      } catch {
        // A failing logger must not turn an answered request into a crash.
      }
    }
  };

  const buildInput = async (req: IncomingMessage, route: CompiledRoute, params: string[], rawQuery: string) => {
    const fields: Record<string, unknown> = {};
    let fromParams = 0;
    for (let i = 0; i < route.pathParams.length; i++) {
      const name = route.pathParams[i]!;
      fields[name] = coerceScalar(params[i]!, route.fields.get(name)!);
      fromParams++;
    }
    for (const [header, field] of route.headerFields) {
      const value = req.headers[header];
      if (value === undefined) continue;
      fields[field] = coerceScalar(Array.isArray(value) ? value.join(', ') : value, route.fields.get(field)!);
      fromParams++;
    }
    if (QUERY_METHODS.has(route.method)) {
      if (hasBody(req)) throw new RestRequestError(400, `${route.method} requests take their input from the query string, not a body.`);
      const query = parseQuery(rawQuery, route.queryFields);
      for (const key of Object.keys(query)) fields[key] = query[key];
      return route.input === undefined ? undefined : fields;
    }
    if (rawQuery !== '') {
      throw new RestRequestError(400, `${route.method} requests take their input from the JSON body, not the query string.`);
    }
    const body = await readJsonBody(req, maxBodyBytes, bodyTimeoutMs);
    if (body === NO_BODY) {
      if (fromParams > 0 || (route.objectInput && !route.optionalInput)) return fields;
      return undefined;
    }
    if (fromParams === 0) return body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new RestRequestError(400, 'The request body must be a JSON object.');
    }
    const merged = body as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (Object.hasOwn(merged, key) && !sameJson(merged[key], fields[key])) {
        throw conflict(key, route.pathParams.includes(key) ? 'path' : 'headers');
      }
      merged[key] = fields[key];
    }
    return merged;
  };

  const bodies = createBodyRenderer();
  const sendSuccess = (
    req: IncomingMessage,
    res: ServerResponse,
    route: CompiledRoute,
    output: unknown,
    relative: string,
    rawQuery: string,
  ) => {
    const isRead = route.method === 'GET';
    res.setHeader(
      'Cache-Control',
      isRead && route.meta.access === 'public' ? (route.rest.cacheControl ?? 'no-cache') : 'private, no-store',
    );
    if (route.successStatus === 204) {
      res.statusCode = 204;
      res.end();
      return;
    }
    const rendered = bodies.render(output);
    const body = rendered.body;
    const record = typeof output === 'object' && output !== null ? (output as Record<string, unknown>) : undefined;
    if (route.successStatus === 201 && route.rest.location && record) {
      let complete = true;
      const location = route.rest.location.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const value = record[name];
        if (typeof value !== 'string' && typeof value !== 'number') complete = false;
        return encodeURIComponent(String(value));
      });
      if (complete) res.setHeader('Location', basePath + location);
    }
    if (isRead && route.rest.pagination && record) {
      const next = record[route.rest.pagination.nextCursorField];
      if ((typeof next === 'string' && next !== '') || typeof next === 'number') {
        const query = replaceQueryParam(rawQuery, route.rest.pagination.cursorParam, String(next));
        res.appendHeader('Link', `<${basePath}${relative}?${query}>; rel="next"`);
      }
    }
    if (isRead) {
      const etag = rendered.etag();
      res.setHeader('ETag', etag);
      if (etagMatches(req.headers['if-none-match'], etag)) {
        res.statusCode = 304;
        res.end();
        return;
      }
    }
    res.statusCode = route.successStatus;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Content-Length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, pathname: string, rawQuery: string) => {
    let route: CompiledRoute | undefined;
    try {
      const corsAllowed = applyCors(req, res);
      const relative = pathname.slice(basePath.length);
      const params: string[] = [];
      const routes = matchPath(table.root, decodeSegments(relative), 0, params);
      if (!routes) throw new RestRequestError(404, 'No resource at this path.');
      const method = req.method ?? 'GET';
      if (method === 'OPTIONS') {
        answerOptions(req, res, allowHeader(routes), corsAllowed);
        return;
      }
      route = routes.get(method === 'HEAD' ? 'GET' : method);
      if (!route) {
        throw new RestRequestError(405, `${method} is not allowed on this resource.`, { headers: { Allow: allowHeader(routes) } });
      }
      if (!acceptsJson(req.headers.accept)) throw new RestRequestError(406, 'This resource is only available as application/json.');
      const input = await buildInput(req, route, params, rawQuery);
      // Opt-in: procedures see `signal` abort when the client goes away before the response is
      // sent. Off by default because an AbortSignal per request is a measurable share of the cost.
      let signal: AbortSignal | undefined;
      if (abortOnDisconnect) {
        const controller = new AbortController();
        signal = controller.signal;
        res.once('close', () => {
          if (!res.writableFinished) controller.abort();
        });
      }
      const ctx = await createContext({ req, res, path: route.procedurePath, meta: route.meta });
      const output = await route.call({
        ctx,
        getRawInput: () => Promise.resolve(input),
        path: route.procedurePath,
        type: route.type,
        signal,
        batchIndex: 0,
      });
      sendSuccess(req, res, route, output, relative, rawQuery);
    } catch (error) {
      fail(req, res, error, route, pathname);
    }
  };

  const docsPrefix = docsPath === false ? undefined : trimSlash(docsPath);
  return async (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    // The document and the docs win over the API prefix, so a basePath like `/rest` cannot shadow them.
    if (pathname === openapiPath) {
      const corsAllowed = applyCors(req, res);
      if (req.method === 'GET' || req.method === 'HEAD') sendStatic(req, res, documentAsset, false);
      else if (req.method === 'OPTIONS') answerOptions(req, res, 'GET, HEAD, OPTIONS', corsAllowed);
      else fail(req, res, new RestRequestError(405, `${req.method} is not allowed on this resource.`, { headers: { Allow: 'GET, HEAD, OPTIONS' } }), undefined, pathname);
      return true;
    }
    if (docsPrefix !== undefined && pathname.startsWith(docsPrefix) && serveDocs?.(req, res, pathname)) return true;
    if (pathname === basePath || pathname.startsWith(basePrefix)) {
      await handleApi(req, res, pathname, q === -1 ? '' : url.slice(q + 1));
      return true;
    }
    return false;
  };
}
