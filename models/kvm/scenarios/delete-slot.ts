import type { KvmScenario } from '../kit/scenario.ts';
import { ALL_MODELS, ARM64_TODAY, TODAY_MODELS, X86_TDP_FIXED, holdsOn, violatedOn } from './expect.ts';
import { anonLayout } from './migration.ts';

/**
 * DELETE of a slot of anonymous memory while vCPUs fault on it and the page
 * is reclaimed. synchronize_srcu after publishing the INVALID slot makes
 * every fault that saw the old slot finish before the flush.
 */
export const deleteSlot: KvmScenario = {
  name: 'delete-slot',
  description: 'vmm0 deletes a slot of anonymous memory while vCPUs fault on it and the page is reclaimed',
  ...anonLayout,
  vmm: () => [[{ op: 'set-memory-region', region: { change: 'delete', id: 0 } }]],
  invalidator: [{ op: 'reclaim', hva: 0 }],
  expect: holdsOn(...ALL_MODELS, ...TODAY_MODELS),
};

/** Ablation: no synchronize_srcu between publishing the INVALID slot and the flush. */
export const deleteSlotNoSync: KvmScenario = {
  ...deleteSlot,
  name: 'delete-slot-no-sync',
  description: 'ablation: DELETE flushes without waiting for SRCU readers (no synchronize_srcu)',
  params: { ablation: 'no-srcu-sync' },
  expect: {
    ...violatedOn('deleted-slot-empty', ...ALL_MODELS, ...ARM64_TODAY, 'x86-v5.15'),
    // The TDP MMU does not need the wait here: the fault that looked the slot up before
    // the INVALID one was published entered the guest on a root that kvm_mmu_zap_all_fast
    // then invalidated, and is_page_fault_stale makes it retry (x86-v5.15 lacks that check).
    ...holdsOn(...X86_TDP_FIXED),
  },
};
