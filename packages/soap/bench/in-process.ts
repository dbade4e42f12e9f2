/**
 * The handler alone, in this process: real IncomingMessage/ServerResponse objects without a socket
 * (the response is buffered, never written), one request at a time. No syscalls and no load generator,
 * so it is far less noisy than micro.ts on a shared machine; it leaves out node's HTTP parsing and the
 * socket write. Sources alternate per round (A/B in one process).
 *
 *   npx tsx bench/in-process.ts [--src=/tmp/soap-base/src,src] [--versions=1.1,1.2] [--requests=20000] [--rounds=6]
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { createSoapHandler as CreateSoapHandler, SoapRequestHandler } from '../src/handler.ts';
import { NAMESPACE, productRequest, productRouter } from './product-router.ts';

function option(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : hit.slice(name.length + 3);
}

const sources = option('src', 'src').split(',').map((s) => resolve(s));
const versions = option('versions', '1.1,1.2').split(',') as ('1.1' | '1.2')[];
const requests = Number(option('requests', '20000'));
const rounds = Number(option('rounds', '6'));

async function handlerFrom(src: string): Promise<SoapRequestHandler> {
  const { createSoapHandler } = (await import(pathToFileURL(`${src}/handler.ts`).href)) as { createSoapHandler: typeof CreateSoapHandler };
  return createSoapHandler({
    router: productRouter,
    namespace: NAMESPACE,
    serviceName: 'BenchService',
    createContext: () => ({}),
    getRequestId: (_req, res) => String(res.getHeader('x-request-id')),
  });
}

const socket = new Socket();

/** One request through the handler; resolves with the response status. */
async function call(handler: SoapRequestHandler, headers: Record<string, string>, body: Buffer, n: number): Promise<number> {
  const req = new IncomingMessage(socket);
  req.method = 'POST';
  req.url = '/soap';
  req.headers = headers;
  const res = new ServerResponse(req);
  res.setHeader('x-request-id', `req-${n}`);
  const done = handler(req, res);
  // As node's parser does after the 'request' event: the body, then the end of the message.
  req.push(body);
  req.complete = true;
  req.push(null);
  await done;
  return res.statusCode;
}

const handlers = await Promise.all(sources.map(handlerFrom));
function input(version: '1.1' | '1.2'): { headers: Record<string, string>; body: Buffer } {
  const { headers, body } = productRequest(version);
  const lower = Object.fromEntries(Object.entries(headers).map(([k, val]) => [k.toLowerCase(), val]));
  const bytes = Buffer.from(body);
  return { headers: { host: '127.0.0.1', 'content-length': String(bytes.length), ...lower }, body: bytes };
}
const inputs = { '1.1': input('1.1'), '1.2': input('1.2') };

const results = new Map<string, number[]>();
for (let round = 0; round <= rounds; round += 1) {
  for (const version of versions) {
    const order = round % 2 === 0 ? handlers.map((_, k) => k) : handlers.map((_, k) => handlers.length - 1 - k);
    for (const k of order) {
      const { headers, body } = inputs[version];
      const before = process.cpuUsage();
      for (let n = 0; n < requests; n += 1) {
        const status = await call(handlers[k]!, headers, body, n);
        if (status !== 200) throw new Error(`status ${status}`);
      }
      const used = process.cpuUsage(before);
      if (round === 0) continue; // warm-up
      const key = `${version} ${sources[k]}`;
      results.set(key, [...(results.get(key) ?? []), (used.user + used.system) / requests]);
    }
  }
}
console.log('µs CPU/request (handler in process): mean of the best half of the rounds, min, median');
for (const [key, values] of results) {
  const sorted = [...values].sort((a, b) => a - b);
  const best = sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 2)));
  const mean = best.reduce((a, b) => a + b, 0) / best.length;
  console.log(`  SOAP ${key}: ${mean.toFixed(2)}  (min ${sorted[0]!.toFixed(2)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)})`);
}
