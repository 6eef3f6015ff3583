import { arm64V66 } from './arm64-v6.6.ts';
import { kvmModel } from './kvm/kit/kvm-model.ts';
import type { KvmModelSpec } from './kvm/kit/kvm-model.ts';
import { allScenarios } from './kvm/scenarios/index.ts';

/**
 * arm64, Linux v6.12 LTS: as v6.6, with the change_pte MMU notifier gone
 * (v6.9): a KSM merge is a plain invalidation (range start, unmap, range end).
 */
export const arm64V612: KvmModelSpec = {
  ...arm64V66,
  name: 'arm64-v6.12',
  description: 'arm64 KVM, Linux v6.12 LTS: as v6.6, no change_pte callback',
  kernel: {
    arch: 'arm64',
    version: 'v6.12',
    notes: 'has everything of arm64-v6.6; change_pte removed (v6.9)',
  },
  settings: { ...arm64V66.settings, changePte: 'none' },
  scenarios: allScenarios,
};

export default kvmModel(arm64V612);
