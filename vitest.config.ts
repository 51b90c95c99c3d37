import { defineConfig } from 'vitest/config';

/**
 * One vitest run covers every package. `unit` holds module tests and the in-process integration
 * tests that start servers on free loopback ports; `browser` drives Debian's Chromium against the
 * whole local stack and runs its files one at a time (two cores, one browser).
 */
export default defineConfig({
  test: {
    reporters: ['default', './scripts/closing-line-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/test/**/*.test.{ts,tsx}',
            'examples/*/test/**/*.test.{ts,tsx}',
            'examples/*/core/test/**/*.test.{ts,tsx}',
            'examples/*/web/test/**/*.test.{ts,tsx}',
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
