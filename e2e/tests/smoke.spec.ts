import { expect, test } from '@playwright/test';

const apiUrl = `http://127.0.0.1:${process.env.E2E_API_PORT ?? '4100'}`;

test('home page shows seeded products served by the API', async ({ page, request }) => {
  // The product the API has for id 1 is what the server-rendered page must show.
  const res = await request.get(`${apiUrl}/trpc/catalog.product?input=${encodeURIComponent(JSON.stringify({ id: 1 }))}`);
  expect(res.ok()).toBe(true);
  const { result } = (await res.json()) as { result: { data: { name: string } } };

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByTestId('product-card').first()).toBeVisible();
  await expect(page.getByTestId('product-card').filter({ hasText: result.data.name })).toHaveCount(1);
});

test('the storefront origin proxies /trpc to the API', async ({ request }) => {
  const res = await request.get(`/trpc/catalog.product?input=${encodeURIComponent(JSON.stringify({ id: 1 }))}`);
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { result: { data: { id: number } } };
  expect(body.result.data.id).toBe(1);
});
