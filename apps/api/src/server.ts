import { createServer, type Server } from 'node:http';
import { type AppRouter, appRouter, SESSION_COOKIE_PLAIN, type SoapCredentials, vocabularyOf } from '@triport/core';
import { queryRows } from '@triport/db';
import { createRestHandler } from '@triport/rest';
import { createSoapHandler } from '@triport/soap';
import { getTRPCErrorFromUnknown } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { sql } from 'drizzle-orm';
import { buildContext } from './gateway/context.ts';
import { createQueryEndpoint } from './trpc/query-endpoint.ts';
import { installClientErrorReplies } from './gateway/client-error.ts';
import { requestIdOf } from './gateway/request-id.ts';
import { installLingeringClose } from './lifecycle/lingering-close.ts';
import { metricsAccess } from './observability/metrics-access.ts';
import { CLIENT_CLOSED, GatewayRequest, GatewayResponse, type ResponseListener } from './gateway/response.ts';
import type { ApiServices } from './services.ts';

/** The server `createApiServer` returns (its requests and responses carry the gateway state). */
export type ApiServer = Server<typeof GatewayRequest, typeof GatewayResponse>;

/** Outcome label from the status when no adapter reported an error code. */
function outcomeOfStatus(status: number): string {
  if (status < 400) return 'ok';
  switch (status) {
    case 400:
    case 413:
    case 415:
    case 422:
      return 'VALIDATION';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
    case 405:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMITED';
    case CLIENT_CLOSED:
      return 'CLIENT_CLOSED';
    case 503:
      return 'UNAVAILABLE';
    default:
      return status < 500 ? 'VALIDATION' : 'INTERNAL';
  }
}

/** Log line + metrics, once per request, when its head is written. */
function createResponseListener(api: ApiServices): ResponseListener {
  const { logger, metrics } = api;
  // Label lookups hash their values on every call: keep the children per label set instead.
  const children = new Map<string, { count: { inc(): void }; seconds: { observe(v: number): void } }>();
  return {
    onHead(res, status, totalMs) {
      const outcome = status < 400 ? 'ok' : (res.errorCode ?? outcomeOfStatus(status));
      const procedure = res.observation.procedure ?? '-';
      // Only resolved procedure names reach the label; a tRPC batch is one `batch` value, or every
      // combination a client sends would become a new time series.
      const metricProcedure = procedure.includes(',') ? 'batch' : procedure;
      const labels = `${res.style}\0${metricProcedure}\0${outcome}`;
      let child = children.get(labels);
      if (!child) {
        child = {
          count: metrics.requests.labels(res.style, metricProcedure, outcome),
          seconds: metrics.requestSeconds.labels(res.style, metricProcedure, outcome),
        };
        children.set(labels, child);
      }
      child.count.inc();
      child.seconds.observe(totalMs / 1000);
      // Above `info` the line is dropped anyway: don't build it (one object and three strings a request).
      if (!logger.isLevelEnabled('info')) return;
      const principal = res.principal;
      logger.info({
        requestId: res.requestId,
        style: res.style,
        method: res.req.method,
        path: res.req.url?.split('?', 1)[0],
        procedure,
        principal: principal.kind === 'anonymous' ? 'anonymous' : principal.kind === 'apiKey' ? `apiKey:${principal.keyId}` : `user:${principal.userId}`,
        status,
        outcome,
        ms: Math.round(totalMs * 100) / 100,
        cache: res.observation.cache,
      });
    },
  };
}

/**
 * The API: one node:http server, the gateway in front of every style — `/trpc` (tRPC's node-http
 * handler), `/rest/*` (REST adapter, OpenAPI at `/rest/openapi.json`), `/soap` (SOAP adapter, WSDL at
 * `/soap?wsdl`), plus `/healthz` and `/metrics`.
 *
 * @example
 * const api = await createServices(loadConfig());
 * createApiServer(api).listen(api.config.port);
 */
