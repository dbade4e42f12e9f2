import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze.ts';
import { memoizeFrozen } from './memoize-frozen.ts';

describe('memoizeFrozen', () => {
  it('renders a frozen object once and everything else every time', () => {
    let calls = 0;
    const json = memoizeFrozen((value) => {
      calls += 1;
      return JSON.stringify(value);
    });
    const frozen = deepFreeze({ a: [1] });
    expect(json(frozen)).toBe('{"a":[1]}');
    expect(json(frozen)).toBe('{"a":[1]}');
    expect(calls).toBe(1);
    const open = { a: 1 };
    json(open);
    open.a = 2;
    expect(json(open)).toBe('{"a":2}');
    expect(json(7)).toBe('7');
    expect(calls).toBe(4);
  });
});
