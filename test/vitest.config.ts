import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql for the API code these tests import (see api/vitest.config.ts).
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    name: 'test',
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
