/**
 * Money for display; prices travel as integer cents.
 *
 * @example
 * formatPrice(129900, 'USD'); // "$1,299.00"
 */
export function formatPrice(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}
