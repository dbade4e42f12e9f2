import { describe, expect, it } from 'vitest';
import { parseProcStatTicks, processCpuMicros } from './proc.ts';

describe('parseProcStatTicks', () => {
  it('adds utime and stime, counting fields after the command name', () => {
    // A command name with spaces and a parenthesis must not shift the fields.
    const line = '1234 (node (bench) x) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 11 0 5000 0 0';
    expect(parseProcStatTicks(line)).toBe(287);
  });

  it('reads this process', () => {
    const before = processCpuMicros(process.pid);
    let x = 0;
    for (let i = 0; i < 5e7; i++) x += i % 3;
    expect(x).toBeGreaterThan(0);
    expect(processCpuMicros(process.pid)).toBeGreaterThanOrEqual(before);
  });
});
