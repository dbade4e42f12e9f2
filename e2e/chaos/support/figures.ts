import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Where the last run's figures go (RELIABILITY.md quotes them). Override with CHAOS_FIGURES. */
export const figuresFile = process.env.CHAOS_FIGURES ?? path.join(tmpdir(), 'triport-chaos-figures.json');

/**
 * Records a named figure of this run (counts, statuses) and prints it; files run one at a time, so a
 * read-modify-write of one JSON file is enough.
 *
 * @example
 * recordFigure('redis-outage', { statuses });
 */
export function recordFigure(name: string, value: unknown): void {
  const all = existsSync(figuresFile) ? (JSON.parse(readFileSync(figuresFile, 'utf8')) as Record<string, unknown>) : {};
  all[name] = { ...(value as object), at: new Date().toISOString() };
  writeFileSync(figuresFile, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`[chaos] ${name}: ${JSON.stringify(value)}`);
}
