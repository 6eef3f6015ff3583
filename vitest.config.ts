import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { ISOLATED } from './test/setup/isolated-files.ts';
import LongFirst from './test/setup/sequencer.ts';

/** What every test file gets. */
const common = {
  // fast-check runs from a fixed seed unless FC_SEED says otherwise (test/setup/fast-check.ts)
  setupFiles: ['test/setup/fast-check.ts'],
  testTimeout: 120_000,
  hookTimeout: 120_000,
  // The suite drives the dashboard as a person at a terminal would. A CI
  // machine sets CI, which turns Ink (and our dashboards) into "print the
  // last frame only"; CI=false says "a person is watching" to both. Tests
  // of the CI behaviour pass their own environment.
  env: { CI: 'false' },
};

export default defineConfig({
  test: {
    // vitest runs one worker fewer than there are cores by default: a single
    // one on the 2-core CI machine, where most files are one busy thread (a
    // search) and vitest's own process idles. At least two files at once.
    maxWorkers: Math.max(2, availableParallelism()),
    // the known-long files start first, so that both workers finish together
    sequence: { sequencer: LongFirst },
    // Files share their worker's modules (isolate: false): the engine, the
    // models and Ink load once per worker instead of once per file (a third
    // less CPU, docs/performance.md "Test suite time"). Files that replace a
    // module run isolated (test/setup/isolated-files.ts).
    projects: [
      {
        test: {
          ...common,
          name: 'shared',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: [...configDefaults.exclude, ...ISOLATED],
          isolate: false,
        },
      },
      { test: { ...common, name: 'isolated', include: [...ISOLATED] } },
    ],
  },
});
