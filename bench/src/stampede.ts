import { connect, type Socket } from 'node:net';
import { type ServerChild, sleep } from './children.ts';
import { trpcQueryPath } from './scenarios.ts';
import type { StampedeResult } from './types.ts';
import { parseResponse, rawRequest } from './wire.ts';

export interface StampedeOptions {
  requests: number;
  instances: number;
  /** A product nobody has read in this run (cold in every cache tier). */
  productId: number;
  startApi(): Promise<ServerChild>;
  startCaller?: () => Promise<ServerChild>;
  /** Index scans of products_pkey so far (Postgres only). */
  countPkScans?: () => Promise<number>;
  log(line: string): void;
}

/**
 * Cache stampede: `requests` simultaneous requests (one connection each, all connected before any request
 * is written) for one cold product, and the DB queries that caused.
 */
export async function runStampede(options: StampedeOptions): Promise<StampedeResult[]> {
  const out: StampedeResult[] = [];
  if (options.startCaller) {
    // Core's cache alone (createMemoryCache behind createCaller): queries counted exactly by createDb's onQuery.
    const caller = await options.startCaller();
    try {
      const before = await benchQueries(caller.port);
      const path = `/call/catalog.product?input=${encodeURIComponent(JSON.stringify({ id: options.productId }))}`;
      const blast = await fire([caller.port], path, options.requests);
      const after = await benchQueries(caller.port);
      out.push({ server: 'createCaller reference (core memory cache)', requests: options.requests, concurrency: blast.concurrency, ok: blast.ok, failed: blast.failed, outcomes: blast.outcomes, connectMs: blast.connectMs, dbQueries: after - before, method: "createDb onQuery hook (exact)", instances: 1, wallMs: blast.wallMs });
      options.log(`  stampede caller: ${after - before} queries for ${blast.ok}/${options.requests} ok ${JSON.stringify(blast.outcomes)}, connect ${blast.connectMs} ms, requests ${blast.wallMs} ms`);
    } finally {
      await caller.stop();
    }
  }
  if (options.countPkScans) {
    const apis: ServerChild[] = [];
    try {
      for (let i = 0; i < options.instances; i++) apis.push(await options.startApi());
      await sleep(1500); // let startup connections go idle and flush their stats
      const before = await stableCount(options.countPkScans);
      const blast = await fire(apis.map((a) => a.port), trpcQueryPath('catalog.product', { id: options.productId + 1 }), options.requests);
      const dead = apis.filter((a) => a.exited()).map((a) => `${a.name} exited (${a.exited()}): ${a.output().slice(-800)}`);
      for (const a of apis.splice(0)) await a.stop(); // backends exit → Postgres flushes their counters
      const after = await stableCount(options.countPkScans);
      out.push({
        server: `API (tRPC, production mode, ${options.instances} instance${options.instances > 1 ? 's' : ''} sharing Redis)`,
        requests: options.requests,
        concurrency: blast.concurrency,
        ok: blast.ok,
        failed: blast.failed,
        outcomes: blast.outcomes,
        connectMs: blast.connectMs,
        dbQueries: after - before,
        method: 'pg_stat_user_indexes.idx_scan on products_pkey, read after the API instances closed their connections',
        instances: options.instances,
        wallMs: blast.wallMs,
      });
      options.log(`  stampede api x${options.instances}: ${after - before} queries for ${blast.ok}/${options.requests} ok ${JSON.stringify(blast.outcomes)}, connect ${blast.connectMs} ms, requests ${blast.wallMs} ms`);
      if (dead.length) options.log(dead.join('\n'));
    } finally {
      for (const a of apis) await a.stop();
    }
  }
  return out;
}

async function benchQueries(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/__bench/queries`);
  return ((await res.json()) as { queries: number }).queries;
}

/** Reads a statistics counter until two reads 500 ms apart agree (Postgres flushes stats lazily). */
async function stableCount(read: () => Promise<number>): Promise<number> {
  let last = await read();
  for (let i = 0; i < 20; i++) {
    await sleep(500);
    const now = await read();
    if (now === last) return now;
    last = now;
  }
  return last;
}

interface Blast {
  ok: number;
  failed: number;
  /** HTTP status (or `error` / `closed`) → count. */
  outcomes: Record<string, number>;
  concurrency: number;
  /** Time to open every connection before the first request was written. */
  connectMs: number;
  wallMs: number;
}

/** Opens `total` connections spread over the ports, then writes one GET on each in the same tick. */
async function fire(ports: number[], path: string, total: number): Promise<Blast> {
  const sockets: Socket[] = [];
  const responses: Promise<string>[] = [];
  const connectStarted = performance.now();
  const BATCH = 500; // connect in batches so the listen backlog is not overrun
  for (let i = 0; i < total; i += BATCH) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(total, i + BATCH); j++) {
      const port = ports[j % ports.length]!;
      const socket = connect(port, '127.0.0.1');
      sockets.push(socket);
      batch.push(
        new Promise((resolve) => {
          socket.once('connect', () => resolve());
          socket.once('error', () => resolve());
        }),
      );
      responses.push(
        new Promise((resolve) => {
          let buf = Buffer.alloc(0);
          socket.on('data', (chunk: Buffer) => {
            buf = Buffer.concat([buf, chunk]);
            const parsed = parseResponse(buf);
            if (parsed) {
              socket.destroy();
              resolve(String(parsed.status));
            }
          });
          socket.once('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code ?? error.message}`));
          socket.once('close', () => resolve('closed without a response'));
        }),
      );
    }
    await Promise.all(batch);
  }
  const connected = sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
  const connectMs = Math.round(performance.now() - connectStarted);
  const started = performance.now();
  for (let i = 0; i < sockets.length; i++) {
    const port = ports[i % ports.length]!;
    sockets[i]!.write(rawRequest({ method: 'GET', path }, `127.0.0.1:${port}`));
  }
  const outcomes = await Promise.all(responses);
  const wallMs = performance.now() - started;
  const counted: Record<string, number> = {};
  for (const o of outcomes) counted[o] = (counted[o] ?? 0) + 1;
  const ok = counted['200'] ?? 0;
  return { ok, failed: total - ok, outcomes: counted, concurrency: connected, connectMs, wallMs: Math.round(wallMs) };
}
