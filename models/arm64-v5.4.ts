import { COMMON_ABLATIONS } from './kvm/kit/env.ts';
import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';

/**
 * arm64, Linux v5.4: the version of the seed thread (Nov 2019).
 * - prepare maps VM_PFNMAP regions into stage-2 at creation, from vm_pgoff
 *   (8eef91239e57, v3.18 … removed by fd6f17bade21 in v5.13), and v5.4.0
 *   refuses a writable slot over a VMA without VM_WRITE;
 * - user_mem_abort reads mmu_notifier_seq after dropping mmap_sem, looks the
 *   slot up again in gfn_to_pfn_prot, and hva_to_pfn_remapped reports
 *   VM_PFNMAP pages writable unconditionally (fixed by bd2fae8da794, v5.12);
 * - mmu_lock is a spinlock; the notifier counts unconditionally.
 */
export const arm64V54: KvmModelSpec = {
  name: 'arm64-v5.4',
  description: 'arm64 KVM, Linux v5.4: eager VM_PFNMAP mapping in prepare, user_mem_abort v5.4 order',
  kernel: {
    arch: 'arm64',
    version: 'v5.4',
    notes:
      'has 8eef91239e57 (eager map); lacks fd6f17bade21, bd2fae8da794, 10ba2d17d297, 13ec9308a857, 52ac8b358b0c, f8be156be163, 6d674e28f642, 2230f9e1171a',
  },
  files: { mmu: 'virt/kvm/arm/mmu.c', arch: 'virt/kvm/arm/mmu.c' },
  settings: {
    mmuLock: 'spinlock',
    notifier: 'unconditional',
    changePte: 'install',
    flush: 'slot-range',
    prepare: 'eager-map',
    prepareWriteCheck: true,
    seqBeforeMmapUnlock: false,
    slotSource: 'relookup',
    remapped: 'follow_pfn',
    remappedRef: 'kvm_get_pfn',
    deviceTest: 'pfn_valid',
    deviceExec: 'map',
    mte: false,
    mmapSemFairness: 'writer-preferring',
    prepareHoldsMmapSem: false,
    guestCache: 'none',
  },
  ablations: COMMON_ABLATIONS,
  scenarios: allScenarios,
};

export default kvmModel(arm64V54);
