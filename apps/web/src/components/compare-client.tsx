'use client';
import { useEffect, useId, useState } from 'react';
import { buildRequest, type Operation, OPERATIONS, type OperationInput, type RawRequest, SOAP_NAMESPACE_DEFAULT, type Style } from '@/lib/compare/requests';
import { fingerprint, parseServerTiming, payloadOf, type TimingEntry } from '@/lib/compare/responses';
import { breakdown, STEP_LABEL, STEP_ORDER, type Step } from '@/lib/compare/steps';

const STYLES: { style: Style; label: string }[] = [
  { style: 'trpc', label: 'tRPC' },
  { style: 'rest', label: 'REST' },
  { style: 'soap', label: 'SOAP 1.1' },
];

interface CallResult {
  request: RawRequest;
  status: number;
  statusText: string;
  latencyMs: number;
  requestBytes: number;
  responseBytes: number;
  wireMeasured: boolean;
  responseHeaders: [string, string][];
  responseText: string;
  timing: TimingEntry[];
  steps: Record<Step, number>;
  fingerprint: string | null;
  networkError?: string;
}

const encoder = new TextEncoder();
const MAX_SHOWN = 6000;

function rawRequestText(r: RawRequest): string {
  const head = [`${r.method} ${r.url} HTTP/1.1`, `host: ${window.location.host}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`)];
  if (r.body !== null) head.push(`content-length: ${encoder.encode(r.body).length}`);
  return `${head.join('\r\n')}\r\n\r\n${r.body ?? ''}`;
}

function prettyBody(text: string, contentType: string): string {
  if (contentType.includes('json')) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return text;
    }
  }
  if (contentType.includes('xml')) return text.replace(/></g, '>\n<');
  return text;
}

