import type { Reply } from './styles.ts';

/**
 * Runs `workers` concurrent loops of `step` until `stop()` is called; every outcome (a reply's
 * status, or the error name when the request itself failed) is recorded with the phase it started
 * in and the phase it ended in (a request in flight when the fault strikes spans two).
 *
 * @example
 * const load = startLoad(4, () => send(a.url, 'trpc', read));
 * load.phase('outage'); ...; const results = await load.stop();
 */
export function startLoad(workers: number, step: (i: number) => Promise<Reply>) {
  let phase = 'before';
  let running = true;
  let count = 0;
  const results: Array<{ phase: string; endPhase: string; status: number | string; reply?: Reply }> = [];
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const started = phase;
      const i = count++;
      try {
        const reply = await step(i);
        results.push({ phase: started, endPhase: phase, status: reply.status, reply });
      } catch (error) {
        results.push({ phase: started, endPhase: phase, status: error instanceof Error ? error.name : 'error' });
        // A refused connection fails fast: do not spin.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  });
  return {
    phase(name: string) {
      phase = name;
    },
    /** Requests completed so far. */
    completed: () => results.length,
    async stop() {
      running = false;
      await Promise.all(loops);
      return results;
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 100 ms, at most `attempts` times. */
export async function eventually(check: () => Promise<boolean>, attempts = 100): Promise<void> {
  for (let i = 0; i < attempts; i += 1) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error('condition not reached');
}
