import { defineConfig } from 'vitest/config';

/** Assertions on the synthesized CloudFormation templates, and cdk-nag over both apps. */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
