import { arm64V612 } from './arm64-v6.12.ts';
import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';

/**
 * arm64, Linux v6.18 LTS, the newest release in the source index: the
 * protocol of v6.12 for memory behind a userspace mapping (user_mem_abort).
 * guest_memfd-backed memslots (gmem_abort, new in v6.18) are not modelled.
 */
export const arm64V618: KvmModelSpec = {
  ...arm64V612,
  name: 'arm64-v6.18',
  description: 'arm64 KVM, Linux v6.18 LTS (newest in the index): user_mem_abort as in v6.12',
  kernel: {
    arch: 'arm64',
    version: 'v6.18',
    notes:
      'user_mem_abort protocol of v6.12, plus no references on VM_PFNMAP pages (v6.13) and 5f9466b50c1b (v6.17); gmem_abort (guest_memfd slots) not modelled',
  },
  settings: { ...arm64V612.settings, remappedRef: 'none', earlyExitRelease: true },
  scenarios: allScenarios,
};

export default kvmModel(arm64V618);
