import type { BenchChart as Chart } from '@/lib/bench';

const STYLE_LABEL: Record<string, string> = {
  bare: 'bare node:http',
  caller: 'tRPC caller',
  trpc: 'tRPC',
  rest: 'REST',
  soap11: 'SOAP 1.1',
  soap12: 'SOAP 1.2',
};

/** Horizontal bars of requests per second, server-rendered SVG with a table for assistive tech. */
export function BenchChart({ chart }: { chart: Chart }) {
  const max = Math.max(1, ...chart.bars.map((b) => b.reqPerSec));
  const rowH = 30;
  const labelW = 130;
  const width = 640;
  const height = chart.bars.length * rowH + 10;
  return (
    <figure className="bench-figure">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Requests per second by API style, scenario ${chart.scenario}`} className="bench-svg">
        {chart.bars.map((b, i) => {
          const w = ((width - labelW - 110) * b.reqPerSec) / max;
          const y = i * rowH + 5;
          return (
            <g key={b.style}>
              <text x={labelW - 8} y={y + 17} textAnchor="end" className="bench-label">
                {STYLE_LABEL[b.style] ?? b.style}
              </text>
              <rect x={labelW} y={y + 3} width={Math.max(2, w)} height={rowH - 10} rx={4} className={`bench-bar bench-${b.style}`} />
              <text x={labelW + w + 6} y={y + 17} className="bench-value">
                {Math.round(b.reqPerSec).toLocaleString('en-US')} req/s
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        Scenario <code>{chart.scenario}</code>, {chart.runLabel} ({chart.mode} run, {chart.machine}, finished{' '}
        {chart.finishedAt ? new Date(chart.finishedAt).toISOString().slice(0, 16).replace('T', ' ') : '?'} UTC).
      </figcaption>
      <table className="data-table compact">
        <caption className="visually-hidden">Benchmark numbers</caption>
        <thead>
          <tr>
            <th scope="col">Style</th>
            <th scope="col" className="num">
              req/s
            </th>
            <th scope="col" className="num">
              p50 ms
            </th>
            <th scope="col" className="num">
              p99 ms
            </th>
            <th scope="col" className="num">
              response bytes
            </th>
          </tr>
        </thead>
        <tbody>
          {chart.bars.map((b) => (
            <tr key={b.style}>
              <th scope="row">{STYLE_LABEL[b.style] ?? b.style}</th>
              <td className="num">{Math.round(b.reqPerSec).toLocaleString('en-US')}</td>
              <td className="num">{b.p50.toFixed(2)}</td>
              <td className="num">{b.p99.toFixed(2)}</td>
              <td className="num">{b.responseBytes.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
