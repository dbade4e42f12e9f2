import { defineConfig } from 'vitest/config';

/**
 * The chaos suite: real API processes, real Postgres and Redis on 127.0.0.1. Files run one at a time
 * (each spawns its own API instances; the machine has two cores) and every wait is bounded.
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
