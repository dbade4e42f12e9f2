import { type APIRequestContext, expect, type Locator, type Page } from '@playwright/test';

export const apiUrl = `http://127.0.0.1:${process.env.E2E_API_PORT ?? '4100'}`;

let counter = 0;
/** A fresh, unique shopper for one test: tests never share accounts or depend on leftovers. */
export function uniqueEmail(tag: string): string {
  counter += 1;
  return `e2e-${tag}-${process.pid}-${Date.now().toString(36)}-${counter}@example.test`;
}

/** Calls a tRPC query on the API directly (the data the UI must show). */
export async function trpcQuery<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.get(`${apiUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
  expect(res.ok(), `${path} answered ${res.status()}`).toBe(true);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

/**
 * Registers through the storefront's own origin, so the session cookie lands in the page's context
 * exactly as it does for a shopper.
 */
export async function registerViaApi(page: Page, tag: string): Promise<{ email: string; password: string; name: string }> {
  const email = uniqueEmail(tag);
  const password = 'correct-horse-battery';
  const name = `Tester ${tag}`;
  const res = await page.request.post('/trpc/auth.register', { data: { email, password, name } });
  expect(res.ok(), `register answered ${res.status()}`).toBe(true);
  return { email, password, name };
}

/** Presses Tab until `target` has focus (keyboard-only navigation), failing after `max` presses. */
export async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}
