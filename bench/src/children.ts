import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Core the servers run on; the harness (autocannon) pins itself to the other one. */
const SERVER_CPU = 1;
const HARNESS_CPU = 0;

export interface ServerChild {
  name: string;
  pid: number;
  port: number;
  /** Sends SIGTERM and waits for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Recent stderr/stdout, for error messages. */
  output(): string;
  /** Set once the process has exited on its own or been stopped: `code`/`signal`. */
  exited(): string | undefined;
}

export interface StartOptions {
  name: string;
  /** TypeScript entry, run with `node --import tsx`. */
  script: string;
  args?: string[];
  env: Record<string, string | undefined>;
  /** Environment variable that tells the server its port. */
  portVariable: string;
  /** Write a V8 CPU profile to this directory when the child exits. */
  cpuProfileDir?: string;
  readyPath?: string;
}

let pinning: string | undefined;

/**
 * Pins the harness to one core and reports how servers are placed: on 2+ cores with `taskset`, server
 * children on core 1 and the load generator on core 0 so they never share a core's event loop.
 */
export function setupPlacement(): string {
  if (pinning !== undefined) return pinning;
  const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
  const cores = (spawnSync('nproc').stdout?.toString().trim() ?? '1') || '1';
  if (hasTaskset && Number(cores) >= 2) {
    spawnSync('taskset', ['-a', '-p', '-c', String(HARNESS_CPU), String(process.pid)]);
    pinning = `server child pinned to cpu ${SERVER_CPU}, autocannon (harness) pinned to cpu ${HARNESS_CPU} with taskset; Postgres and Redis unpinned`;
  } else {
    pinning = 'no pinning (taskset missing or a single core): server and load generator share the cores';
  }
  return pinning;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; the child binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a server as a child process (its own event loop and, when pinned, its own core) and waits until
 * it answers `readyPath` with 200.
 *
 * @example
 * const api = await startServer({ name: 'api', script: 'apps/api/src/main.ts', env, portVariable: 'API_PORT' });
 * await api.stop();
 */
export async function startServer(options: StartOptions): Promise<ServerChild> {
  const port = await freePort();
  const nodeArgs = ['--import', 'tsx'];
  if (options.cpuProfileDir) {
    // One directory per child: node writes one profile per thread (tsx's loader runs in a worker thread),
    // and the main thread's is the big one.
    const dir = path.join(options.cpuProfileDir, `${options.name}-${new Date().toISOString().replace(/[-:.]/g, '')}`);
    mkdirSync(dir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const command = [process.execPath, ...nodeArgs, options.script, ...(options.args ?? [])];
  const pinned = setupPlacement().startsWith('server child pinned');
  // taskset execs node, so the child's pid is the server's pid (what /proc CPU accounting reads).
  const [file, ...argv] = pinned ? ['taskset', '-c', String(SERVER_CPU), ...command] : command;
  const child: ChildProcess = spawn(file!, argv, {
    cwd: repoRoot,
    env: { ...cleanEnv(), ...options.env, [options.portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitInfo = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    }),
  );
  let dead = false;
  void exited.then(() => {
    dead = true;
  });

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (dead) throw new Error(`${options.name} exited during startup:\n${log}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not become ready in 60 s:\n${log}`);
    }
    if (await isReady(port, options.readyPath ?? '/healthz')) break;
    await sleep(100);
  }

  return {
    name: options.name,
    pid: child.pid!,
    port,
    output: () => log,
    exited: () => exitInfo,
    async stop() {
      if (dead) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function isReady(port: number, readyPath: string): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${readyPath}`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** The harness's environment minus the variables that would point a child at other databases. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN', 'PGLITE_DIR', 'API_PORT', 'PORT']) {
    delete env[key];
  }
  return env;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
