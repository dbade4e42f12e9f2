import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRestHandler } from '../../handler.ts';
import type { RestErrorEvent, RestHandlerOptions } from '../../types.ts';
import { createNotesRouter, createStore, type NotesStore, userFromAuthorization } from './notes-router.ts';

export interface TestServer {
  url: string;
  port: number;
  store: NotesStore;
  errors: RestErrorEvent[];
  close: () => Promise<void>;
}

/**
 * A real node:http server on 127.0.0.1:0 that plays the gateway: it sets X-Request-Id and the
 * RateLimit headers before the adapter runs, so tests can prove the adapter keeps them.
 */
export async function startTestServer(overrides: Partial<RestHandlerOptions> = {}): Promise<TestServer> {
  const store = createStore();
  const errors: RestErrorEvent[] = [];
  const handler = createRestHandler({
    router: createNotesRouter(store),
    createContext: ({ req, res }) => ({ user: userFromAuthorization(req.headers.authorization), res }),
    openapi: { title: 'Notes API', version: '1.0.0', description: 'Test API' },
    cors: { origins: ['https://app.example'] },
    onError: (event) => errors.push(event),
    ...overrides,
  });
  let counter = 0;
  const server: Server = createServer((req, res) => {
    res.setHeader('X-Request-Id', `req-${++counter}`);
    res.setHeader('RateLimit-Policy', '"default";q=100;w=60');
    handler(req, res).then(
      (handled) => {
        if (!handled) {
          res.statusCode = 404;
          res.end('not ours');
        }
      },
      () => {
        res.statusCode = 500;
        res.end('handler threw');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
