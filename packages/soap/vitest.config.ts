import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The hostile-input suite measures heap growth after a forced GC.
    execArgv: ['--expose-gc'],
    testTimeout: 30_000,
  },
});
