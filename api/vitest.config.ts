import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql: Node loads graphql's CommonJS build for Pothos and yoga (externalised), while
    // Vite would hand our sources the ESM build ("module"), and graphql refuses to mix the two.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    name: 'api',
    // Request logs of the apps under test would drown the test output.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    include: ['test/**/*.test.ts'],
    // The SDK's build writes the persisted operations manifest every app loads.
    globalSetup: ['test/support/build-sdk.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
