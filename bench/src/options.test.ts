import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.ts';

describe('parseOptions', () => {
  it('defaults to the full run', () => {
    const o = parseOptions([]);
    expect(o.quick).toBe(false);
    expect(o.durationSec).toBe(4);
    expect(o.rounds).toBe(3);
    expect(o.pglite).toBe(true);
    expect(o.stampede?.requests).toBe(10_000);
    expect(parseOptions(['--no-stampede']).stampede).toBeNull();
    expect(o.scenarios).toContain('create-order');
  });

  it('--quick is short, Postgres only and has fewer scenarios', () => {
    const o = parseOptions(['--quick']);
    expect(o.durationSec).toBeLessThan(5);
    expect(o.pglite).toBe(false);
    expect(o.scenarios.length).toBeLessThan(parseOptions([]).scenarios.length);
  });

  it('reads values and rejects unknown or malformed ones', () => {
    expect(parseOptions(['--duration=3', '--only=product-cached']).scenarios).toEqual(['product-cached']);
    expect(() => parseOptions(['--fast'])).toThrow(/Unknown flag/);
    expect(() => parseOptions(['--duration=abc'])).toThrow(/positive number/);
    expect(() => parseOptions(['--only=nope'])).toThrow(/unknown scenario/);
  });
});
