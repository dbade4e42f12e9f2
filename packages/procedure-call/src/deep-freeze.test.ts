import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze.ts';

describe('deepFreeze', () => {
  it('freezes every object and array reachable from the value', () => {
    const value = deepFreeze({ a: [{ b: 1 }], c: { d: { e: 'x' } }, when: new Date(0) });
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.a)).toBe(true);
    expect(Object.isFrozen(value.a[0])).toBe(true);
    expect(Object.isFrozen(value.c.d)).toBe(true);
    expect(() => {
      (value.c.d as { e: string }).e = 'y';
    }).toThrow(TypeError);
  });

  it('leaves scalars and typed arrays (which cannot be frozen) as they are', () => {
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze(null)).toBe(null);
    const bytes = new Uint8Array([1, 2]);
    const holder = deepFreeze({ bytes });
    expect(holder.bytes).toBe(bytes);
    expect(Object.isFrozen(holder)).toBe(true);
  });
});
