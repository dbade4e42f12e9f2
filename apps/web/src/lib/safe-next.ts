/**
 * Where to go after signing in: only same-site paths, so `?next=` cannot bounce a shopper elsewhere.
 *
 * @example
 * safeNext('/checkout'); // "/checkout"
 * safeNext('//evil.example'); // "/account"
 */
export function safeNext(value: string | string[] | undefined | null, fallback = '/account'): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v?.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) return fallback;
  return v;
}
