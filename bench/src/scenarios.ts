import type { ParsedResponse } from './wire.ts';
import { type SoapService, type SoapVersionTag, soapEnvelope, soapHeaders } from './soap-envelope.ts';
import type { ScenarioId, Style } from './types.ts';
import type { RequestSpec } from './wire.ts';

/** One procedure call, described once and rendered in every wire format. */
export interface Call {
  /** tRPC procedure path, e.g. `catalog.product`. */
  procedure: string;
  kind: 'query' | 'mutation';
  /** Input for the n-th request (n varies only for uncached / unique-per-request scenarios). */
  input(n: number): Record<string, unknown>;
  rest(input: Record<string, unknown>): { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> };
  soapOperation: string;
  /** Fields of the input in schema order for SOAP (default: the input's own key order). */
  soapInput?(input: Record<string, unknown>): Record<string, unknown>;
  /** Must hold for every response body of a correct server (e.g. contains the product's sku). */
  expectBody(body: string): boolean;
}

export interface Auth {
  /** HTTP headers for tRPC and REST (session cookie or `Authorization: Bearer`). */
  httpHeaders: Record<string, string>;
  /** SOAP Header block carrying the same credentials. */
  soapHeader: string;
}

export interface Endpoint {
  scenario: ScenarioId;
  style: Style;
  port: number;
  spec: RequestSpec;
  /** Rebuilds the request for the n-th call (varying queries); undefined → the same request every time. */
  vary?: (spec: RequestSpec, n: number) => RequestSpec;
  check(res: ParsedResponse): string | null;
}

export interface StylePorts {
  bare?: number;
  caller?: number;
  'trpc-standalone'?: number;
  api?: number;
}

export interface ScenarioPlan {
  id: ScenarioId;
  call: Call;
  /** Vary the input per request. */
  varying: boolean;
  auth?: Auth;
  /** Styles to measure (references included). */
  styles: Style[];
}

/**
 * Every endpoint of one scenario: the same call rendered for each style that has a server in this run.
 *
 * @example
 * endpointsFor(plan, { bare: 4001, api: 4000 }, soapService);
 */
export function endpointsFor(plan: ScenarioPlan, ports: StylePorts, soap: SoapService | undefined): Endpoint[] {
  const out: Endpoint[] = [];
  for (const style of plan.styles) {
    const port = style === 'bare' || style === 'caller' || style === 'trpc-standalone' ? ports[style] : ports.api;
    if (port === undefined) continue;
    if ((style === 'soap11' || style === 'soap12') && !soap) continue;
    const build = (n: number): RequestSpec => specFor(style, plan, plan.call.input(n), soap);
    out.push({
      scenario: plan.id,
      style,
      port,
      spec: build(0),
      ...(plan.varying && style !== 'bare' ? { vary: (_spec: RequestSpec, n: number) => build(n + 1) } : {}),
      check: (res) => {
        if (res.status < 200 || res.status >= 300) return `HTTP ${res.status}: ${res.body.slice(0, 300)}`;
        if (style !== 'bare' && !plan.call.expectBody(res.body)) return `unexpected body: ${res.body.slice(0, 300)}`;
        return null;
      },
    });
  }
  return out;
}

function specFor(style: Style, plan: ScenarioPlan, input: Record<string, unknown>, soap: SoapService | undefined): RequestSpec {
  const { call, auth } = plan;
  const idem = JSON.stringify(input).includes('[<id>]');
  const withIds = (spec: RequestSpec): RequestSpec => (idem ? { ...spec, idReplacement: true } : spec);
  switch (style) {
    case 'bare':
      return withIds(call.kind === 'query' ? { method: 'GET', path: `/bare/${plan.id}` } : { method: 'POST', path: `/bare/${plan.id}`, headers: json(), body: JSON.stringify(input) });
    case 'caller':
      return withIds(
        call.kind === 'query'
          ? { method: 'GET', path: `/call/${call.procedure}?input=${encodeURIComponent(JSON.stringify(input))}` }
          : { method: 'POST', path: `/call/${call.procedure}`, headers: json(), body: JSON.stringify(input) },
      );
    case 'trpc':
    case 'trpc-standalone': {
      const headers = style === 'trpc' ? { ...auth?.httpHeaders } : {};
      return withIds(
        call.kind === 'query'
          ? { method: 'GET', path: trpcQueryPath(call.procedure, input), headers }
          : { method: 'POST', path: `/trpc/${call.procedure}?batch=1`, headers: { ...headers, ...json() }, body: JSON.stringify({ 0: input }) },
      );
    }
    case 'rest': {
      const r = call.rest(input);
      return withIds({ method: r.method, path: r.path, headers: { ...auth?.httpHeaders, ...r.headers, ...(r.body ? json() : {}) }, ...(r.body ? { body: r.body } : {}) });
    }
    case 'soap11':
    case 'soap12': {
      const service = soap!;
      const action = service.actions[call.soapOperation] ?? '';
      // The id placeholder must survive XML escaping: autocannon swaps it for a url-safe id per request.
      const body = soapEnvelope(style as SoapVersionTag, service.namespace, call.soapOperation, call.soapInput?.(input) ?? input, auth?.soapHeader ?? '').replaceAll(
        '[&lt;id&gt;]',
        '[<id>]',
      );
      return withIds({ method: 'POST', path: '/soap', headers: soapHeaders(style as SoapVersionTag, action), body });
    }
  }
}

/** The httpBatchLink wire format of a query: `GET /trpc/<path>?batch=1&input={"0":<input>}` (URL-encoded). */
export function trpcQueryPath(procedure: string, input: unknown): string {
  return `/trpc/${procedure}?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: input }))}`;
}

function json(): Record<string, string> {
  return { 'Content-Type': 'application/json' };
}
