import os from 'node:os';
import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Three kinds of run: unit tests once; integration tests on the embedded database (always) and
 * again on real PostgreSQL + Redis when TEST_DATABASE_URL / TEST_REDIS_URL are set (CI sets them).
 */
const integration = (
  name: string,
  target: 'pglite' | 'postgres',
): TestProjectInlineConfiguration => ({
  test: {
    name,
    include: ['test/integration/**/*.test.ts'],
    // `*.postgres.test.ts` exercise PostgreSQL's own tools (pg_dump, pg_restore): real PostgreSQL only.
    exclude: target === 'pglite' ? ['test/integration/**/*.postgres.test.ts'] : [],
    env: { TEST_TARGET: target },
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file opens its own database, app and key prefix, so files need no module isolation:
    // a worker imports the server once instead of once per file (minutes of CI on two cores).
    isolate: false,
  },
});

const projects: TestProjectInlineConfiguration[] = [
  { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
  integration('pglite', 'pglite'),
];
if (process.env['TEST_DATABASE_URL']) projects.push(integration('postgres', 'postgres'));

export default defineConfig({
  test: {
    projects,
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: a single worker on a 2-core machine.
    // Test files never share data (each has its own database and key prefix) and spend much of
    // their time waiting for PostgreSQL, Redis and PGlite, so two run side by side even on 2 cores
    // (three were slower here: 390 s against 300 s).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
  },
});
