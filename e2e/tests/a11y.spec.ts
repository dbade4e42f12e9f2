import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { registerViaApi } from './helpers';

/** Screenshots of the main pages land here for a human to look at (outside the repository). */
const shots = process.env.E2E_SCREENSHOTS ?? path.join(tmpdir(), 'triport-screens');
mkdirSync(shots, { recursive: true });

/** Screenshot, then axe (WCAG 2.1 A/AA rules): no serious or critical violation may remain. */
async function scan(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `${name}: serious or critical accessibility violations`).toEqual([]);
}

test.describe('accessibility (axe) and screenshots', () => {
  // A full-page screenshot plus an axe run over a page of results takes seconds of CPU each: on a loaded
  // 2-core machine two of them overran the default 30 s.
  test.describe.configure({ timeout: 90_000 });

  test('home', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('list', { name: 'Top rated products' })).toBeVisible();
    await scan(page, 'home');
  });

  test('search results and suggestions', async ({ page }) => {
    await page.goto('/search?q=runing+shoes');
    await expect(page.getByTestId('corrected-query')).toBeVisible();
    await scan(page, 'search');
    await page.getByRole('combobox', { name: 'Search products' }).focus();
    await expect(page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first()).toBeVisible();
    await scan(page, 'search-suggestions');
  });

  test('product and cart', async ({ page }) => {
    await page.goto('/product/1');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(page.getByText(/Added 1 to your cart/)).toBeVisible();
    await scan(page, 'product');
    await page.goto('/cart');
    await expect(page.getByTestId('cart-line')).toHaveCount(1);
    await scan(page, 'cart');
  });

  test('login', async ({ page }) => {
    await page.goto('/login');
    await scan(page, 'login');
  });

  test('compare', async ({ page }) => {
    await page.goto('/compare');
    await page.getByRole('button', { name: 'Send through all three' }).click();
    await expect(page.getByTestId('compare-status')).not.toBeEmpty();
    await scan(page, 'compare');
  });

  test('checkout, confirmation, orders and account', async ({ page }) => {
    test.slow(); // four pages, each scanned
    await registerViaApi(page, 'a11y');
    await page.goto('/product/1');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.goto('/checkout');
    await expect(page.getByRole('button', { name: 'Place order' })).toBeVisible();
    await scan(page, 'checkout');
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect(page.getByTestId('order-confirmation')).toBeVisible();
    await scan(page, 'order-confirmation');
    await page.goto('/orders');
    await expect(page.getByTestId('order-row')).toHaveCount(1);
    await scan(page, 'orders');
    await page.goto('/account');
    await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
    await scan(page, 'account');
  });
});
