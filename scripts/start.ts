/**
 * `npm start`: migrate, seed when empty, build the storefront (turbo-cached), then run API and storefront.
 * Works with no Postgres, Redis or Docker (embedded PGlite at .data/pglite); DATABASE_URL switches to Postgres.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, isSeeded, migrate, seedDatabase } from '@triport/db';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const apiPort = Number(process.env.API_PORT ?? 4000);
const webPort = Number(process.env.PORT ?? 3000);
const products = Number(process.env.SEED_PRODUCTS ?? 10_000);

function die(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

function assertPortFree(port: number, variable: string): Promise<void> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      die(
        error.code === 'EADDRINUSE'
          ? `Port ${port} is already in use. Stop whatever listens there or set ${variable} to another port.`
          : `Cannot listen on port ${port}: ${error.message}`,
      ),
    );
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve()));
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    run(command, args, env).once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

async function prepareDatabase(): Promise<void> {
  const handle = await createDb().catch((error: unknown) => die(`Cannot open the database: ${String(error)}`));
  try {
    await migrate(handle);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    die(`Cannot migrate the database (${handle.kind} at ${handle.target}): ${reason}. Is DATABASE_URL reachable?`);
  }
  if (await isSeeded(handle.db)) {
    console.log(`✔ Database ready (${handle.kind} at ${handle.target}), reusing existing data`);
  } else {
    console.log(`… Seeding ${products.toLocaleString('en')} products into ${handle.kind} (first start only)`);
    const started = Date.now();
    await seedDatabase(handle.db, { products });
    console.log(`✔ Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  // PGlite allows one process: close before the API opens the same directory.
  await handle.close();
}

/** AUTH_SECRET derives API-key digest secrets: keep one per data directory so restarts don't change it. */
function authSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(root, '.data', 'auth-secret');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

async function main(): Promise<void> {
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  process.env.TURBO_TELEMETRY_DISABLED = '1';
  // next.config rewrites /trpc, /rest and /soap to the API; rewrites are fixed at build time, so set it first.
  process.env.API_URL ??= `http://127.0.0.1:${apiPort}`;
  await assertPortFree(apiPort, 'API_PORT');
  await assertPortFree(webPort, 'PORT');
  await prepareDatabase();

  console.log('… Building the storefront (cached after the first run)');
  await runToEnd('npx', ['turbo', 'run', 'build', '--filter=@triport/web', '--output-logs=errors-only']).catch((error: Error) =>
    die(error.message),
  );

  const apiUrl = process.env.API_URL;
  const children = [
    // TRUST_PROXY=loopback: the storefront on this host forwards each shopper's address (per-IP rate limits).
    // Node itself, not npx: a stop signal must reach the servers, not a wrapper that leaves them orphaned.
    run(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
      API_PORT: String(apiPort),
      NODE_ENV: 'production',
      TRUST_PROXY: process.env.TRUST_PROXY ?? 'loopback',
      AUTH_SECRET: authSecret(),
    }),
    // apps/web/server.ts, not `next start`: it replaces a shopper's own X-Forwarded-For with the real peer
    // address (WEB_TRUST_PROXY for a proxy in front), which the API's TRUST_PROXY=loopback then believes.
    run(process.execPath, ['--import', 'tsx', 'apps/web/server.ts', '--port', String(webPort)], { API_URL: apiUrl, NODE_ENV: 'production' }),
  ];
  console.log(`\n  Storefront  http://localhost:${webPort}\n  API         ${apiUrl}  (/trpc, /rest/v1, /rest/docs, /soap?wsdl, /metrics)\n`);

  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    setTimeout(() => process.exit(code), 5_000).unref();
    Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r))))).then(() =>
      process.exit(code),
    );
  };
  for (const child of children) {
    child.once('exit', (code) => {
      if (!stopping) {
        console.error(`✖ ${child.spawnargs.slice(1, 4).join(' ')} exited (${code}); stopping`);
        stop(code === 0 ? 1 : (code ?? 1));
      }
    });
  }
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
}

await main();
