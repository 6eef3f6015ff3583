import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';

/**
 * x86, Linux v5.17, with the legacy MMU (kvm.tdp_mmu=0, which takes
 * mmu_lock for write): the version of the gfn→pfn cache's refresh race
 * (58cd407ca4c6 fixed it in v5.19). direct_page_fault snapshots the
 * sequence, faults the pfn in through the slot it found at entry, and
 * under mmu_lock checks is_page_fault_stale (mmu_notifier_retry_hva) and
 * takes the mapping level from the host page tables. The notifier raises
 * mn_active_invalidate_count first and counts only on a memslot hit
 * (v5.15), calling the pfncache's invalidate_start in between; memslot
 * publication (kvm_swap_active_memslots) waits for invalidations to end.
 * The Xen shared_info page is written through the gfn→pfn cache.
 */
export const x86V517: KvmModelSpec = {
  name: 'x86-v5.17',
  description: 'x86 KVM (legacy MMU), Linux v5.17: direct_page_fault, the v5.17 gfn→pfn cache',
  kernel: {
    arch: 'x86',
    version: 'v5.17',
    notes:
      'has bd2fae8da794, f8be156be163, 52ac8b358b0c, 071064f14d87, 4a42d848db95, a955cad84cda, 982ed0de4753 (pfncache); lacks 58cd407ca4c6, 2230f9e1171a',
  },
  files: { mmu: 'arch/x86/kvm/mmu/mmu.c', arch: 'arch/x86/kvm/x86.c' },
  settings: {
    mmuLock: 'spinlock',
    notifier: 'mn-active',
    changePte: 'update-existing',
    flush: 'all',
    prepare: 'none',
    remapped: 'follow_pte',
    remappedRef: 'try_get',
    changePteSkipsInvalid: false,
    mmapSemFairness: 'writer-preferring',
    guestCache: 'pfncache-v5.17',
    x86Fault: 'direct_page_fault',
  },
  ablations: ['none', 'no-retry', 'seq-after-gup', 'no-mmu-lock', 'no-srcu-sync', 'no-mn-active-wait'],
  scenarios: allScenarios,
};

export default kvmModel(x86V517);
