import { COMMON_ABLATIONS } from './kvm/kit/env.ts';
import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';

/**
 * x86 with the TDP MMU, Linux v5.16 (arch/x86/kvm/mmu/mmu.c, tdp_mmu.c):
 * mmu_lock is an rwlock; direct_page_fault snapshots mmu_notifier_seq, gets
 * the pfn (kvm_faultin_pfn) and maps under the *read* lock with
 * tdp_mmu_set_spte_atomic after is_page_fault_stale (root invalidated, or
 * mmu_notifier_retry_hva); fast_page_fault fixes write-protected SPTEs
 * without mmu_lock by cmpxchg. Invalidations take the write lock. A memslot
 * DELETE/MOVE invalidates every root (kvm_mmu_zap_all_fast) and zaps the
 * invalid roots afterwards under the read lock.
 */
export const x86V516: KvmModelSpec = {
  name: 'x86-v5.16',
  description:
    'x86 KVM with the TDP MMU, Linux v5.16: read-locked faults, atomic SPTEs, roots invalidated by memslot updates',
  kernel: {
    arch: 'x86',
    version: 'v5.16',
    notes:
      'has a955cad84cda (stale-root retry), 3a0f64de479c (iterator restart), bd2fae8da794, 52ac8b358b0c, 071064f14d87, 4a42d848db95 (hva-range retry); lacks the KVM_MEMSLOT_INVALID retry in kvm_faultin_pfn',
  },
  files: { mmu: 'arch/x86/kvm/mmu/mmu.c', arch: 'arch/x86/kvm/x86.c' },
  settings: {
    mmuLock: 'rwlock',
    notifier: 'mn-active',
    changePte: 'update-existing',
    flush: 'tdp-roots',
    prepare: 'none',
    remapped: 'follow_pte',
    retry: 'hva-range',
    x86Mmu: 'tdp-mmu',
    staleRootCheck: true,
    iterRestart: true,
    invalidSlotRetry: false,
    remappedRef: 'try_get',
    mmapSemFairness: 'writer-preferring',
    guestCache: 'hva-cache',
  },
  ablations: [...COMMON_ABLATIONS, 'no-mn-active-wait', 'no-cmpxchg', 'no-stale-root-check'],
  scenarios: allScenarios,
};

export default kvmModel(x86V516);
