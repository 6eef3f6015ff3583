import { BaseSequencer } from 'vitest/node';
import type { TestSpecification } from 'vitest/node';

/**
 * Files known to take longest, longest first (docs/performance.md "Test
 * suite time"). With two workers a run lasts about max(total / 2, longest
 * file); vitest's own order comes from a results cache that a fresh CI
 * clone lacks, where it starts the largest files in bytes first, and these
 * are small files: started last, they left one worker busy alone at the end.
 */
export const LONG_FILES = [
  'test/reduction/kvm-footprints.test.ts',
  'test/models/verdict-table.test.ts',
  'test/tui/tmux-sizes.test.ts',
  'test/cli/stoppable.test.ts',
  'test/cli/stuck-checkpoint.test.ts',
  'test/expand/expanders-agree.test.ts',
  'test/models/outside-files.test.ts',
  'test/parallel/worker-boot.test.ts',
  'test/models/observability.test.ts',
  'test/cli/interrupt.test.ts',
  'test/shard/verify-shards.test.ts',
  'test/shard/manifests.test.ts',
];

function rank(f: TestSpecification): number {
  const k = LONG_FILES.findIndex((p) => f.moduleId.endsWith(p));
  return k < 0 ? LONG_FILES.length : k;
}

/** vitest's order, with the known-long files moved to the front. */
export default class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    return base
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map((x) => x.f);
  }
}
