import { defineConfig } from 'vitest/config';

// One run covers every package; each project file creates its own database, so files run in
// parallel safely.
export default defineConfig({
  test: {
    projects: ['packages/db', 'packages/cli', 'api', 'sdk', 'test'],
  },
});
