import { describe, expect, it, vi } from 'vitest';
import { bundledModels } from '../../models/index.ts';
import { instantiate } from '../../src/model/instance.ts';
import type { Instance } from '../../src/model/instance.ts';
import type * as ReadTrackerModule from '../../src/expand/cache/read-tracker.ts';
import { outcome, run, walkBoth } from './agreement.ts';

/**
 * A mutant of the fast expander: its transition cache forgets that steps
 * read locks (the read tracker hands out the lock table unwatched), so an
 * expansion recorded while a lock was free is replayed when it is held.
 * The agreement check of expanders-agree.test.ts must catch it, successor
 * by successor and search by search; otherwise that test proves nothing.
 */
vi.mock('../../src/expand/cache/read-tracker.ts', async (importOriginal) => {
  const real = await importOriginal<typeof ReadTrackerModule>();
  class LockBlindTracker extends real.ReadTracker {
    override locks<T>(locks: T): T {
      return locks;
    }
  }
  return { ...real, ReadTracker: LockBlindTracker };
});

describe('the agreement check catches a fast expander that is wrong', () => {
  const m = bundledModels.find((x) => x.name === 'arm64-v5.4')!;
  const inst = (): Instance => instantiate(m, { scenario: 'seed-race' });

  it('a transition cache blind to lock reads gives different successors', () => {
    expect(walkBoth(inst(), 100, false)).not.toEqual([]);
  });

  it('and a different search (here the counterexample cannot even be rebuilt)', () => {
    const o = { maxStates: 500 };
    let fast: unknown;
    try {
      fast = outcome(run(inst(), o));
    } catch (e) {
      fast = e;
    }
    expect(fast).not.toEqual(outcome(run(inst(), { ...o, cache: false })));
  });
});
