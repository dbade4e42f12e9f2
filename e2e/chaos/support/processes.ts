import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const apiMain = path.join(repoRoot, 'apps/api/src/main.ts');
/** One secret for every instance, as a multi-instance deployment must have. */
export const chaosAuthSecret = 'chaos-suite-secret-of-at-least-thirty-two-bytes';

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ApiProcess {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  /** stdout + stderr so far (pino JSON lines at LOG_LEVEL=warn, plus anything Node prints). */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<number | string>;
  /** SIGKILL (cleanup). */
  kill(): Promise<void>;
}

const running = new Set<ApiProcess>();

/**
 * Spawns `apps/api/src/main.ts` (node + tsx loader: one process, so signals reach the API itself)
 * on a spare port and waits until `/healthz` answers. Its Postgres connections carry
 * `application_name = triport-api-<name>` (PGAPPNAME) so a test can terminate exactly them.
 *
 * @example
 * const a = await startApi('a', { DATABASE_URL: database.url, REDIS_URL: redisUrl });
 */
export async function startApi(name: string, env: Record<string, string>): Promise<ApiProcess> {
  const port = await sparePort();
  const child = spawn(process.execPath, ['--import', 'tsx', apiMain], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AUTH_SECRET: chaosAuthSecret,
      PGAPPNAME: `triport-api-${name}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const url = `http://127.0.0.1:${port}`;
  const api: ApiProcess = {
    name,
    url,
    port,
    child,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      running.delete(api);
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      running.delete(api);
    },
  };
  running.add(api);
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`API ${name} exited during start (${child.exitCode}):\n${out.slice(-2000)}`);
    const ready = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status > 0,
      () => false,
    );
    if (ready) return api;
    await sleep(100);
  }
  await api.kill();
  throw new Error(`API ${name} did not answer /healthz within 30 s:\n${out.slice(-2000)}`);
}

/** SIGKILLs every instance a test left running (afterAll safety net). */
export async function killAllApis(): Promise<void> {
  await Promise.all([...running].map((api) => api.kill()));
}

export interface RedisProcess {
  url: string;
  port: number;
  start(): Promise<void>;
  /** SIGKILL: an abrupt loss, not a clean shutdown. */
  kill(): Promise<void>;
}

/**
 * A private redis-server on a spare port, no persistence, that the test may kill and start again.
 * The shared server on 6379 is never touched.
 *
 * @example
 * const redis = await startRedis(); await redis.kill(); await redis.start();
 */
export async function startRedis(): Promise<RedisProcess> {
  const port = await sparePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out.slice(-500)}`)), 10_000);
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`));
      });
    });
  };
  const kill = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, kill };
}
