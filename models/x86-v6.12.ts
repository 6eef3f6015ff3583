import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';
import { x86V516 } from './x86-v5.16.ts';

/**
 * x86 with the TDP MMU, Linux v6.12 LTS: as v5.16, plus private memory
 * (guest_memfd, KVM_SET_MEMORY_ATTRIBUTES, v6.8), gfn-ranged invalidation
 * (mmu_invalidate_retry_gfn, v6.7), the early lockless retry check before the
 * pfn lookup (v6.9), faults on a KVM_MEMSLOT_INVALID slot retried, no
 * change_pte callback (v6.9) and KVM_PRE_FAULT_MEMORY (v6.10), which still
 * retries in place on a slot being deleted (fixed by 3ccbf6f47098, v6.18).
 */
export const x86V612: KvmModelSpec = {
  ...x86V516,
  name: 'x86-v6.12',
  description:
    'x86 KVM with the TDP MMU, Linux v6.12 LTS: guest_memfd private faults, attribute conversion, KVM_PRE_FAULT_MEMORY',
  kernel: {
    arch: 'x86',
    version: 'v6.12',
    notes:
      'has a955cad84cda, 3a0f64de479c, 8dd2eee9d526 + 44f42ef308f9 (private faults), 6e01b7601dfe (pre-fault); lacks 3ccbf6f47098 (pre-fault on a deleted slot)',
  },
  settings: {
    ...x86V516.settings,
    changePte: 'none',
    retry: 'gfn-range',
    invalidSlotRetry: true,
    privateMem: true,
    earlyRetry: true,
    prefaultEagain: false,
    guestCache: 'pfncache',
  },
  ablations: [...(x86V516.ablations ?? []), 'attr-check-before-seq', 'no-gmem-invalidate'],
  scenarios: allScenarios,
};

export default kvmModel(x86V612);
