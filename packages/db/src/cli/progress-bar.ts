import type { SeedProgress } from '../seed/seed.ts';

/** A one-line progress bar on stderr (redrawn in place on a TTY, one line per phase otherwise). */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): (p: SeedProgress) => void {
  let lastPhase = '';
  let lastDraw = 0;
  const started = performance.now();
  return (p) => {
    const now = performance.now();
    const finished = p.done >= p.total;
    if (!stream.isTTY) {
      if (finished) stream.write(`${p.phase}: ${p.total.toLocaleString('en-US')} done (${((now - started) / 1000).toFixed(1)} s)\n`);
      return;
    }
    if (p.phase === lastPhase && !finished && now - lastDraw < 100) return;
    lastPhase = p.phase;
    lastDraw = now;
    const ratio = p.total === 0 ? 1 : p.done / p.total;
    const width = 30;
    const filled = Math.round(ratio * width);
    const line = `${p.phase.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}  ${((now - started) / 1000).toFixed(1)} s`;
    stream.write(`\r${line}${finished ? '\n' : ''}`);
  };
}
