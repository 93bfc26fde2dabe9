import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'sdk',
    include: ['test/**/*.test.ts'],
    // Generates src/generated/ from the schema and the operations before the tests import it.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    // Type tests (*.test-d.ts) are compiled, not run.
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
