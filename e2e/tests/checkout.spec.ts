import { expect, test } from '@playwright/test';
import { registerViaApi, tabTo } from './helpers';

test('keyboard only: search → product → cart → checkout → order in history', async ({ page }) => {
  await registerViaApi(page, 'kbd');
  await page.goto('/');

  // Search from the header, keyboard only.
  const box = page.getByRole('combobox', { name: 'Search products' });
  await tabTo(page, box);
  await page.keyboard.type('headphones');
  await page.keyboard.press('Enter'); // no option is active: Enter searches for the typed text
  await expect(page).toHaveURL(/\/search\?q=headphones/);

  // First result that is in stock → product page.
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByTestId('product-card').first()).toBeVisible();
  const inStock = results.getByTestId('product-card').filter({ hasNotText: 'Out of stock' }).first();
  const productName = ((await inStock.locator('.name').textContent()) ?? '').trim();
  await tabTo(page, inStock.getByRole('link'), 120);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(productName);

  // Add to cart → cart.
  await tabTo(page, page.getByRole('button', { name: 'Add to cart' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Added 1 to your cart/)).toBeVisible();
  await expect(page.getByTestId('cart-count')).toHaveText('1');
  await tabTo(page, page.getByRole('link', { name: 'View cart' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await expect(page.getByTestId('cart-line')).toContainText(productName);

  // Checkout → order.
  await tabTo(page, page.getByRole('link', { name: 'Go to checkout' }));
  await page.keyboard.press('Enter');
  const placeOrder = page.getByRole('button', { name: 'Place order' });
  await tabTo(page, placeOrder);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('order-confirmation')).toBeVisible();
  const orderId = ((await page.getByTestId('order-id').textContent()) ?? '').trim();
  expect(orderId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByTestId('cart-count')).toHaveText('0');

  // History lists it.
  await tabTo(page, page.getByRole('link', { name: 'your orders' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your orders' })).toBeVisible();
  const row = page.getByTestId('order-row').filter({ hasText: `Order ${orderId.slice(0, 8)}` });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(productName);
});

test('the cart survives a reload', async ({ page }) => {
  await page.goto('/product/1');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('1');
  await page.reload();
  await expect(page.getByTestId('cart-count')).toHaveText('1');
  await page.goto('/cart');
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await page.getByRole('button', { name: /^Remove / }).click();
  await expect(page.getByText('Your cart is empty.')).toBeVisible();
});

test('retrying a checkout reuses its idempotency key, so one order is placed', async ({ page }) => {
  await registerViaApi(page, 'idem');
  await page.goto('/product/2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.goto('/checkout');
  // The first attempt's key, as the page stores it, is sent again by a retry: the API replays the order.
  const key = await page.evaluate(() => {
    const lines = JSON.parse(window.localStorage.getItem('triport.cart.v1') ?? '[]') as { productId: number; quantity: number }[];
    const signature = lines.map((l) => `${l.productId}x${l.quantity}`).join(',');
    const k = 'web-e2e-retry-key-0001';
    window.sessionStorage.setItem('triport.checkout.v1', JSON.stringify({ signature, key: k }));
    return k;
  });
  const first = await page.request.post('/trpc/orders.create', { data: { lines: [{ productId: 2, quantity: 1 }], idempotencyKey: key } });
  expect(first.ok()).toBe(true);
  const placed = ((await first.json()) as { result: { data: { id: string } } }).result.data.id;

  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByTestId('order-confirmation')).toBeVisible();
  await expect(page.getByTestId('order-id')).toHaveText(placed);
});

test('a placed order can be cancelled from its page while the window is open', async ({ page }) => {
  await registerViaApi(page, 'cancel');
  const res = await page.request.post('/trpc/orders.create', { data: { lines: [{ productId: 1, quantity: 1 }], idempotencyKey: `e2e-cancel-${Date.now()}` } });
  expect(res.ok()).toBe(true);
  const { id } = ((await res.json()) as { result: { data: { id: string } } }).result.data;
  await page.goto(`/orders/${id}`);
  await expect(page.locator('.status')).toHaveText('placed');
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await expect(page.locator('.status')).toHaveText('cancelled');
  await expect(page.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);
});
