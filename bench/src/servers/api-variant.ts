/**
 * The production API built exactly like apps/api/src/main.ts (loadConfig → createServices →
 * createApiServer), with one switch the API itself does not offer: `BENCH_RATE_LIMIT=off` removes the
 * limiter from the procedures' services (core treats an absent limiter as "no rate limiting"). Used only
 * for the limiter on/off pair; every other measurement runs the real main.ts.
 */
import { createApiServer, createServices, loadConfig } from '@triport/api';

const config = loadConfig();
const api = await createServices(config);
if (process.env.BENCH_RATE_LIMIT === 'off') delete api.services.rateLimiter;
const server = createApiServer(api);
server.listen(config.port, config.host);
process.once('SIGTERM', () => {
  server.close(() => void api.close().then(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
});
