/**
 * The storefront for the e2e suite: `next build` into a per-run dist dir (rewrites are fixed at build
 * time, so it is built against this run's API), then apps/web/server.ts as `npm start` runs it. On
 * SIGTERM (Playwright stops the process group) it stops the server and removes the build, so
 * concurrent runs never share or leave one.
 *
 * Env: E2E_WEB_PORT, E2E_API_PORT.
 */
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(root, 'apps/web');
const next = path.join(root, 'node_modules/.bin/next');
const webPort = process.env.E2E_WEB_PORT ?? '3100';
const apiPort = process.env.E2E_API_PORT ?? '4100';
const distDir = `.next-e2e/${webPort}`;
const env = { ...process.env, API_URL: `http://127.0.0.1:${apiPort}`, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' };

let cleaned = false;
function cleanUp(): void {
  if (cleaned) return;
  cleaned = true;
  rmSync(path.join(webDir, distDir), { recursive: true, force: true });
}
process.on('exit', cleanUp);

const built = spawnSync(next, ['build'], { cwd: webDir, env, stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0) {
  console.error(`[e2e web-server] next build failed (exit ${built.status})`);
  process.exit(1);
}

let stopping = false;
// server.ts, as `npm start` runs it: it replaces a client's X-Forwarded-For with the peer address.
const server = spawn(process.execPath, ['--import', 'tsx', 'server.ts', '--hostname', '127.0.0.1', '--port', webPort], {
  cwd: webDir,
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    stopping = true;
    if (server.exitCode === null) server.kill('SIGTERM');
  });
}
server.on('exit', (code, signal) => {
  if (!stopping) console.error(`[e2e web-server] the storefront exited unexpectedly (code ${code}, signal ${signal})`);
  cleanUp();
  process.exit(code ?? 0);
});
