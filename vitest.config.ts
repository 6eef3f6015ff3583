import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The suite drives the dashboard as a person at a terminal would. A CI
    // machine sets CI, which turns Ink (and our dashboards) into "print the
    // last frame only"; CI=false says "a person is watching" to both. Tests
    // of the CI behaviour pass their own environment.
    env: { CI: 'false' },
  },
});
