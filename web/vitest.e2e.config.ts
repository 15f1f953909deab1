import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the built web app served by the real server, driven in the system Chromium.
 * Files run one after another against one server started by the global setup.
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    retry: 0,
  },
});
