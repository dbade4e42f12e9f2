/**
 * The reference servers, one per child process (`node --import tsx reference-server.ts <kind>`):
 *
 * - `bare`: node:http replying with fixed bodies captured from the real procedures (the physical limit:
 *   no routing, no validation, no cache lookup — just the same bytes).
 * - `caller`: the same procedures via `createCaller` in a plain node:http handler (tRPC's core cost
 *   without any HTTP adapter): `GET /call/<procedure>?input=<json>` and `POST /call/<procedure>`.
 * - `trpc-standalone`: tRPC's stock `@trpc/server/adapters/standalone` serving `appRouter` at `/trpc/`
 *   (the httpBatchLink wire format), without our gateway.
 *
 * Environment: BENCH_PORT, BENCH_DATABASE_URL (caller / standalone), BENCH_BARE_ROUTES (bare: JSON file
 * `{ "/path": { "status": 200, "contentType": "...", "body": "..." } }`, matched on the path without query).
 * `GET /__bench/queries` answers the number of SQL statements run so far (createDb's `onQuery`).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { appRouter, createCaller, createMemoryCache, internalContext, type Services } from '@triport/core';
import { createDb } from '@triport/db';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';

interface BareRoute {
  status: number;
  contentType: string;
  body: string;
}

const kind = process.argv[2];
const port = Number(process.env.BENCH_PORT);
let queries = 0;

async function main(): Promise<void> {
  const listener = kind === 'bare' ? bareListener() : await procedureListener();
  const server = createServer((req, res) => {
    if (req.url === '/healthz') return send(res, 200, 'application/json', '{"status":"ok"}');
    if (req.url === '/__bench/queries') return send(res, 200, 'application/json', JSON.stringify({ queries }));
    listener(req, res);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1');
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}

function bareListener(): RequestListener {
  const file = process.env.BENCH_BARE_ROUTES;
  if (!file) throw new Error('BENCH_BARE_ROUTES is required for the bare server');
  const routes = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, BareRoute>));
  const prepared = new Map([...routes].map(([p, r]) => [p, { ...r, bytes: Buffer.from(r.body) }]));
  return (req, res) => {
    const route = prepared.get((req.url ?? '/').split('?', 1)[0] ?? '/');
    // Read (and drop) any request body so POSTs are measured like the real servers see them.
    req.resume();
    req.on('end', () => {
      if (!route) return send(res, 404, 'text/plain', 'no route');
      res.writeHead(route.status, { 'content-type': route.contentType, 'content-length': route.bytes.length });
      res.end(route.bytes);
    });
  };
}

async function procedureListener(): Promise<RequestListener> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is required for the caller and standalone servers');
  const handle = await createDb({ url, onQuery: () => void queries++ });
  const services: Services = { db: handle.db, cache: createMemoryCache() };
  if (kind === 'trpc-standalone') {
    return createHTTPHandler({ router: appRouter, basePath: '/trpc/', createContext: () => internalContext(services) });
  }
  if (kind === 'caller') {
    // A caller per request, as a real handler would build one from each request's context.
    return (req, res) => void callProcedure(createCaller(internalContext(services)), req, res);
  }
  throw new Error(`Unknown reference server kind "${kind}"`);
}

type Procedure = (input: unknown) => Promise<unknown>;

async function callProcedure(caller: object, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith('/call/')) return send(res, 404, 'text/plain', 'no route');
    const procedure = url.pathname
      .slice('/call/'.length)
      .split('.')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], caller);
    if (typeof procedure !== 'function') return send(res, 404, 'text/plain', 'no procedure');
    const raw = req.method === 'POST' ? await readBody(req) : (url.searchParams.get('input') ?? 'null');
    const output = await (procedure as Procedure)(JSON.parse(raw));
    send(res, 200, 'application/json', JSON.stringify(output));
  } catch (error) {
    const code = (error as { code?: string }).code;
    send(res, code === 'NOT_FOUND' ? 404 : code === 'BAD_REQUEST' ? 400 : 500, 'application/json', JSON.stringify({ error: String(code) }));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

await main();
