import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { registerViaApi, trpcQuery } from './helpers';

async function sendAll(page: Page) {
  await page.getByRole('button', { name: 'Send through all three' }).click();
  await expect(page.getByTestId('compare-status')).not.toBeEmpty();
}

test('compare: one product through tRPC, REST and SOAP returns the same data', async ({ page }) => {
  await page.goto('/compare');
  await page.getByLabel('Operation').selectOption('product');
  await page.getByLabel('Product id').fill('3');
  await sendAll(page);
  await expect(page.getByTestId('compare-status')).toHaveText('✓ All three styles returned the same data.');
  for (const style of ['trpc', 'rest', 'soap']) {
    const panel = page.getByTestId(`compare-${style}`);
    await expect(panel.getByTestId('status')).toContainText('200');
    await expect(panel.getByTestId('fingerprint')).toContainText(/^3\|/);
    // The server's timing of the steps arrived with the response.
    await expect(panel).toContainText(/total \d+\.\d\d/);
  }
  await expect(page.getByTestId('compare-soap').locator('pre').first()).toBeAttached();
  await expect(page.getByRole('heading', { name: 'Where the time went' })).toBeVisible();
});

test('compare: search agrees across the three styles', async ({ page }) => {
  await page.goto('/compare');
  await page.getByLabel('Operation').selectOption('search');
  await page.getByLabel('Query').fill('wireless headphones');
  await sendAll(page);
  await expect(page.getByTestId('compare-status')).toHaveText('✓ All three styles returned the same data.');
  await expect(page.getByTestId('compare-rest').getByTestId('fingerprint')).not.toHaveText('no results');
});

test('compare: creating an order works in all three styles for a signed-in shopper', async ({ page, request }) => {
  // A product with plenty of stock, so three orders (and other tests' orders) all fit.
  const page1 = await trpcQuery<{ items: { id: number; stock: number }[] }>(request, 'catalog.search', { inStock: true, limit: 100, facets: false });
  const roomy = page1.items.reduce((a, b) => (b.stock > a.stock ? b : a));
  expect(roomy.stock).toBeGreaterThanOrEqual(10);
  await registerViaApi(page, 'cmp');
  await page.goto('/compare');
  await page.getByLabel('Operation').selectOption('createOrder');
  await page.getByLabel('Product id').fill(String(roomy.id));
  await sendAll(page);
  await expect(page.getByTestId('compare-status')).toHaveText('✓ All three styles returned the same data.');
  await expect(page.getByTestId('compare-rest').getByTestId('status')).toContainText('201');
  // Three orders now exist for this shopper, one per style.
  await page.goto('/orders');
  await expect(page.getByTestId('order-row')).toHaveCount(3);
});

test('compare: the benchmark chart reads bench/results/latest.json, or says how to make it', async ({ page }) => {
  const latest = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/results/latest.json');
  await page.goto('/compare');
  if (existsSync(latest)) {
    await expect(page.getByRole('img', { name: /Requests per second by API style/ })).toBeVisible();
    await expect(page.getByRole('table').filter({ hasText: 'req/s' })).toContainText('REST');
  } else {
    await expect(page.getByTestId('bench-missing')).toContainText('npm run bench');
  }
});
