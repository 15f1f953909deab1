import { defineConfig } from 'vitest/config';

/**
 * Fault injection against the machine's real PostgreSQL and Redis (`npm run test:faults`):
 * outages through TCP proxies only the app under test uses, and real API processes killed with
 * SIGKILL. Needs TEST_DATABASE_URL and TEST_REDIS_URL; files run one at a time.
 */
export default defineConfig({
  test: {
    name: 'faults',
    include: ['test/faults/**/*.test.ts'],
    env: { TEST_TARGET: 'postgres' },
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
