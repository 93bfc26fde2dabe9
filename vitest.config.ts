import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One run covers every package; each project file creates its own database, so files run in
// parallel safely.
export default defineConfig({
  test: {
    projects: ['packages/db', 'packages/cli', 'api', 'sdk', 'test'],
    // Vitest's default is one worker fewer than there are CPUs: on a 2-core machine (CI) that is a
    // single worker, and the files ran one after another while most of their time is spent waiting
    // (for PostgreSQL, Chromium, child processes, timers). Two at least: the PGlite suite took
    // 773 s instead of 1,028 s here, the same 797 tests passing.
    maxWorkers: Math.max(availableParallelism() - 1, 2),
  },
});
