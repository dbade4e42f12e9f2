import { describe, expect, it } from 'vitest';
import { createRng } from './prng.ts';

describe('createRng', () => {
  it('repeats the same stream for the same seed and differs for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(sa);
  });

  it('stays in range and covers it', () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const n = rng.int(3, 9);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(9);
      seen.add(n);
      const f = rng.next();
      expect(f >= 0 && f < 1).toBe(true);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('samples distinct elements', () => {
    const rng = createRng(7);
    const items = ['a', 'b', 'c', 'd', 'e'];
    for (let i = 0; i < 100; i++) {
      const s = rng.sample(items, 3);
      expect(new Set(s).size).toBe(3);
      for (const x of s) expect(items).toContain(x);
    }
    expect(rng.sample(items, 10)).toHaveLength(5);
  });
});
