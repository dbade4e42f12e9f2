import { randomBytes } from 'node:crypto';
import { runLoad } from './load.ts';
import { sendRaw } from './probe.ts';
import { processCpuMicros } from './proc.ts';
import type { Endpoint } from './scenarios.ts';
import { cpuMicrosPerRequest, round } from './stats.ts';
import type { CaseResult, Skipped } from './types.ts';
import { fillIds, type ParsedResponse, rawRequest, requestWireBytes } from './wire.ts';

export interface MeasureSettings {
  durationSec: number;
  warmupSec: number;
  connections: number;
}

export interface ProbeOutcome {
  ok: boolean;
  response?: ParsedResponse;
  reason?: string;
}

export const host = (port: number) => `127.0.0.1:${port}`;

/** One request with the exact bytes the load run sends; checks the answer is right, not just 200. */
export async function probe(endpoint: Endpoint): Promise<ProbeOutcome> {
  try {
    const raw = fillIds(rawRequest(endpoint.spec, host(endpoint.port)), () => randomBytes(24).toString('base64url'));
    const response = await sendRaw(endpoint.port, raw);
    const problem = endpoint.check(response);
    return problem ? { ok: false, response, reason: problem } : { ok: true, response };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Warm-up, then one bounded autocannon run with the server child's CPU read from /proc before and after.
 *
 * @example
 * const result = await measure(endpoint, serverPid, { durationSec: 10, warmupSec: 2, connections: 50 });
 */
export async function measure(endpoint: Endpoint, pid: number, settings: MeasureSettings, variant?: string): Promise<CaseResult | Skipped> {
  const checked = await probe(endpoint);
  if (!checked.ok) return { scenario: endpoint.scenario, style: endpoint.style, reason: checked.reason ?? 'probe failed' };
  const load = { port: endpoint.port, spec: endpoint.spec, connections: settings.connections, ...(endpoint.vary ? { vary: endpoint.vary } : {}) };
  if (settings.warmupSec > 0) await runLoad({ ...load, durationSec: settings.warmupSec });
  const cpuBefore = processCpuMicros(pid);
  const out = await runLoad({ ...load, durationSec: settings.durationSec });
  const cpuAfter = processCpuMicros(pid);
  const cpu = cpuMicrosPerRequest(cpuBefore, cpuAfter, out.ok);
  if (out.ok === 0) return { scenario: endpoint.scenario, style: endpoint.style, reason: `every request failed under load: ${out.firstError ?? 'socket errors'}` };
  return {
    scenario: endpoint.scenario,
    style: endpoint.style,
    ...(variant ? { variant } : {}),
    durationSec: round(out.durationSec, 2),
    connections: settings.connections,
    reqPerSec: round(out.reqPerSec, 0),
    latencyMs: {
      p50: round(out.latencyMs.p50, 3),
      p95: round(out.latencyMs.p95, 3),
      p99: round(out.latencyMs.p99, 3),
      mean: round(out.latencyMs.mean, 3),
      max: round(out.latencyMs.max, 3),
    },
    requests: out.ok,
    errors: out.errors,
    requestBytes: requestWireBytes(endpoint.spec, host(endpoint.port)),
    responseBytes: round(out.responseBytes, 0),
    cpuUsPerReq: cpu === null ? null : round(cpu, 1),
    ratioToBare: null,
    ...(out.firstError ? { firstError: out.firstError } : {}),
  };
}

export function isSkipped(r: CaseResult | Skipped): r is Skipped {
  return 'reason' in r;
}
