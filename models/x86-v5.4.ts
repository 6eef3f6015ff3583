import { COMMON_ABLATIONS } from './kvm/kit/env.ts';
import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';

/**
 * x86, Linux v5.4: the generic protocol only. No VM_PFNMAP special case and
 * no creation-time mapping; tdp_page_fault snapshots mmu_notifier_seq, gets
 * the pfn through __gfn_to_pfn_memslot, and maps under mmu_lock after
 * mmu_notifier_retry. DELETE/MOVE flush with kvm_mmu_zap_all_fast. It shares
 * the generic hva_to_pfn_remapped of v5.4, writable bug included.
 */
export const x86V54: KvmModelSpec = {
  name: 'x86-v5.4',
  description: 'x86 KVM (TDP), Linux v5.4: the generic fault path with the mmu_notifier_seq retry',
  kernel: {
    arch: 'x86',
    version: 'v5.4',
    notes: 'lacks bd2fae8da794 (generic hva_to_pfn_remapped writable bug), f8be156be163 (CVE-2021-22543)',
  },
  files: { mmu: 'arch/x86/kvm/mmu.c', arch: 'arch/x86/kvm/x86.c' },
  settings: {
    mmuLock: 'spinlock',
    notifier: 'unconditional',
    changePte: 'update-existing',
    flush: 'all',
    prepare: 'none',
    remapped: 'follow_pfn',
    remappedRef: 'kvm_get_pfn',
    mmapSemFairness: 'writer-preferring',
    guestCache: 'hva-cache',
    x86Mmu: 'legacy',
  },
  ablations: COMMON_ABLATIONS,
  scenarios: allScenarios,
};

export default kvmModel(x86V54);
