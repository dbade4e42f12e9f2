import autocannon from 'autocannon';
import { summarizeLatencies } from './stats.ts';
import type { LatencyMs } from './types.ts';
import type { RequestSpec } from './wire.ts';

export interface LoadOptions {
  port: number;
  spec: RequestSpec;
  durationSec: number;
  connections: number;
  /** Rewrites each request before it is sent (varying queries); runs in the load generator. */
  vary?: (spec: RequestSpec, n: number) => RequestSpec;
}

export interface LoadOutcome {
  /** 2xx responses. */
  ok: number;
  /** Non-2xx responses + socket errors + timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  durationSec: number;
  reqPerSec: number;
  latencyMs: LatencyMs;
  /** Mean bytes received per 2xx response (headers + body, as counted on the socket by autocannon). */
  responseBytes: number;
  /** Status and start of the first non-2xx body, to say why a run failed. */
  firstError?: string;
}

/**
 * One bounded autocannon run against 127.0.0.1. Latencies are recorded per response (autocannon's own
 * summary has no p95), for 2xx responses only.
 *
 * @example
 * const out = await runLoad({ port, spec: { method: 'GET', path: '/rest/v1/products/1' }, durationSec: 10, connections: 50 });
 */
export function runLoad(options: LoadOptions): Promise<LoadOutcome> {
  const { spec, vary } = options;
  let n = 0;
  let firstError: string | undefined;
  const request: autocannon.Request = {
    onResponse: (status: number, body: string) => {
      if ((status < 200 || status >= 300) && firstError === undefined) firstError = `HTTP ${status}: ${String(body).slice(0, 400)}`;
    },
    method: spec.method,
    path: spec.path,
    headers: { ...spec.headers },
    ...(spec.body ? { body: spec.body } : {}),
    ...(vary
      ? {
          setupRequest: (req: autocannon.Request) => {
            const next = vary(spec, n++);
            return { ...req, path: next.path, ...(next.body ? { body: next.body } : {}) };
          },
        }
      : {}),
  };
  const latencies: number[] = [];
  let okBytes = 0;
  const statusCodes: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${options.port}`,
        connections: options.connections,
        duration: options.durationSec,
        pipelining: 1,
        timeout: 10,
        requests: [request],
        idReplacement: spec.idReplacement ?? false,
      },
      (error, result) => {
        if (error) return reject(error);
        const ok = latencies.length;
        const errors = result.non2xx + result.errors + result.timeouts;
        const durationSec = result.duration;
        resolve({
          ok,
          errors,
          statusCodes,
          durationSec,
          reqPerSec: ok / durationSec,
          latencyMs: summarizeLatencies(latencies),
          responseBytes: ok > 0 ? okBytes / ok : Number.NaN,
          ...(firstError ? { firstError } : {}),
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, resBytes: number, responseTime: number) => {
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) {
        latencies.push(responseTime);
        okBytes += resBytes;
      }
    });
  });
}
