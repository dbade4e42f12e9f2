import { expect, test } from '@playwright/test';
import { registerViaApi } from './helpers';

test('a rate-limited shopper gets a friendly message with the retry time, never a broken page', async ({ page }) => {
  // A fresh free-plan user: the limiter keys signed-in callers by user, so only this test's budget
  // is spent (the suite's API runs with RATE_LIMIT_FREE=300/60s, see support/api-server.ts).
  await registerViaApi(page, 'rl');
  const calls = 20; // the API's maxBatchSize
  const path = Array.from({ length: calls }, () => 'catalog.product').join(',');
  const input = Object.fromEntries(Array.from({ length: calls }, (_, i) => [String(i), { id: 1 }]));
  let limited = false;
  for (let i = 0; i < 40 && !limited; i++) {
    const res = await page.request.get(`/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
    limited = res.status() === 429 || (await res.text()).includes('TOO_MANY_REQUESTS');
  }
  expect(limited).toBe(true);

  // Server-rendered page: the notice instead of results.
  const response = await page.goto('/search?q=headphones');
  expect(response?.status()).toBe(200);
  const notice = page.getByTestId('rate-limited');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(/try again in \d+ seconds?/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  // Client-side call (instant search while typing): same friendly notice.
  await page.getByRole('combobox', { name: 'Search products' }).fill('laptop');
  await expect(page).toHaveURL(/q=laptop/);
  await expect(page.getByTestId('rate-limited')).toContainText(/try again in \d+ seconds?/);
});
