/**
 * In-process-adapter micro-benchmark: server CPU per SOAP request, without the gateway, Redis or the
 * full bench's noise. Each source tree (`--src=dirA,dirB`, default this package's src) runs in its own
 * child server; rounds alternate between them (A/B in one session); the load generator is this process
 * (raw keep-alive sockets), so its CPU is never counted.
 *
 *   npx tsx bench/micro.ts [--src=/tmp/soap-base/src,src] [--versions=1.1,1.2] [--seconds=4] [--rounds=3] [--connections=50]
 *     [--profile=/tmp/prof]   (then: npx tsx ../../bench/src/profile-summary.ts <file.cpuprofile> 60)
 */
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { productRequest } from './product-router.ts';

function option(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : hit.slice(name.length + 3);
}

const sources = option('src', 'src').split(',').map((s) => resolve(s));
const versions = option('versions', '1.1,1.2').split(',') as ('1.1' | '1.2')[];
const seconds = Number(option('seconds', '4'));
const rounds = Number(option('rounds', '3'));
const connections = Number(option('connections', '50'));
/** `--profile=<dir>`: each child writes a V8 CPU profile there when it exits. */
const profileDir = option('profile', '');

interface Child {
  src: string;
  proc: ChildProcess;
  port: number;
}

function ask<T>(proc: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((done) => {
    const onMessage = (m: Record<string, unknown>): void => {
      if (key in m) {
        proc.off('message', onMessage);
        done(m as T);
      }
    };
    proc.on('message', onMessage);
    if (message !== '') proc.send(message);
  });
}

async function start(src: string): Promise<Child> {
  const proc = fork(new URL('./server-child.ts', import.meta.url).pathname, [], {
    env: { ...process.env, SOAP_SRC: src },
    execArgv: ['--import', 'tsx', ...(profileDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`])],
  });
  const { port } = await ask<{ port: number }>(proc, '', 'port');
  // As the full bench: server on cpu 1, load generator on cpu 0 (when taskset exists and there are 2 cores).
  if (pinned) spawnSync('taskset', ['-a', '-p', '-c', '1', String(proc.pid)]);
  return { src, proc, port };
}

/** Keeps `connections` sockets busy for `ms`; returns completed responses (all must be 200). */
function load(port: number, raw: Buffer, ms: number): Promise<number> {
  return new Promise((done, fail) => {
    let completed = 0;
    let open = connections;
    const stopAt = Date.now() + ms;
    for (let c = 0; c < connections; c += 1) {
      const socket = connect(port, '127.0.0.1');
      let pending = '';
      socket.setNoDelay(true);
      socket.on('connect', () => socket.write(raw));
      socket.on('data', (chunk: Buffer) => {
        pending += chunk.toString('latin1');
        for (;;) {
          const head = pending.indexOf('\r\n\r\n');
          if (head === -1) return;
          const length = Number(/content-length: *([0-9]+)/i.exec(pending.slice(0, head))?.[1] ?? Number.NaN);
          if (!pending.startsWith('HTTP/1.1 200') || Number.isNaN(length)) {
            socket.destroy();
            fail(new Error(`unexpected response: ${pending.slice(0, 600)}`));
            return;
          }
          if (pending.length < head + 4 + length) return;
          pending = pending.slice(head + 4 + length);
          completed += 1;
          if (Date.now() < stopAt) socket.write(raw);
          else socket.end();
        }
      });
      socket.on('close', () => {
        open -= 1;
        if (open === 0) done(completed);
      });
      socket.on('error', fail);
    }
  });
}

function rawRequest(version: '1.1' | '1.2'): Buffer {
  const { headers, body } = productRequest(version);
  let head = `POST /soap HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  return Buffer.from(`${head}\r\n${body}`);
}

async function measure(child: Child, version: '1.1' | '1.2', ms: number): Promise<{ usPerReq: number; reqPerSec: number }> {
  const before = await ask<{ cpu: number; requests: number }>(child.proc, 'cpu', 'cpu');
  const t0 = performance.now();
  const done = await load(child.port, rawRequest(version), ms);
  const elapsed = performance.now() - t0;
  const after = await ask<{ cpu: number; requests: number }>(child.proc, 'cpu', 'cpu');
  const requests = after.requests - before.requests;
  if (requests !== done) throw new Error(`server counted ${requests}, client ${done}`);
  return { usPerReq: (after.cpu - before.cpu) / requests, reqPerSec: (done / elapsed) * 1000 };
}

const pinned = spawnSync('taskset', ['--version']).status === 0 && (await import('node:os')).availableParallelism() >= 2;
if (pinned) spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)]);
const children: Child[] = [];
for (const src of sources) children.push(await start(src));
const results = new Map<string, number[]>();
try {
  for (const child of children) for (const version of versions) await load(child.port, rawRequest(version), 1500); // warm-up
  for (let round = 1; round <= rounds; round += 1) {
    for (const version of versions) {
      for (const child of round % 2 === 1 ? children : [...children].reverse()) {
        const { usPerReq, reqPerSec } = await measure(child, version, seconds * 1000);
        const key = `${version} ${child.src}`;
        results.set(key, [...(results.get(key) ?? []), usPerReq]);
        console.log(`round ${round} SOAP ${version} ${child.src}: ${usPerReq.toFixed(1)} µs CPU/req, ${reqPerSec.toFixed(0)} req/s`);
      }
    }
  }
} finally {
  await Promise.all(
    children.map((child) => {
      const exited = new Promise((done) => child.proc.once('exit', done));
      child.proc.send('exit');
      return exited;
    }),
  );
}
// On a shared machine other work only ever adds CPU time (cache misses, preemption): the lowest rounds
// are the better estimate; the median says how noisy the session was.
console.log('\nµs CPU/request (server process): mean of the best half of the rounds, min, median');
for (const [key, values] of results) {
  const sorted = [...values].sort((a, b) => a - b);
  const best = sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 2)));
  const mean = best.reduce((a, b) => a + b, 0) / best.length;
  console.log(`  SOAP ${key}: ${mean.toFixed(1)}  (min ${sorted[0]!.toFixed(1)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)})`);
}
