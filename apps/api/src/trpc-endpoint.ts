import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AppRouter, appRouter, type Context } from '@triport/core';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';

export interface TrpcEndpointOptions {
  prefix: string;
  createContext(req: IncomingMessage, res: ServerResponse): Promise<Context>;
}

/** `/trpc/*` with tRPC's node-http handler (the wire format @trpc/client's httpBatchLink speaks). */
export function createTrpcEndpoint({ prefix, createContext }: TrpcEndpointOptions) {
  return (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> =>
    nodeHTTPRequestHandler<AppRouter, IncomingMessage, ServerResponse>({
      router: appRouter,
      req,
      res,
      path: pathname.slice(prefix.length + 1),
      createContext: ({ req, res }) => createContext(req, res),
      maxBodySize: 1024 * 1024,
      allowMethodOverride: false,
    });
}
