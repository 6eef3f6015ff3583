import type { KvmScenario } from '../kit/scenario.ts';
import { TODAY_MODELS, holdsOn, violatedOn } from './expect.ts';
import { deleteSlot } from './delete-slot.ts';
import { anonLayout } from './migration.ts';

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

/**
 * What change_pte is for, and why v6.9 could drop it. KSM replaces a page
 * the guest has mapped (replace_page → set_pte_at_notify) while a vCPU
 * read-faults on it; the ablation `no-start-unmap` makes KVM's
 * invalidate_range_start raise the count but unmap nothing, so a leaf
 * installed before the merge is still there when the PTE is swapped — as
 * for every merge from 828502d30073 (v2.6.32, change_pte added for KSM as an
 * alternative to invalidating) until 6bdb913f0a70 (v3.9) wrapped
 * set_pte_at_notify in invalidate_range_start/end. Then the callback alone keeps stage-2 coherent:
 * x86's kvm_set_pte_rmapp rewrites the existing leaf to the KSM page and
 * arm64's handler maps it, while a kernel without the callback (v6.9+,
 * "KVM: Drop .change_pte() MMU notifier") keeps a leaf on the old page
 * while the host maps the KSM page (stage2-coherence; the page is freed by
 * replace_page's put_page too, so no-freed-frame-mapped fails as well).
 * With the unmap in start (every
 * bundled version), no leaf survives to the callback: x86's rewrite-only
 * callback and none are the same, which is why it could go.
 */
export const ksmNoStartUnmap: KvmScenario = {
  name: 'ksm-no-start-unmap',
  description:
    'ablation: KSM merges a page a vCPU read-faults on, and invalidate_range_start unmaps nothing (only change_pte updates stage-2)',
  ...anonLayout,
  vmm: () => [],
  invalidator: [{ op: 'ksm-merge', hva: 0 }],
  accessKinds: ['read'],
  params: { ablation: 'no-start-unmap', vcpus: 1 },
  expect: {
    ...violatedOn('stage2-coherence', 'arm64-v6.12', 'arm64-v6.18', 'x86-v6.12', 'x86-v6.18'),
    ...holdsOn(
      'arm64-v5.4',
      'arm64-v5.13',
      'arm64-v6.3',
      'arm64-v6.6',
      'x86-v5.4',
      'x86-v5.15',
      'x86-v5.16',
      'x86-v5.17',
    ),
  },
};
