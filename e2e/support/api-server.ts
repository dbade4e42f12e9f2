/**
 * The API for the e2e suite: a fresh throwaway PGlite directory, migrated and seeded with a small
 * deterministic catalog, then `apps/api` on it. Removes the directory when it stops (Playwright sends
 * SIGTERM to the process group), so nothing is left behind.
 *
 * Env: E2E_API_PORT (default 4100), E2E_PRODUCTS (default 2000).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const seedCli = path.join(root, 'packages/db/src/cli/seed.ts');
const port = process.env.E2E_API_PORT ?? '4100';
const products = process.env.E2E_PRODUCTS ?? '2000';

const dataDir = mkdtempSync(path.join(tmpdir(), 'triport-e2e-pglite-'));
const env = {
  ...process.env,
  PGLITE_DIR: dataDir,
  API_PORT: port,
  API_HOST: '127.0.0.1',
  DATABASE_URL: '',
  REDIS_URL: '',
  // As `npm start` runs it: the storefront on this host reports each shopper's address (client-address.spec.ts).
  TRUST_PROXY: 'loopback',
  // Every browser and the storefront's server share 127.0.0.1: anonymous traffic must not trip the
  // limiter. Signed-in (free) users get a small budget so the rate-limit test can exhaust its own.
  RATE_LIMIT_ANONYMOUS: process.env.E2E_RATE_LIMIT_ANONYMOUS ?? '100000/60s',
  RATE_LIMIT_FREE: process.env.E2E_RATE_LIMIT_FREE ?? '300/60s',
  RATE_LIMIT_PREMIUM: process.env.E2E_RATE_LIMIT_PREMIUM ?? '100000/60s',
};
let cleaned = false;
function cleanUp(): void {
  if (cleaned) return;
  cleaned = true;
  rmSync(dataDir, { recursive: true, force: true });
}
process.on('exit', cleanUp);

if (existsSync(seedCli)) {
  const seeded = spawnSync(tsx, [seedCli, '--products', products], { cwd: root, env, stdio: 'inherit' });
  if (seeded.status !== 0) {
    cleanUp();
    throw new Error(`seeding the e2e catalog failed (exit ${seeded.status})`);
  }
} else {
  // Gap until the catalog helper's seed CLI lands: a handful of fixed rows so the slice has data.
  const fixture = spawnSync(tsx, [path.join(root, 'e2e/support/fixture-catalog.ts')], { cwd: root, env, stdio: 'inherit' });
  if (fixture.status !== 0) {
    cleanUp();
    throw new Error(`loading the e2e fixture catalog failed (exit ${fixture.status})`);
  }
}

let stopping = false;
const api = spawn(tsx, [path.join(root, 'apps/api/src/main.ts')], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    stopping = true;
    if (api.exitCode === null) api.kill('SIGTERM');
  });
}
api.on('exit', (code, signal) => {
  // An API that dies mid-suite shows up as a wall of ECONNREFUSED: say so once, loudly.
  if (!stopping) console.error(`[e2e api-server] the API exited unexpectedly (code ${code}, signal ${signal})`);
  cleanUp();
  process.exit(code ?? 0);
});
