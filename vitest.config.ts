import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript source (the `@gatehouse/source` export condition),
// so tests run without a build; a published install resolves to the built lib/ instead.
// Vitest hands the server conditions to its workers' Node as --conditions, and drops `module` from
// them (it would pick bundler-only ESM builds of dependencies); so do we.
const resolve = { conditions: ['@gatehouse/source', ...defaultClientConditions] };
const ssr = {
  resolve: { conditions: ['@gatehouse/source', ...defaultServerConditions.filter((c) => c !== 'module')] },
};

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
        resolve,
        ssr,
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
        resolve,
        ssr,
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
