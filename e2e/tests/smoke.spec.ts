import { expect, test } from '@playwright/test';
import { trpcQuery } from './helpers';

interface SearchPage {
  items: { id: number; name: string }[];
}

test('home page shows seeded products served by the API', async ({ page, request }) => {
  // What the API ranks first is what the server-rendered home page must show.
  const top = await trpcQuery<SearchPage>(request, 'catalog.search', { sort: 'rating', limit: 8, facets: false });
  expect(top.items.length).toBeGreaterThan(0);

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const cards = page.getByRole('list', { name: 'Top rated products' }).getByTestId('product-card');
  await expect(cards).toHaveCount(top.items.length);
  await expect(cards.first()).toContainText(top.items[0]!.name);
});

test('the storefront origin proxies /trpc to the API', async ({ request }) => {
  const res = await request.get(`/trpc/catalog.product?input=${encodeURIComponent(JSON.stringify({ id: 1 }))}`);
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { result: { data: { id: number } } };
  expect(body.result.data.id).toBe(1);
});

test('an unknown product is a friendly 404, not an error page', async ({ page }) => {
  const response = await page.goto('/product/1999999999');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'We couldn’t find that page' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Browse all products' })).toBeVisible();
});
