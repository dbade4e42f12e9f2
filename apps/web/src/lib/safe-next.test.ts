import { expect, it } from 'vitest';
import { safeNext } from './safe-next';

it('only follows same-site paths after sign-in', () => {
  expect(safeNext('/checkout')).toBe('/checkout');
  expect(safeNext('//evil.example/x')).toBe('/account');
  expect(safeNext('/\\evil.example')).toBe('/account');
  expect(safeNext('https://evil.example')).toBe('/account');
  expect(safeNext(undefined)).toBe('/account');
  expect(safeNext(['/orders', '/x'])).toBe('/orders');
});
