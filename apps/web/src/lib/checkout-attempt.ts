/**
 * The idempotency key of one checkout attempt. Generated when the shopper first presses "Place order"
 * for a given cart and reused for every retry of that cart (double clicks, timeouts, reloads), so the
 * API places the order at most once. Kept in sessionStorage: it belongs to this tab's attempt.
 */
const KEY = 'triport.checkout.v1';

export interface CheckoutLine {
  productId: number;
  quantity: number;
}

interface Attempt {
  signature: string;
  key: string;
}

/** Same cart → same signature, whatever the line order. */
export function cartSignature(lines: CheckoutLine[]): string {
  return [...lines]
    .sort((a, b) => a.productId - b.productId)
    .map((l) => `${l.productId}x${l.quantity}`)
    .join(',');
}

/**
 * The key for this cart: the stored one if the cart is unchanged, a fresh one otherwise.
 *
 * @example
 * const key = attemptKey(lines); // reuse on retry, new after the cart changes
 */
export function attemptKey(lines: CheckoutLine[]): string {
  const signature = cartSignature(lines);
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(KEY) ?? 'null') as Attempt | null;
    if (stored && stored.signature === signature && typeof stored.key === 'string') return stored.key;
  } catch {
    // unreadable entry: start a new attempt
  }
  const attempt: Attempt = { signature, key: `web-${crypto.randomUUID()}` };
  window.sessionStorage.setItem(KEY, JSON.stringify(attempt));
  return attempt.key;
}

/** The attempt is over (order placed, or the API gave a definitive answer): the next one gets a new key. */
export function endAttempt(): void {
  window.sessionStorage.removeItem(KEY);
}
