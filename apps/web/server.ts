/**
 * The storefront's production server: Next.js behind our own node:http server, so every request's
 * `X-Forwarded-For` / `X-Forwarded-Proto` is rewritten to the shopper's real address and scheme before
 * Next.js sees it (see `normalizeForwardedHeaders`). `next start` cannot do this: a proxy.ts has no
 * socket address, and Next keeps whatever `X-Forwarded-For` the client sent.
 *
 * Usage: `node --import tsx apps/web/server.ts [--port 3000] [--hostname 127.0.0.1]` after `next build`
 * (`npm run start -w @triport/web`). Env: PORT (when no --port), WEB_TRUST_PROXY (README), and
 * everything `next start` reads (API_URL, NEXT_DIST_DIR, ...).
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { normalizeForwardedHeaders, parseTrustProxy } from './src/lib/client-address.ts';

const { values } = parseArgs({ options: { port: { type: 'string', short: 'p' }, hostname: { type: 'string', short: 'H' } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname;
const trust = parseTrustProxy(process.env.WEB_TRUST_PROXY);
if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`Invalid port "${values.port ?? process.env.PORT}"`);

// As `next start` does, before React and Next load (they pick their build by NODE_ENV).
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV || 'production', NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED || '1' });
const { default: next } = await import('next');

const server = createServer();
const app = next({ dev: false, dir: import.meta.dirname, hostname, port, httpServer: server });
await app.prepare();
const handle = app.getRequestHandler();

// Registered before Next attaches its own upgrade listener (on the first request), so a proxied
// WebSocket upgrade carries the normalized headers too.
server.on('upgrade', (req) => normalizeForwardedHeaders(req, trust));
server.on('request', (req, res) => {
  normalizeForwardedHeaders(req, trust);
  handle(req, res).catch((error: unknown) => {
    console.error(`Failed to handle ${req.method} ${req.url}`, error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
server.on('error', (error) => {
  console.error(`Storefront server failed: ${error.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => {
  const where = `http://${hostname ?? 'localhost'}:${port}`;
  console.log(`✔ Storefront on ${where} (client address: ${trust === 'off' ? 'socket peer' : `X-Forwarded-For from ${trust} proxies`})`);
});

// Stop taking connections, let in-flight requests finish, then close Next (it may flush `after` work).
let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(1);
  }, 10_000).unref();
  server.close(() => {
    app.close().finally(() => process.exit(0));
  });
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
