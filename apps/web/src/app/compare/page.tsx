import type { Metadata } from 'next';
import { BenchChart } from '@/components/bench-chart';
import { CompareClient } from '@/components/compare-client';
import { readBenchChart } from '@/lib/bench';

export const metadata: Metadata = { title: 'Compare tRPC, REST and SOAP' };
// latest.json is read per request, so a fresh `npm run bench` shows up without a rebuild.
export const dynamic = 'force-dynamic';

export default function ComparePage() {
  const chart = readBenchChart();
  return (
    <div className="compare-page">
      <h1>One call, three API styles</h1>
      <p className="lede">
        Every style reaches the same procedure: the gateway identifies you, checks your rate limit, the procedure validates and
        runs, the cache answers or the database does. Pick an operation and send it through tRPC, REST and SOAP to see the raw
        messages, their size, latency and the server’s own timing of each step.
      </p>
      <CompareClient />
      <section aria-labelledby="bench-title" className="card">
        <h2 id="bench-title">Throughput under load</h2>
        {chart ? (
          <BenchChart chart={chart} />
        ) : (
          <p className="muted" data-testid="bench-missing">
            No benchmark results yet. Run <code>npm run bench</code> to produce <code>bench/results/latest.json</code>; this chart
            reads it on every request.
          </p>
        )}
      </section>
    </div>
  );
}
