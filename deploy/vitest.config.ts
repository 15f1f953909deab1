import { defineConfig } from 'vitest/config';

/**
 * Deployment tests: Debian's nginx with the shipped configuration in front of the real server
 * (and of an echo upstream), a browser journey through it, and the container files.
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 150_000,
    teardownTimeout: 30_000,
    retry: 0,
  },
});