async function send(request: RawRequest, op: Operation): Promise<CallResult> {
  const absolute = new URL(request.url, window.location.origin).toString();
  const requestText = rawRequestText(request);
  const requestBytes = encoder.encode(requestText).length;
  performance.clearResourceTimings();
  const started = performance.now();
  try {
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      cache: 'no-store',
      credentials: 'same-origin',
    });
    const buf = await res.arrayBuffer();
    const latencyMs = performance.now() - started;
    const text = new TextDecoder().decode(buf);
    const headers = [...res.headers.entries()];
    const headText = `HTTP/1.1 ${res.status} ${res.statusText}\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
    // transferSize (headers + encoded body) when the browser reports it; otherwise what we can see.
    const entry = performance.getEntriesByName(absolute).at(-1) as PerformanceResourceTiming | undefined;
    const measured = entry && entry.transferSize > 0 ? entry.transferSize : 0;
    const timing = parseServerTiming(res.headers.get('server-timing'));
    return {
      request,
      status: res.status,
      statusText: res.statusText,
      latencyMs,
      requestBytes,
      responseBytes: measured || encoder.encode(headText).length + buf.byteLength,
      wireMeasured: measured > 0,
      responseHeaders: headers,
      responseText: text,
      timing,
      steps: breakdown(latencyMs, timing),
      fingerprint: fingerprint(op, payloadOf(request.style, res.status, text)),
    };
  } catch (error) {
    const latencyMs = performance.now() - started;
    return {
      request,
      status: 0,
      statusText: 'network error',
      latencyMs,
      requestBytes,
      responseBytes: 0,
      wireMeasured: false,
      responseHeaders: [],
      responseText: '',
      timing: [],
      steps: breakdown(latencyMs, []),
      fingerprint: null,
      networkError: error instanceof Error ? error.message : String(error),
    };
  }
}

function newKeys(): Record<Style, string> {
  return { trpc: `cmp-${crypto.randomUUID()}`, rest: `cmp-${crypto.randomUUID()}`, soap: `cmp-${crypto.randomUUID()}` };
}

export function CompareClient() {
  const ids = { op: useId(), q: useId(), limit: useId(), product: useId(), qty: useId(), key: useId() };
  const [op, setOp] = useState<Operation>('product');
  const [q, setQ] = useState('running shoes');
  const [limit, setLimit] = useState(5);
  const [productId, setProductId] = useState(1);
  const [quantity, setQuantity] = useState(1);
  const [apiKey, setApiKey] = useState('');
  const [soapNamespace, setSoapNamespace] = useState(SOAP_NAMESPACE_DEFAULT);
  const [results, setResults] = useState<CallResult[] | null>(null);
  const [running, setRunning] = useState(false);

  // The SOAP envelope uses the namespace the WSDL advertises.
  useEffect(() => {
    const controller = new AbortController();
    fetch('/soap?wsdl', { signal: controller.signal })
      .then((r) => (r.ok ? r.text() : ''))
      .then((wsdl) => {
        const ns = /<(?:wsdl:)?definitions\b[^>]*\btargetNamespace="([^"]+)"/.exec(wsdl)?.[1];
        if (ns) setSoapNamespace(ns);
      })
      .catch(() => {});
    return () => controller.abort();
  }, []);

  const run = async () => {
    setRunning(true);
    const input: OperationInput = { q, limit, productId, quantity, apiKey: apiKey.trim(), idempotencyKeys: newKeys() };
    const out: CallResult[] = [];
    // One after the other: parallel calls would queue behind each other and skew the latencies.
    for (const { style } of STYLES) out.push(await send(buildRequest(style, op, input, soapNamespace), op));
    setResults(out);
    setRunning(false);
  };

  const prints = results?.map((r) => r.fingerprint) ?? [];
  const allOk = results !== null && prints.every((p) => p !== null);
  const match = allOk && prints.every((p) => p === prints[0]);
  const maxLatency = Math.max(1, ...(results ?? []).map((r) => r.latencyMs));

  return (
    <div className="compare">
      <form
        className="compare-form card"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label htmlFor={ids.op}>
          Operation
          <select id={ids.op} value={op} onChange={(e) => setOp(e.target.value as Operation)}>
            {(Object.keys(OPERATIONS) as Operation[]).map((o) => (
              <option key={o} value={o}>
                {OPERATIONS[o].label}
              </option>
            ))}
          </select>
        </label>
        {op === 'search' && (
          <>
            <label htmlFor={ids.q}>
              Query
              <input id={ids.q} type="text" value={q} maxLength={200} onChange={(e) => setQ(e.target.value)} />
            </label>
            <label htmlFor={ids.limit}>
              Results
              <input id={ids.limit} type="number" min={1} max={20} value={limit} onChange={(e) => setLimit(Math.max(1, Math.min(20, Number(e.target.value) || 1)))} />
            </label>
          </>
        )}
        {op !== 'search' && (
          <label htmlFor={ids.product}>
            Product id
            <input id={ids.product} type="number" min={1} value={productId} onChange={(e) => setProductId(Math.max(1, Math.floor(Number(e.target.value) || 1)))} />
          </label>
        )}
        {op === 'createOrder' && (
          <label htmlFor={ids.qty}>
            Quantity
            <input id={ids.qty} type="number" min={1} max={100} value={quantity} onChange={(e) => setQuantity(Math.max(1, Math.min(100, Number(e.target.value) || 1)))} />
          </label>
        )}
        <label htmlFor={ids.key} className="wide">
          API key <span className="muted hint">(optional — otherwise your browser session is used)</span>
          <input id={ids.key} type="text" value={apiKey} onChange={(e) => setApiKey(e.target.value)} placeholder="tp_…" autoComplete="off" spellCheck={false} />
        </label>
        <button type="submit" className="button primary" disabled={running}>
          {running ? 'Sending…' : 'Send through all three'}
        </button>
        {op === 'createOrder' && <p className="muted small wide">Each style places its own order (with its own idempotency key), so three orders are created.</p>}
      </form>

      <p role="status" className="compare-status" data-testid="compare-status">
        {results === null
          ? ''
          : match
            ? '✓ All three styles returned the same data.'
            : allOk
              ? '✗ The styles returned different data — see the responses below.'
              : 'Not every style succeeded — see the status of each call.'}
      </p>

      {results && (
        <>
          <section aria-labelledby="steps-title" className="card">
            <h2 id="steps-title">Where the time went</h2>
            <p className="muted small">
              Browser-measured latency split by the API’s <code>Server-Timing</code> header: client → gateway → auth → rate limit → procedure → cache → db → response.
            </p>
            <div className="step-legend" aria-hidden="true">
              {STEP_ORDER.map((s) => (
                <span key={s}>
                  <i className={`swatch step-${s}`} /> {STEP_LABEL[s]}
                </span>
              ))}
            </div>
            {results.map((r, i) => (
              <div key={r.request.style} className="step-row">
                <span className="step-style">{STYLES[i]?.label}</span>
                <div className="step-bar" style={{ width: `${(r.latencyMs / maxLatency) * 100}%` }}>
                  {STEP_ORDER.map((s) =>
                    r.steps[s] > 0 ? (
                      <span key={s} className={`step-${s}`} style={{ flexGrow: r.steps[s] }} title={`${STEP_LABEL[s]}: ${r.steps[s].toFixed(2)} ms`} />
                    ) : null,
                  )}
                </div>
                <span className="step-total">{r.latencyMs.toFixed(1)} ms</span>
              </div>
            ))}
            <table className="data-table compact">
              <caption className="visually-hidden">Time per step and style, milliseconds</caption>
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  {STYLES.map((s) => (
                    <th key={s.style} scope="col" className="num">
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {STEP_ORDER.map((step) => (
                  <tr key={step}>
                    <th scope="row">{STEP_LABEL[step]}</th>
                    {results.map((r) => (
                      <td key={r.request.style} className="num">
                        {r.steps[step].toFixed(2)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <div className="compare-grid">
            {results.map((r, i) => (
              <section key={r.request.style} className="card compare-panel" aria-labelledby={`panel-${r.request.style}`} data-testid={`compare-${r.request.style}`}>
                <h2 id={`panel-${r.request.style}`}>{STYLES[i]?.label}</h2>
                <dl className="specs">
                  <dt>Status</dt>
                  <dd>
                    <span className={`http-status ${r.status >= 200 && r.status < 300 ? 'ok' : 'bad'}`} data-testid="status">
                      {r.status || '—'} {r.statusText}
                    </span>
                  </dd>
                  <dt>Latency</dt>
                  <dd>{r.latencyMs.toFixed(1)} ms</dd>
                  <dt>Request</dt>
                  <dd>{r.requestBytes.toLocaleString('en-US')} bytes</dd>
                  <dt>Response</dt>
                  <dd>
                    {r.responseBytes.toLocaleString('en-US')} bytes {r.wireMeasured ? '' : <span className="muted">(headers as seen + body)</span>}
                  </dd>
                  <dt>Server-Timing</dt>
                  <dd>{r.timing.length ? r.timing.map((t) => `${t.name} ${t.dur.toFixed(2)}`).join(' · ') : <span className="muted">not sent</span>}</dd>
                  <dt>Data</dt>
                  <dd className="fingerprint" data-testid="fingerprint">
                    {r.fingerprint ?? '—'}
                  </dd>
                </dl>
                <details open={i === 0}>
                  <summary>Raw request</summary>
                  {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable code must be reachable by keyboard (WCAG 2.1.1) */}
                  <pre tabIndex={0}>{rawRequestText(r.request)}</pre>
                </details>
                <details open={i === 0}>
                  <summary>Raw response</summary>
                  {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable code must be reachable by keyboard (WCAG 2.1.1) */}
                  <pre tabIndex={0}>
                    {r.networkError
                      ? r.networkError
                      : (() => {
                          const ct = r.responseHeaders.find(([k]) => k === 'content-type')?.[1] ?? '';
                          const body = prettyBody(r.responseText, ct);
                          const head = `HTTP/1.1 ${r.status} ${r.statusText}\n${r.responseHeaders.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n`;
                          return head + (body.length > MAX_SHOWN ? `${body.slice(0, MAX_SHOWN)}\n… (${(body.length - MAX_SHOWN).toLocaleString('en-US')} more characters)` : body);
                        })()}
                  </pre>
                </details>
              </section>
            ))}
          </div>
          <p className="muted small">
            Bytes are what the browser measured on the wire (Resource Timing <code>transferSize</code>: headers + body) between
            this page and the storefront, which gzips larger responses on the way; the request size counts the request line,
            the headers this page sets and the body (the browser adds a few headers of its own).
          </p>
        </>
      )}
    </div>
  );
}
