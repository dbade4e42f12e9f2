import { expect, test } from '@playwright/test';
import { trpcQuery } from './helpers';

interface Hit {
  id: number;
  name: string;
  brand: string;
  priceCents: number;
}
interface SearchPage {
  items: Hit[];
  total: number | null;
  nextCursor: string | null;
  query: { correctedQuery: string | null };
  facets: { brands: { value: string; label: string; count: number }[] } | null;
}

const searchBox = (page: import('@playwright/test').Page) => page.getByRole('combobox', { name: 'Search products' });

test('a search with a typo finds the product and says what it searched for', async ({ page, request }) => {
  const expected = await trpcQuery<SearchPage>(request, 'catalog.search', { q: 'runing shoes', limit: 24 });
  expect(expected.query.correctedQuery).toBeTruthy();
  expect(expected.items.length).toBeGreaterThan(0);

  await page.goto('/search');
  await searchBox(page).fill('runing shoes');
  // Instant results: no submit needed, the URL follows the typing.
  await expect(page).toHaveURL(/\/search\?q=runing\+shoes$/);
  await expect(page.getByTestId('corrected-query')).toContainText(expected.query.correctedQuery!);
  const cards = page.getByRole('list', { name: 'Search results' }).getByTestId('product-card');
  await expect(cards.first()).toContainText(expected.items[0]!.name);
  await expect(page.getByTestId('result-count')).toHaveText(`${expected.total} results for “runing shoes”`);
});

test('suggestions follow the ARIA combobox pattern and are keyboard operable', async ({ page }) => {
  await page.goto('/');
  const box = searchBox(page);
  await box.focus();
  await page.keyboard.type('headphon');
  const listbox = page.getByRole('listbox', { name: 'Suggestions' });
  await expect(listbox.getByRole('option').first()).toBeVisible();
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowDown');
  const first = listbox.getByRole('option').first();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', (await first.getAttribute('id'))!);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/search\?/);
  await expect(page.getByRole('list', { name: 'Search results' }).getByTestId('product-card').first()).toBeVisible();
});

test('filters and sort change the results and the URL; back and forward restore them', async ({ page, request }) => {
  const base = await trpcQuery<SearchPage>(request, 'catalog.search', { q: 'headphones', limit: 24 });
  const brand = base.facets!.brands[0]!;
  const filtered = await trpcQuery<SearchPage>(request, 'catalog.search', { q: 'headphones', brand: [brand.value], limit: 24 });
  expect(filtered.total).toBe(brand.count);

  await page.goto('/search?q=headphones');
  const count = page.getByTestId('result-count');
  await expect(count).toHaveText(`${base.total} results for “headphones”`);

  await page.getByRole('group', { name: 'Brand' }).getByRole('checkbox', { name: new RegExp(`^${brand.label}`) }).check();
  await expect(page).toHaveURL(new RegExp(`brand=${encodeURIComponent(brand.value).replace(/%20/g, '\\+')}`));
  await expect(count).toHaveText(`${brand.count} ${brand.count === 1 ? 'result' : 'results'} for “headphones”`);
  const cards = page.getByRole('list', { name: 'Search results' }).getByTestId('product-card');
  for (const text of await cards.allInnerTexts()) expect(text).toContain(brand.label);

  await page.getByLabel('Sort by').selectOption('price_asc');
  await expect(page).toHaveURL(/sort=price_asc/);
  const sorted = await trpcQuery<SearchPage>(request, 'catalog.search', { q: 'headphones', brand: [brand.value], sort: 'price_asc', limit: 24 });
  await expect(cards.first()).toContainText(sorted.items[0]!.name);

  await page.goBack();
  await expect(page).not.toHaveURL(/sort=/);
  await expect(page.getByLabel('Sort by')).toHaveValue('relevance');
  await expect(count).toHaveText(`${brand.count} ${brand.count === 1 ? 'result' : 'results'} for “headphones”`);
  await page.goBack();
  await expect(page).toHaveURL(/\/search\?q=headphones$/);
  await expect(count).toHaveText(`${base.total} results for “headphones”`);
  await expect(page.getByRole('group', { name: 'Brand' }).getByRole('checkbox', { name: new RegExp(`^${brand.label}`) })).not.toBeChecked();
  await page.goForward();
  await expect(page).toHaveURL(/brand=/);
  await expect(count).toHaveText(`${brand.count} ${brand.count === 1 ? 'result' : 'results'} for “headphones”`);
});

test('a shared URL renders the same results on the server', async ({ browser, request }) => {
  const expected = await trpcQuery<SearchPage>(request, 'catalog.search', { q: 'headphones', sort: 'price_desc', limit: 24 });
  // JavaScript off: what arrives is the server-rendered first page.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/search?q=headphones&sort=price_desc');
  await expect(page.getByTestId('product-card').first()).toContainText(expected.items[0]!.name);
  await expect(page.getByTestId('product-card')).toHaveCount(expected.items.length);
  await context.close();
});

test('"Load more" follows the cursor', async ({ page, request }) => {
  const first = await trpcQuery<SearchPage>(request, 'catalog.search', { limit: 24 });
  expect(first.nextCursor).toBeTruthy();
  const second = await trpcQuery<SearchPage>(request, 'catalog.search', { limit: 24, cursor: first.nextCursor, facets: false });

  await page.goto('/search');
  const cards = page.getByRole('list', { name: 'Search results' }).getByTestId('product-card');
  await expect(cards).toHaveCount(24);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(cards).toHaveCount(24 + second.items.length);
  await expect(cards.nth(24)).toContainText(second.items[0]!.name);
  // Keyboard users continue where the new results start.
  await expect(cards.nth(24).getByRole('link')).toBeFocused();
});

test('no matches shows a helpful empty state', async ({ page }) => {
  await page.goto('/search?q=qqqqzzzzxxxxvvvv');
  await expect(page.getByTestId('empty-results')).toContainText('No products match');
  await expect(page.getByTestId('result-count')).toHaveText('0 results for “qqqqzzzzxxxxvvvv”');
});

test('typing on cancels the superseded search request', async ({ page }) => {
  // A slow first response is the one fault we cannot cause on demand with a local API, so the first
  // search request is held back until the next one is sent; the page must abort it by then.
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let seen = 0;
  await page.route(/\/trpc\/catalog\.search\?/, async (route) => {
    seen += 1;
    if (seen === 1) {
      await held;
      await route.continue().catch(() => {}); // already aborted by the page
    } else {
      release();
      await route.continue();
    }
  });
  await page.goto('/search');
  const aborted = page.waitForEvent('requestfailed', (r) => r.url().includes('catalog.search') && r.url().includes('%22lamp%22'));
  const box = page.getByRole('combobox', { name: 'Search products' });
  await box.fill('lamp');
  await page.waitForRequest((r) => r.url().includes('catalog.search') && r.url().includes('%22lamp%22'));
  await box.fill('lamp desk');
  const failed = await aborted;
  expect(failed.failure()?.errorText).toContain('ABORTED');
  await expect(page.getByTestId('result-count')).toContainText('for “lamp desk”');
});
