import { COMMON_ABLATIONS } from './kvm/kit/env.ts';
import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';

/**
 * arm64, Linux v6.3: mmu_lock is an rwlock and stage-2 faults map under the
 * read lock (parallel faults, v6.2); user_mem_abort reads
 * mmu_invalidate_seq before mmap_read_unlock (13ec9308a857); the notifier
 * takes mmu_lock and counts only when the range hits a memslot
 * (071064f14d87), and memslot publication (kvm_swap_active_memslots) waits
 * until mn_active_invalidate_count is zero (52ac8b358b0c, v5.15).
 */
export const arm64V63: KvmModelSpec = {
  name: 'arm64-v6.3',
  description:
    'arm64 KVM, Linux v6.3: read-locked faults, seq before mmap unlock, publication waits for invalidations',
  kernel: {
    arch: 'arm64',
    version: 'v6.3',
    notes:
      'has fd6f17bade21, bd2fae8da794, 10ba2d17d297, 13ec9308a857, 52ac8b358b0c, 071064f14d87, f8be156be163, 6d674e28f642, 873ba463914c, MTE; lacks 2230f9e1171a, 5f9466b50c1b',
  },
  files: { mmu: 'arch/arm64/kvm/mmu.c', arch: 'arch/arm64/kvm/mmu.c' },
  settings: {
    mmuLock: 'rwlock',
    notifier: 'mn-active',
    changePte: 'install',
    flush: 'slot-range',
    prepare: 'vma-check',
    prepareWriteCheck: false,
    seqBeforeMmapUnlock: true,
    slotSource: 'abort',
    remapped: 'follow_pte',
    remappedRef: 'try_get',
    deviceTest: 'pfn_is_map_memory',
    deviceExec: 'enoexec',
    earlyExitRelease: false,
    mte: true,
    mmapSemFairness: 'writer-preferring',
    prepareHoldsMmapSem: false,
    guestCache: 'hva-cache',
  },
  ablations: [...COMMON_ABLATIONS, 'no-mn-active-wait'],
  scenarios: allScenarios,
};

export default kvmModel(arm64V63);
