// Test projects: fast unit tests (no services), the service suite (real PostgreSQL, NATS, Mosquitto)
// and the browser suite (Debian's chromium through playwright-core).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Most unit files wait
          // on PGlite or on child processes part of the time, so two keep both cores busy.
          maxWorkers: 2,
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'services',
          include: ['tests/services/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/browser/global-setup.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // Each file has its own server, home (a copy of the loaded demo) and chromium, so two run at once.
          maxWorkers: 2,
        },
      },
    ],
  },
});
