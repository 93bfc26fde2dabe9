import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql, as in api/vitest.config.ts: the e2e tests import the api's sources, which Vite
    // would hand graphql's ESM build while Pothos and yoga (externalised) load its CommonJS build.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    name: 'test',
    // Request logs of the apps under test would drown the test output.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    include: ['e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
