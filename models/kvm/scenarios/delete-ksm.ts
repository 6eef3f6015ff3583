import type { KvmScenario } from '../kit/scenario.ts';
import { TODAY_MODELS, holdsOn, violatedOn } from './expect.ts';
import { deleteSlot } from './delete-slot.ts';

/**
 * DELETE of a slot while KSM merges its page: replace_page calls
 * set_pte_at_notify between invalidate_range_start and _end, and KVM's
 * change_pte callback walks the published memslots without skipping the one
 * marked KVM_MEMSLOT_INVALID. arm64 maps the new pfn whether or not a leaf
 * existed, so a merge between the flush of the old slot and the publication
 * of the final array leaves a leaf in the deleted range. This is the bug of
 * Gavin Shan's "KVM: Avoid illegal stage2 mapping on invalid memory slot"
 * (June 2023, Fixes: d5d8184d35c9, stable v3.9+: an edk2 pflash read served
 * from a stale stage-2 mapping instead of QEMU). x86's callback only
 * rewrites leaves that exist, and the flush has removed them.
 */
export const deleteKsm: KvmScenario = {
  ...deleteSlot,
  name: 'delete-ksm',
  description: 'vmm0 deletes a slot of anonymous memory while KSM merges its page (change_pte); vCPUs fault',
  invalidator: [{ op: 'ksm-merge', hva: 0 }],
  expect: {
    ...violatedOn('deleted-slot-empty', 'arm64-v5.4', 'arm64-v5.13', 'arm64-v6.3'),
    ...holdsOn('x86-v5.4', ...TODAY_MODELS),
  },
};

/**
 * The fix as a setting: change_pte skips the slot marked KVM_MEMSLOT_INVALID
 * (2230f9e1171a, v6.4), on the arm64 versions that lack it (x86 only ever
 * rewrote existing leaves; v6.4+ have the fix, v6.9+ no callback at all).
 */
export const deleteKsmFixed: KvmScenario = {
  ...deleteKsm,
  name: 'delete-ksm-fixed',
  description: 'delete-ksm with 2230f9e1171a (kvm_mmu_notifier_change_pte skips the INVALID slot)',
  settings: { changePte: 'install-skip-invalid' },
  expect: holdsOn('arm64-v5.4', 'arm64-v5.13', 'arm64-v6.3'),
};