export function createApiServer(api: ApiServices): ApiServer {
  const listener = createResponseListener(api);
  const logError = (req: GatewayRequest, error: unknown) =>
    api.logger.error({ requestId: req.response?.requestId, err: error instanceof Error ? error.stack : String(error) }, 'Unhandled error');
  /** Adapters' onError hooks: the outcome label, and internal errors logged (never sent). */
  const reportError = (req: GatewayRequest, error: unknown) => {
    const res = req.response;
    if (!res) return;
    const code = vocabularyOf(getTRPCErrorFromUnknown(error).code);
    res.errorCode = code;
    if (code === 'INTERNAL') logError(req, error);
  };

  const rest = createRestHandler({
    router: appRouter,
    basePath: '/rest/v1',
    openapiPath: '/rest/openapi.json',
    docsPath: '/rest/docs',
    createContext: ({ req, res }) => buildContext(api, req, res as GatewayResponse, 'rest'),
    getRequestId: (_req, res) => (res as GatewayResponse).requestId,
    cors: api.config.corsOrigins.length > 0 ? { origins: api.config.corsOrigins, credentials: true } : undefined,
    openapi: {
      title: 'Triport REST API',
      version: '1.0.0',
      description:
        'Authenticate with `Authorization: Bearer tp_<plan>_<id>_<secret>` (API keys: POST /account/api-keys) or the storefront session cookie. Responses carry RateLimit-Policy / RateLimit fields; 429 carries Retry-After.',
      sessionCookieName: SESSION_COOKIE_PLAIN,
    },
    onError: ({ error, req }) => reportError(req as GatewayRequest, error),
  });
  const soap = createSoapHandler({
    router: appRouter,
    path: '/soap',
    namespace: 'urn:triport:soap:v1',
    serviceName: 'TriportService',
    trustProxy: api.config.trustProxy,
    createContext: ({ req, res, security }) =>
      buildContext(api, req, res as GatewayResponse, 'soap', security as SoapCredentials | undefined),
    getRequestId: (_req, res) => (res as GatewayResponse).requestId,
    onError: ({ error, req }) => reportError(req as GatewayRequest, error),
  });

  // Built once, not per request.
  const trpcContextFor = (req: GatewayRequest, res: GatewayResponse) => buildContext(api, req, res, 'trpc');
  const trpcContext = ({ req, res }: { req: GatewayRequest; res: GatewayResponse }) => trpcContextFor(req, res);
  const trpcError = ({ error, req }: { error: unknown; req: GatewayRequest }) => reportError(req, error);
  const maxBatchSize = 20;
  const queries =
    api.config.trpcHandler === 'lean'
      ? createQueryEndpoint({
          router: appRouter,
          maxBatchSize,
          createContext: trpcContextFor,
          onError: reportError,
        })
      : undefined;

  const server = createServer<typeof GatewayRequest, typeof GatewayResponse>(
    { IncomingMessage: GatewayRequest, ServerResponse: GatewayResponse },
    async (req, res) => {
      res.begin(requestIdOf(req), listener);
      req.response = res;
      res.setHeader('X-Request-Id', res.requestId);
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const pathname = q < 0 ? url : url.slice(0, q);
      try {
        if (pathname.startsWith('/trpc/')) {
          res.style = 'trpc';
          const path = pathname.slice(6);
          const search = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
          // GET queries take the direct path; everything else (mutations, streaming, malformed) the stock handler.
          if (queries && (await queries(req, res, path, search))) return;
          await nodeHTTPRequestHandler<AppRouter, GatewayRequest, GatewayResponse>({
            router: appRouter,
            req,
            res,
            path,
            createContext: trpcContext,
            onError: trpcError,
            maxBodySize: 1024 * 1024,
            maxBatchSize,
            allowMethodOverride: false,
          });
          return;
        }
        if (pathname.startsWith('/rest/')) {
          res.style = 'rest';
          if (await rest(req, res)) return;
        }
        if (pathname === '/soap') {
          res.style = 'soap';
          if (await soap(req, res)) return;
        }
        if (pathname === '/healthz') return await health(api, res, () => !server.listening);
        if (pathname === '/metrics') {
          const access = metricsAccess(req, api.config.metricsToken);
          if (access !== 'ok') {
            if (access === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
            const code = access === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN';
            res.errorCode = code;
            return sendJson(res, access, { error: { code, message: access === 401 ? 'Metrics need the METRICS_TOKEN bearer token' : 'Metrics are only served to this host (set METRICS_TOKEN to scrape them remotely)', requestId: res.requestId } });
          }
          const body = await api.metrics.registry.metrics();
          res.writeHead(200, { 'content-type': api.metrics.registry.contentType });
          res.end(body);
          return;
        }
        sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'Not found', requestId: res.requestId } });
      } catch (error) {
        // Adapters render their own errors; reaching here is a bug, and still no internals leave.
        logError(req, error);
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'Internal server error', requestId: res.requestId } });
        else res.destroy();
      }
    },
  );
  // Early refusals (413/415/408) close the connection with the body unread: their reply must still arrive.
  installLingeringClose(server);
  // What Node's parser refuses gets the gateway's JSON error with a request id, and a log line.
  installClientErrorReplies(server, (error, requestId) => {
    if (api.logger.isLevelEnabled('info')) api.logger.info({ requestId, refusedBy: 'http-parser', code: error.code }, 'Request refused by the HTTP parser');
  });
  return server;
}

/**
 * `draining`: the server stopped listening (SIGTERM). New connections are refused already; a load
 * balancer probing over a kept-alive connection learns it here, with a 503, and stops routing to it.
 */
async function health(api: ApiServices, res: GatewayResponse, isDraining: () => boolean): Promise<void> {
  const database = await Promise.race([
    queryRows(api.database.db, sql`SELECT 1 AS ok`).then(
      () => 'up' as const,
      () => 'down' as const,
    ),
    new Promise<'down'>((resolve) => setTimeout(() => resolve('down'), 2000).unref()),
  ]);
  const redis = api.redisStatus();
  // Without Redis the API still serves when the limiter fails open (cache reads go to the database):
  // degraded, not down. Failing closed, every procedure answers 503, so the instance is down.
  const draining = isDraining(); // read after the checks: the answer reflects the moment it is sent
  const serving = !draining && database === 'up' && (redis !== 'down' || api.config.rateLimitFail === 'open');
  sendJson(res, serving ? 200 : 503, {
    status: draining ? 'draining' : !serving ? 'down' : redis === 'down' ? 'degraded' : 'ok',
    database: { status: database, kind: api.database.kind },
    redis: { status: redis },
    rateLimitStore: api.rateLimitStore,
    requestId: res.requestId,
  });
}

function sendJson(res: GatewayResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
