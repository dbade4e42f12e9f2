import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Some tests spawn python3 (openapi-spec-validator) and tsc; a busy 2-core machine needs slack.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
