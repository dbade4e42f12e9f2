import { expect, it } from 'vitest';
import { cartSignature } from './checkout-attempt';

it('signs a cart independently of line order, and differently when quantities change', () => {
  const a = cartSignature([
    { productId: 3, quantity: 1 },
    { productId: 1, quantity: 2 },
  ]);
  expect(a).toBe(cartSignature([
    { productId: 1, quantity: 2 },
    { productId: 3, quantity: 1 },
  ]));
  expect(a).not.toBe(cartSignature([
    { productId: 1, quantity: 3 },
    { productId: 3, quantity: 1 },
  ]));
});
