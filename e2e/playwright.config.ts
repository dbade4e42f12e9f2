import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

/**
 * Free ports unless given: other runs of this suite (or anything else) may hold 3100/4100. Chosen once
 * in the runner process and passed to the workers through the environment (they re-read this file).
 */
function freePort(): string {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim();
}
process.env.E2E_API_PORT ||= freePort();
process.env.E2E_WEB_PORT ||= freePort();
const apiPort = process.env.E2E_API_PORT;
const webPort = process.env.E2E_WEB_PORT;
const apiUrl = `http://127.0.0.1:${apiPort}`;
const webUrl = `http://127.0.0.1:${webPort}`;
const reuse = !process.env.CI;

/** Debian's chromium, never a downloaded browser (STACK.md). */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export default defineConfig({
  testDir: './tests',
  outputDir: path.join(here, 'test-results'),
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: path.join(here, 'playwright-report') }]] : 'list',
  use: {
    baseURL: webUrl,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: [
    {
      // Fresh throwaway PGlite dir, migrated + seeded, removed again on shutdown (support/api-server.ts).
      command: `node_modules/.bin/tsx e2e/support/api-server.ts`,
      cwd: root,
      url: `${apiUrl}/healthz`,
      env: { E2E_API_PORT: apiPort, E2E_PRODUCTS: process.env.E2E_PRODUCTS ?? '2000', LOG_LEVEL: 'warn' },
      reuseExistingServer: reuse,
      timeout: 180_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      // Built per run against this run's API (rewrites are fixed at build time); support/web-server.ts.
      command: `node_modules/.bin/tsx e2e/support/web-server.ts`,
      cwd: root,
      url: webUrl,
      env: { E2E_API_PORT: apiPort, E2E_WEB_PORT: webPort },
      reuseExistingServer: reuse,
      timeout: 240_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
