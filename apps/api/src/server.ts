import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context, Services } from '@triport/core';
import { requestIdOf } from './gateway/request-id.ts';
import { createTrpcEndpoint } from './trpc-endpoint.ts';

export interface ApiServerOptions {
  services: Services;
  /** Reported by /healthz. */
  database: { kind: string };
}

/**
 * The API: one node:http server, the gateway in front of every style.
 *
 * @example
 * const server = createApiServer({ services, database: handle });
 * server.listen(4000);
 */
export function createApiServer({ services, database }: ApiServerOptions): Server {
  const createContext = async (req: IncomingMessage, res: ServerResponse): Promise<Context> => ({
    services,
    requestId: String(res.getHeader('x-request-id')),
    style: 'trpc',
    principal: { kind: 'anonymous' },
    clientIp: req.socket.remoteAddress ?? 'unknown',
    setHeader: (name, value) => res.setHeader(name, value),
    timing: { add: () => {} },
  });
  const trpc = createTrpcEndpoint({ prefix: '/trpc', createContext });

  const server = createServer(async (req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader('X-Request-Id', requestId);
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    try {
      if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok', database: database.kind });
      if (pathname === '/trpc' || pathname.startsWith('/trpc/')) return await trpc(req, res, pathname);
      sendJson(res, 404, { error: 'Not found', requestId });
    } catch {
      // Adapters render their own errors; reaching here is a bug, and still no internals leave.
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error', requestId });
      else res.destroy();
    }
  });
  return server;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
