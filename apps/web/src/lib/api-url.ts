/** Where server-side code reaches the API (ARCHITECTURE.md runtime contract). */
export function apiUrl(): string {
  return (process.env.API_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
}
