import { COMMON_ABLATIONS } from './kvm/kit/env.ts';
import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';

/**
 * arm64, Linux v5.13: the creation-time mapping is gone (fd6f17bade21);
 * hva_to_pfn_remapped uses follow_pte and honours pte_write (bd2fae8da794,
 * v5.12); user_mem_abort passes the abort's memslot to
 * __gfn_to_pfn_memslot (10ba2d17d297) but still reads mmu_notifier_seq after
 * mmap_read_unlock. The generic notifier (moved to kvm_main.c in v5.13) still
 * takes mmu_lock and counts on every invalidation ("the on_lock() path does
 * not yet support lock elision").
 */
export const arm64V513: KvmModelSpec = {
  name: 'arm64-v5.13',
  description: 'arm64 KVM, Linux v5.13: no eager map, follow_pte writable check',
  kernel: {
    arch: 'arm64',
    version: 'v5.13',
    notes:
      'has fd6f17bade21, bd2fae8da794, 10ba2d17d297, f8be156be163, 6d674e28f642; lacks 13ec9308a857, 52ac8b358b0c, 2230f9e1171a, 873ba463914c',
  },
  files: { mmu: 'arch/arm64/kvm/mmu.c', arch: 'arch/arm64/kvm/mmu.c' },
  settings: {
    mmuLock: 'spinlock',
    notifier: 'unconditional',
    changePte: 'install',
    flush: 'slot-range',
    prepare: 'vma-check',
    prepareWriteCheck: false,
    seqBeforeMmapUnlock: false,
    slotSource: 'abort',
    remapped: 'follow_pte',
    remappedRef: 'try_get',
    deviceTest: 'pfn_valid',
    deviceExec: 'enoexec',
    earlyExitRelease: false,
    mte: false,
    mmapSemFairness: 'writer-preferring',
    prepareHoldsMmapSem: false,
    guestCache: 'hva-cache',
  },
  ablations: COMMON_ABLATIONS,
  scenarios: allScenarios,
};

export default kvmModel(arm64V513);
