import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';
import { x86V612 } from './x86-v6.12.ts';

/**
 * x86 with the TDP MMU, Linux v6.18 LTS, the newest release in the source
 * index: as v6.12, and KVM_PRE_FAULT_MEMORY returns -EAGAIN when it meets a
 * slot being deleted or moved (3ccbf6f47098) instead of retrying in place
 * inside the SRCU section the deletion waits for.
 */
export const x86V618: KvmModelSpec = {
  ...x86V612,
  name: 'x86-v6.18',
  description:
    'x86 KVM with the TDP MMU, Linux v6.18 LTS (newest in the index): pre-fault returns -EAGAIN on a deleted slot',
  kernel: {
    arch: 'x86',
    version: 'v6.18',
    notes: 'has 3ccbf6f47098 and everything of x86-v6.12',
  },
  settings: { ...x86V612.settings, prefaultEagain: true, remappedRef: 'none' }, // v6.13: no references on VM_PFNMAP pages
  scenarios: allScenarios,
};

export default kvmModel(x86V618);
