/**
 * Micro-benchmark server (a child process): the SOAP handler from `SOAP_SRC` (default: this package's
 * src) on node:http at 127.0.0.1:0. Reports its port, and its own CPU usage when asked over IPC, so the
 * load generator's CPU is never counted.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { createSoapHandler as CreateSoapHandler } from '../src/handler.ts';
import { NAMESPACE, productRouter } from './product-router.ts';

const src = resolve(process.env.SOAP_SRC ?? new URL('../src', import.meta.url).pathname);
const { createSoapHandler } = (await import(pathToFileURL(`${src}/handler.ts`).href)) as { createSoapHandler: typeof CreateSoapHandler };

let counter = 0;
const handler = createSoapHandler({
  router: productRouter,
  namespace: NAMESPACE,
  serviceName: 'BenchService',
  createContext: () => ({}),
  // As the gateway: the request id is set on the response before the adapter runs.
  getRequestId: (_req, res) => String(res.getHeader('x-request-id')),
});

const server = createServer((req, res) => {
  counter += 1;
  res.setHeader('x-request-id', `req-${counter}`);
  handler(req, res).then(
    (handled) => {
      if (!handled) {
        res.statusCode = 404;
        res.end();
      }
    },
    () => {
      res.statusCode = 500;
      res.end();
    },
  );
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('message', (message: unknown) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system, requests: counter });
  } else if (message === 'exit') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
