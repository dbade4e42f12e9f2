import { expect, test } from '@playwright/test';
import { uniqueEmail } from './helpers';

test('register, sign out, sign in again; wrong passwords are refused politely', async ({ page }) => {
  const email = uniqueEmail('auth');
  const password = 'a-long-enough-password';

  await page.goto('/register');
  await page.getByLabel('Name').fill('Ada Tester');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(page.getByTestId('account-name')).toHaveText('Ada Tester');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=%2Faccount/);

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form').getByRole('alert')).toContainText('Wrong email or password');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-name')).toHaveText('Ada Tester');
});

test('profile edits and API keys: created once, listed masked, revoked', async ({ page }) => {
  const email = uniqueEmail('keys');
  const res = await page.request.post('/trpc/auth.register', { data: { email, password: 'a-long-enough-password', name: 'Key Owner' } });
  expect(res.ok()).toBe(true);
  await page.goto('/account');

  await page.getByLabel('Name', { exact: true }).fill('Key Owner Renamed');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Profile saved.')).toBeVisible();
  await expect(page.getByTestId('account-name')).toHaveText('Key Owner Renamed');

  await page.getByLabel('Key name').fill('Inventory sync');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = page.getByTestId('new-api-key').locator('code');
  await expect(secret).toHaveText(/^tp_/);
  const key = ((await secret.textContent()) ?? '').trim();

  const row = page.getByRole('row', { name: /Inventory sync/ });
  await expect(row).toBeVisible();
  await expect(row).not.toContainText(key); // only the masked form is listed

  // The key works against the REST API…
  const me = await page.request.get('/rest/v1/auth/me', { headers: { authorization: `Bearer ${key}` } });
  expect(me.ok()).toBe(true);
  expect(((await me.json()) as { kind: string }).kind).toBe('apiKey');

  // …until it is revoked.
  await page.getByRole('button', { name: 'Revoke Inventory sync' }).click();
  await expect(row).toContainText('Revoked');
  const after = await page.request.get('/rest/v1/auth/me', { headers: { authorization: `Bearer ${key}` } });
  expect(after.status()).toBe(401);
});
