import { invariant } from '../src/index.ts';
import type { KvmState } from '../models/kvm/kit/state.ts';

/**
 * I5, lock discipline: every stage-2 write happens under kvm->mmu_lock (in
 * either mode where it is an rwlock). The stage-2 helpers record the first
 * write made without it.
 */
export const stage2UnderMmuLock = invariant<KvmState>({
  name: 'stage2-under-mmu-lock',
  description: 'I5: stage-2 is written only under mmu_lock',
  bugs: [
    'b5331379bc62 "Only reschedule if MMU_NOTIFIER_RANGE_BLOCKABLE is not set" (v5.9): the stage-2 walk rescheduled in a non-blockable invalidation',
    'any fault path that maps without mmu_lock (ablation no-mmu-lock)',
  ],
  reads: ['ghost.unlockedWrite'],
  holds: (s) => s.g.ghost.unlockedWrite === null,
  explain: (s) => `stage-2 written without mmu_lock by ${s.g.ghost.unlockedWrite}`,
});
