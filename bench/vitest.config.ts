import { defineConfig } from 'vitest/config';

// Only the harness's pure parts are tested here; the load runs belong to `npm run bench`, not `npm test`.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'] },
});
