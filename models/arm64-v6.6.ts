import { arm64V63 } from './arm64-v6.3.ts';
import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';

/**
 * arm64, Linux v6.6 LTS: as v6.3 (faults under the read side of mmu_lock,
 * kvm_pgtable walkers updating PTEs with cmpxchg, mmu_invalidate_seq read
 * before mmap_read_unlock), plus: a permission fault relaxes the leaf's
 * permissions (kvm_pgtable_stage2_relax_perms) instead of mapping again, and
 * KVM's change_pte callback skips memslots being deleted (Gavin Shan's fix,
 * v6.4), so the KSM race of delete-ksm is gone.
 */
export const arm64V66: KvmModelSpec = {
  ...arm64V63,
  name: 'arm64-v6.6',
  description:
    'arm64 KVM, Linux v6.6 LTS: read-locked faults, relax_perms on permission faults, change_pte skips INVALID slots',
  kernel: {
    arch: 'arm64',
    version: 'v6.6',
    notes:
      'has everything of arm64-v6.3 and the change_pte fix for KVM_MEMSLOT_INVALID slots (v6.4, Fixes: d5d8184d35c9)',
  },
  settings: { ...arm64V63.settings, changePte: 'install-skip-invalid', relaxPerms: true },
  scenarios: allScenarios,
};

export default kvmModel(arm64V66);
